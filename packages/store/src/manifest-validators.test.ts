import { join } from 'node:path';
import { it } from 'vitest';
import { MANIFEST_AJV_OPTIONS, aliasSchema, manifestSchema } from './manifest-schema.js';
import { expectCurrentValidators } from '../../../scripts/standalone-validators.mjs';

it('the committed manifest validators are compiled from the current schemas', async () => {
  await expectCurrentValidators(join(import.meta.dirname, 'manifest-validators.ts'), { validateManifest: manifestSchema, validateAlias: aliasSchema }, MANIFEST_AJV_OPTIONS);
});
