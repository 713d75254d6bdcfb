import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@mldp/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveProject } from './project.js';
import { openStore } from './store.js';
import { tempDir } from '@mldp/testkit';

describe('the project rule: --project, else MLDP_PROJECT, else main.project_name of the workspace, else default', () => {
  let dir: ReturnType<typeof tempDir>;
  let nested: string;
  /** A workspace (nx.json marks its root) with this config.yaml, and a folder deep inside it. */
  const workspace = (config?: string) => {
    writeFileSync(join(dir.path, 'nx.json'), '{}');
    if (config !== undefined) writeFileSync(join(dir.path, 'config.yaml'), config);
  };
  beforeEach(() => {
    dir = tempDir();
    nested = join(dir.path, 'packages/a/src');
    mkdirSync(nested, { recursive: true });
  });
  afterEach(() => dir.remove());

  it('takes each source in order, from anywhere inside the workspace', async () => {
    workspace('main:\n  project_name: songs\n  experiment_name: dev\n');
    expect(await resolveProject({ root: findWorkspaceRoot(nested), env: {} })).toBe('songs');
    expect(await resolveProject({ root: findWorkspaceRoot(nested), env: { MLDP_PROJECT: 'from_env' } })).toBe('from_env');
    expect(await resolveProject({ root: findWorkspaceRoot(nested), env: { MLDP_PROJECT: 'from_env' }, project: 'from_flag' })).toBe('from_flag');
    // An empty variable is an unset one.
    expect(await resolveProject({ root: findWorkspaceRoot(nested), env: { MLDP_PROJECT: '' } })).toBe('songs');
    // A config read already (mldp run's) stands for the file, still after the variable.
    expect(await resolveProject({ root: findWorkspaceRoot(nested), env: {}, configProject: 'read_already' })).toBe('read_already');
    expect(await resolveProject({ root: findWorkspaceRoot(nested), env: { MLDP_PROJECT: 'from_env' }, configProject: 'read_already' })).toBe('from_env');
  });

  it('falls back to "default" without a config, or without the key in it', async () => {
    workspace();
    expect(await resolveProject({ root: findWorkspaceRoot(nested), env: {} })).toBe('default');
    writeFileSync(join(dir.path, 'config.yaml'), 'data:\n  file_url: x.csv\n');
    expect(await resolveProject({ root: findWorkspaceRoot(nested), env: {} })).toBe('default');
    writeFileSync(join(dir.path, 'config.yaml'), '');
    expect(await resolveProject({ root: findWorkspaceRoot(nested), env: {} })).toBe('default');
  });

  it('reads an explicit config file, which must exist', async () => {
    workspace('main: {project_name: songs}\n');
    const other = join(dir.path, 'other.yaml');
    writeFileSync(other, 'main: {project_name: "other_songs"}\n');
    expect(await resolveProject({ root: findWorkspaceRoot(nested), env: {}, configPath: other })).toBe('other_songs');
    await expect(resolveProject({ root: findWorkspaceRoot(nested), env: {}, configPath: join(dir.path, 'missing.yaml') })).rejects.toThrow(
      /^cannot read the config file .*missing\.yaml: it does not exist$/,
    );
  });

  it('names where a bad project came from, in one line', async () => {
    workspace('main:\n  project_name: [a, b]\n');
    const line = (error: { toLine(): string }) => error.toLine();
    expect(line(await resolveProject({ root: findWorkspaceRoot(nested), env: {} }).catch((e) => e))).toMatch(/^the project in main\.project_name of .*config\.yaml is \["a","b"\], not a name; use letters/);
    expect(line(await resolveProject({ root: findWorkspaceRoot(nested), env: { MLDP_PROJECT: '../x' } }).catch((e) => e))).toMatch(/^project "\.\.\/x" is not a valid name \(from MLDP_PROJECT\); use letters/);
    expect(line(await resolveProject({ root: findWorkspaceRoot(nested), env: {}, project: 'a b' }).catch((e) => e))).toMatch(/^project "a b" is not a valid name \(from --project\)/);
    writeFileSync(join(dir.path, 'config.yaml'), 'main: [unclosed\n');
    const error = await resolveProject({ root: findWorkspaceRoot(nested), env: {} }).catch((e) => e);
    expect(error).toMatchObject({ exitCode: 2 });
    expect(line(error)).toMatch(/^cannot read the project from .*config\.yaml: it is not valid YAML \(.*\); fix the file, or pass --project NAME or set MLDP_PROJECT$/);
  });

  it('is the default of openStore, so the library and the bins agree', async () => {
    workspace('main:\n  project_name: songs\n');
    const store = await openStore({ location: join(dir.path, 'store'), root: findWorkspaceRoot(nested), env: {} });
    expect(store.project).toBe('songs');
    expect((await openStore({ location: join(dir.path, 'store'), root: findWorkspaceRoot(nested), env: {}, project: 'p' })).project).toBe('p');
  });
});
