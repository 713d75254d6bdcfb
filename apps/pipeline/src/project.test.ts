import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, tempDir } from '@mldp/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const MLDP = join(import.meta.dirname, '../bin/mldp.js');
const DOWNLOAD = join(ROOT, 'packages/download/bin/mldp-download.js');

/** One project everywhere (issue 18): --project, else MLDP_PROJECT, else main.project_name, else default. */
describe('the project of commands and step bins', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());
  const json = (result: { stdout: string; stderr: string; code: number | null }) => {
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout);
  };

  it('a step bin run alone writes to the workspace config\'s project, where mldp finds it', async () => {
    // A workspace of its own: nx.json marks the root, its config.yaml names the project, the store is its .mldp/.
    const workspace = dir.path;
    writeFileSync(join(workspace, 'nx.json'), '{}');
    writeFileSync(join(workspace, 'config.yaml'), 'main:\n  project_name: songs\n');
    writeFileSync(join(workspace, 'a.csv'), 'a,b\n1,2\n');
    const inWorkspace = (script: string, args: string[], env: Record<string, string> = {}) => runNode(script, args, { cwd: workspace, env });

    expect((await inWorkspace(DOWNLOAD, ['--file-url', 'a.csv', '--artifact-name', 'a.csv'])).code).toBe(0);
    expect(json(await inWorkspace(MLDP, ['artifacts', 'list', '--json']))).toEqual([expect.objectContaining({ project: 'songs', name: 'a.csv', versions: ['v0'] })]);
    expect(json(await inWorkspace(MLDP, ['runs', 'list', '--json'])).map((r: { project: string; step: string }) => [r.project, r.step])).toEqual([['songs', 'download']]);

    // MLDP_PROJECT comes before the config, --project before both; each listing shows only its project.
    expect((await inWorkspace(DOWNLOAD, ['--file-url', 'a.csv', '--artifact-name', 'b.csv'], { MLDP_PROJECT: 'from_env' })).code).toBe(0);
    expect((await inWorkspace(DOWNLOAD, ['--file-url', 'a.csv', '--artifact-name', 'c.csv', '--project', 'from_flag'], { MLDP_PROJECT: 'from_env' })).code).toBe(0);
    const names = async (...args: string[]) => json(await inWorkspace(MLDP, ['artifacts', 'list', '--json', ...args])).map((a: { project: string; name: string }) => `${a.project}/${a.name}`);
    expect(await names()).toEqual(['songs/a.csv']);
    expect(await names('--project', 'from_env')).toEqual(['from_env/b.csv']);
    expect(await names('--project', 'from_flag')).toEqual(['from_flag/c.csv']);
    expect(json(await inWorkspace(MLDP, ['artifacts', 'show', 'b.csv', '--json'], { MLDP_PROJECT: 'from_env' })).project).toBe('from_env');

    // A config whose project is not a name stops the bin before it writes anything, in one line.
    writeFileSync(join(workspace, 'config.yaml'), 'main:\n  project_name: "no spaces allowed"\n');
    const bad = await inWorkspace(DOWNLOAD, ['--file-url', 'a.csv', '--artifact-name', 'd.csv']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: project "no spaces allowed" is not a valid name \(from main\.project_name of .*config\.yaml\); use letters[^\n]*\n$/);
  });

  it('mldp run takes --project, then MLDP_PROJECT, then main.project_name, and its steps follow it', async () => {
    const env = { MLDP_STORE: join(dir.path, 'store') };
    const mldp = (args: string[], extra: Record<string, string> = {}) => runNode(MLDP, args, { env: { ...env, ...extra }, cwd: ROOT, timeoutMs: 120_000 });
    const download = ['run', 'main.execute_steps=download'];

    const flagged = await mldp([...download, '--project', 'flagged'], { MLDP_PROJECT: 'from_env' });
    expect(flagged.code).toBe(0);
    expect(flagged.stdout).toMatch(/^pipeline \S+ \(flagged\/dev\): download$/m);
    expect((await mldp(download, { MLDP_PROJECT: 'from_env' })).stdout).toMatch(/\(from_env\/dev\)/);
    expect((await mldp(download)).stdout).toMatch(/\(ml_data_pipeline\/dev\)/);
    // An override of main.project_name is as explicit as --project.
    expect((await mldp([...download, 'main.project_name=overridden'], { MLDP_PROJECT: 'from_env' })).stdout).toMatch(/\(overridden\/dev\)/);

    // The pipeline run and its step runs belong to the project, and so do the artifacts.
    const runs = json(await mldp(['runs', 'list', '--project', 'flagged', '--json']));
    expect(runs.map((r: { project: string; step: string }) => `${r.project}/${r.step}`)).toEqual(['flagged/download', 'flagged/pipeline']);
    expect(runs[1].config.main.project_name).toBe('flagged');
    expect(json(await mldp(['artifacts', 'list', '--project', 'flagged', '--json'])).map((a: { project: string }) => a.project)).toEqual(['flagged']);

    // A project with nothing in it lists nothing, and names the projects that have something.
    const others = 'flagged, from_env, ml_data_pipeline, overridden (pass --project NAME)';
    expect((await mldp(['runs', 'list', '--project', 'nonexistent'])).stdout).toBe(`no runs in project nonexistent of ${env.MLDP_STORE}; projects with runs: ${others}\n`);
    expect(json(await mldp(['runs', 'list', '--project', 'nonexistent', '--json']))).toEqual([]);
    expect((await mldp(['artifacts', 'list', '--project', 'nonexistent'])).stdout).toBe(`no artifacts in project nonexistent of ${env.MLDP_STORE}; projects with artifacts: ${others}\n`);
  }, 120_000);

  it('a resume command keeps the store, project and config it was given', async () => {
    const store = join(dir.path, 'store');
    const config = join(dir.path, 'my-config.yaml');
    copyFileSync(join(ROOT, 'config.yaml'), config);
    const missing = join(dir.path, 'missing.csv');
    const resumeOf = async (args: string[], env: Record<string, string> = {}) => {
      const result = await runNode(MLDP, ['run', `data.file_url=${missing}`, ...args], { env, cwd: ROOT, timeoutMs: 120_000 });
      expect(result.code).toBe(1);
      return /^resume from this step with: (.*)$/m.exec(result.stdout)?.[1];
    };
    const steps = 'main.execute_steps=[download,preprocess,check_data,segregate]';
    expect(await resumeOf(['--store', store, '--project', 'p', '--config', config])).toBe(`npx mldp run --config ${config} --store ${store} --project p data.file_url=${missing} ${steps}`);
    // Chosen through the environment, they are named too: the command works from another shell.
    expect(await resumeOf([], { MLDP_STORE: store, MLDP_PROJECT: 'q' })).toBe(`npx mldp run --store ${store} --project q data.file_url=${missing} ${steps}`);
    const [failed] = JSON.parse((await runNode(MLDP, ['runs', 'list', '--step', 'pipeline', '--project', 'q', '--store', store, '--json'], { cwd: ROOT })).stdout);
    expect(failed.info.resume).toBe(`npx mldp run --store ${store} --project q data.file_url=${missing} ${steps}`);
  }, 120_000);

  it('mldp report --project shows only that project\'s pipeline runs', async () => {
    const store = join(dir.path, 'store');
    const mldp = (...args: string[]) => runNode(MLDP, [...args, '--store', store], { cwd: ROOT, timeoutMs: 120_000 });
    const steps = 'main.execute_steps=[download,preprocess]';
    expect((await mldp('run', steps, '--project', 'other')).code).toBe(0);
    expect((await mldp('run', steps, 'data.file_url=data/genres_mod2.parquet', '--project', 'default')).code).toBe(0);
    const pipelineOf = async (project: string) => json(await mldp('runs', 'list', '--step', 'pipeline', '--project', project, '--json'))[0].id as string;
    const [ours, theirs] = [await pipelineOf('default'), await pipelineOf('other')];
    const report = json(await mldp('report', '--project', 'default', '--out', join(dir.path, 'report'), '--json'));
    expect(report.pipelines).toBe(1);
    const html = readFileSync(report.path, 'utf8');
    expect(html).toContain(ours);
    expect(html).not.toContain(theirs);
    // The lineage starts from this project's download, and its nodes are this project's versions.
    expect(html).toContain('data-node="data/genres_mod2.parquet"');
    expect(html).not.toContain('data-node="data/genres_mod1.parquet"');
    const raw = json(await mldp('artifacts', 'show', 'raw_data.parquet:v0', '--project', 'default', '--json'));
    expect(html).toContain(raw.digest);
    expect(html).not.toContain(json(await mldp('artifacts', 'show', 'raw_data.parquet:v0', '--project', 'other', '--json')).digest);
  }, 120_000);
});
