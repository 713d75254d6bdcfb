import { join } from 'node:path';
import { it } from 'vitest';
import { expectCurrentValidators } from '../../../scripts/validators/standalone.mjs';
import { CHECKS_AJV_OPTIONS, checksSchema } from './checks-schema.js';

it('the generated checks validator is compiled from the current schema, one statement a line', async () => {
  await expectCurrentValidators(join(import.meta.dirname, 'generated/checks-validators.ts'), join(import.meta.dirname, 'checks-schema.ts'), { validateChecks: checksSchema }, CHECKS_AJV_OPTIONS);
});
