import { join } from 'node:path';
import { expectCurrentValidators } from '../../../scripts/standalone-validators.mjs';
import { it } from 'vitest';
import { CHECKS_AJV_OPTIONS, checksSchema } from './checks-config.js';

it('the committed checks validator is compiled from the current schema', async () => {
  await expectCurrentValidators(join(import.meta.dirname, 'checks-validators.ts'), { validateChecks: checksSchema }, CHECKS_AJV_OPTIONS);
});
