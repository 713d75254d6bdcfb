import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mldp/testkit';
import { expect, it } from 'vitest';
import { expectCurrentValidators, generatorNote, standaloneValidators } from '../../../scripts/validators/standalone.mjs';
import { MANIFEST_AJV_OPTIONS, aliasSchema, manifestSchema } from './manifest-schema.js';

it('the generated manifest validators are compiled from the current schemas, one statement a line', async () => {
  const schemas = { validateManifest: manifestSchema, validateAlias: aliasSchema };
  await expectCurrentValidators(join(import.meta.dirname, 'generated/manifest-validators.ts'), join(import.meta.dirname, 'manifest-schema.ts'), schemas, MANIFEST_AJV_OPTIONS);
});

it('the check fails on a module that is missing or stale', async () => {
  const dir = tempDir();
  const schemas = { validateAlias: aliasSchema };
  const module = join(import.meta.dirname, 'manifest-schema.ts');
  const path = join(dir.path, 'validators.ts');
  try {
    await expect(expectCurrentValidators(path, module, schemas, MANIFEST_AJV_OPTIONS)).rejects.toThrow(/missing or out of date with .*manifest-schema\.ts; build the package/);
    const fresh = await standaloneValidators(schemas, MANIFEST_AJV_OPTIONS, generatorNote(module));
    writeFileSync(path, fresh.replace('"additionalProperties": false', '"additionalProperties": true'));
    await expect(expectCurrentValidators(path, module, schemas, MANIFEST_AJV_OPTIONS)).rejects.toThrow(/out of date/);
    writeFileSync(path, fresh);
    await expectCurrentValidators(path, module, schemas, MANIFEST_AJV_OPTIONS);
    expect(fresh.split('\n').length).toBeGreaterThan(20);
  } finally {
    dir.remove();
  }
});
