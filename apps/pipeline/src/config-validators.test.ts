import { join } from 'node:path';
import { expectCurrentValidators } from '../../../scripts/standalone-validators.mjs';
import { it } from 'vitest';
import { CONFIG_AJV_OPTIONS, configSchema } from './config-schema.js';

it('the committed config validator is compiled from the current schema (which embeds the checks schema)', async () => {
  await expectCurrentValidators(join(import.meta.dirname, 'config-validators.ts'), { validateConfig: configSchema }, CONFIG_AJV_OPTIONS);
});
