import { join } from 'node:path';
import { it } from 'vitest';
import { expectCurrentValidators } from '../../../scripts/validators/standalone.mjs';
import { CONFIG_AJV_OPTIONS, configSchema } from './config-schema.js';

it('the generated config validator is compiled from the current schema (which embeds the checks schema), one statement a line', async () => {
  await expectCurrentValidators(join(import.meta.dirname, 'generated/config-validators.ts'), join(import.meta.dirname, 'config-schema.ts'), { validateConfig: configSchema }, CONFIG_AJV_OPTIONS);
});
