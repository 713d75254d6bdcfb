#!/usr/bin/env node
// Writes a package's schema validators (the `generate` target of its build; see standalone.mjs):
//   node generate.mjs SCHEMA_MODULE.ts OUT.ts AJV_OPTIONS_EXPORT NAME=SCHEMA_EXPORT...
// run in the package folder. SCHEMA_MODULE.ts is read from source and must not import OUT.ts.
// OUT.ts is rewritten only when its text changes, so that an unchanged build stays unchanged.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generatorNote, standaloneValidators } from './standalone.mjs';

const [schemaModule, out, optionsExport, ...exported] = process.argv.slice(2);
if (!schemaModule || !out || !optionsExport || exported.length === 0 || exported.some((pair) => !/^\w+=\w+$/.test(pair))) {
  process.stderr.write('usage: generate.mjs SCHEMA_MODULE.ts OUT.ts AJV_OPTIONS_EXPORT NAME=SCHEMA_EXPORT...\n');
  process.exit(2);
}

register('./ts-loader.mjs', import.meta.url);
const module = await import(pathToFileURL(resolve(schemaModule)).href);
const pick = (name) => {
  if (!(name in module)) throw new Error(`${schemaModule} exports no "${name}"`);
  return module[name];
};
const schemas = Object.fromEntries(exported.map((pair) => pair.split('=')).map(([name, schema]) => [name, pick(schema)]));
const text = await standaloneValidators(schemas, pick(optionsExport), generatorNote(schemaModule));
const current = (() => {
  try {
    return readFileSync(out, 'utf8');
  } catch {
    return undefined;
  }
})();
if (current !== text) {
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, text);
}
