import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mldp/testkit';
import { describe, expect, it } from 'vitest';
import { loadConfig, sweepSection } from './config.js';

const CONFIG = join(import.meta.dirname, '../../../config.yaml');

describe('config', () => {
  it('loads config.yaml with the original keys and fills in defaults', () => {
    const config = loadConfig(CONFIG);
    expect(config.main).toEqual({ project_name: 'ml_data_pipeline', experiment_name: 'dev', execute_steps: ['download', 'preprocess', 'check_data', 'segregate'], random_seed: 112233, force: false });
    expect(config.data).toMatchObject({ file_url: 'data/genres_mod1.parquet', reference_dataset: 'preprocessed_data.csv:reference', ks_alpha: 0.05, test_size: 0.3, val_size: 0.3, stratify: 'genre', bootstrap_reference: true, sha256: null });
    expect(config.download.artifact_name).toBe('raw_data.parquet');
    expect(config.checks.ks.columns).toHaveLength(10);
  });

  it('applies overrides before validating', () => {
    expect(loadConfig(CONFIG, ['data.test_size=0.2', 'data.stratify=null']).data).toMatchObject({ test_size: 0.2, stratify: null });
  });

  it('reads a lone value or a simple sweep of a list-typed key as the list (Hydra\'s documented convenience)', () => {
    expect(loadConfig(CONFIG, ['main.execute_steps=download']).main.execute_steps).toEqual(['download']);
    expect(loadConfig(CONFIG, ['main.execute_steps=download,preprocess']).main.execute_steps).toEqual(['download', 'preprocess']);
    expect(loadConfig(CONFIG, ['main.execute_steps=download, check_data']).main.execute_steps).toEqual(['download', 'check_data']);
    expect(loadConfig(CONFIG, ['preprocess.text_columns=title']).preprocess.text_columns).toEqual(['title']);
    // Not for other keys, nor for sweeps of lists or explicit choice().
    expect(() => loadConfig(CONFIG, ['data.stratify=genre,artist'])).toThrow(/is a sweep; sweeps need --multirun/);
    expect(() => loadConfig(CONFIG, ['main.execute_steps=[download],[preprocess]'])).toThrow(/is a sweep; sweeps need --multirun/);
    expect(() => loadConfig(CONFIG, ['main.execute_steps=choice(download,preprocess)'])).toThrow(/is a sweep; sweeps need --multirun/);
  });

  it('takes whole numbers of rows as split sizes, as train_test_split does (1 is one row)', () => {
    expect(loadConfig(CONFIG, ['data.test_size=500', 'data.val_size=1']).data).toMatchObject({ test_size: 500, val_size: 1 });
    expect(loadConfig(CONFIG, ['main.random_seed=4294967295']).main.random_seed).toBe(2 ** 32 - 1);
    expect(loadConfig(CONFIG).segregate.keep_input_order).toBe(false);
  });

  it.each([
    [['+data.tset_size=0.2'], /config.yaml: unknown key data.tset_size \(did you mean data.test_size\?\); allowed here: file_url/],
    [['data.test_size=abc'], /data.test_size \(--test-size of the segregate step\) = "abc" is not allowed: it must be a number in \(0, 1\) or a whole number >= 1$/],
    [['data.test_size=1.5'], /data.test_size \(--test-size of the segregate step\) = 1.5 is not allowed: it must be a number in \(0, 1\) or a whole number >= 1$/],
    [['data.test_size=0'], /data.test_size \(--test-size of the segregate step\) = 0 is not allowed: it must be a number in \(0, 1\) or a whole number >= 1$/],
    [['data.val_size=-1'], /data.val_size \(--val-size of the segregate step\) = -1 is not allowed: it must be a number in \[0, 1\) or a whole number >= 1$/],
    [['main.random_seed=4294967296'], /main.random_seed \(--random-seed of the segregate step\) = 4294967296 is not allowed: it must be a whole number in \[0, 4294967295\]$/],
    [['segregate.keep_input_order=yes'], /segregate.keep_input_order \(--keep-input-order of the segregate step\) = "yes" is not allowed: it must be true or false$/],
    [['data.ks_alpha=1.5'], /data.ks_alpha \(--ks-alpha of the check_data step\) = 1.5 is not allowed: it must be a number in \(0, 1\)$/],
    [['data.ks_alpha=0'], /data.ks_alpha \(--ks-alpha of the check_data step\) = 0 is not allowed/],
    [['main.random_seed=-1'], /main.random_seed \(--random-seed of the segregate step\) = -1 is not allowed: it must be a whole number in \[0, 4294967295\]$/],
    [['main.random_seed=1.5'], /main.random_seed \(--random-seed of the segregate step\) = 1.5 is not allowed: it must be a whole number in \[0, 4294967295\]$/],
    [['++download.idle_timeout=0'], /download.idle_timeout \(--idle-timeout of the download step\) = 0 is not allowed: it must be a number in \(0, 86400\]$/],
    [['++download.connect_timeout=1e9'], /download.connect_timeout \(--connect-timeout of the download step\) = 1000000000 is not allowed: it must be a number in \(0, 86400\]$/],
    [['++download.retries=21'], /download.retries \(--retries of the download step\) = 21 is not allowed: it must be a whole number in \[0, 20\]$/],
    [['main.execute_steps=[]'], /main.execute_steps is empty: it must list at least 1 of download, preprocess, check_data, segregate$/],
    [["++preprocess.text_feature=''"], /preprocess.text_feature \(--text-feature of the preprocess step\) is empty: give a non-empty text$/],
    [['++preprocess.text_columns=[]'], /preprocess.text_columns \(--text-columns of the preprocess step\) is empty: it must list at least 1$/],
    [['data.file_url=file://evil.example.com/etc/passwd'], /^data.file_url "file:\/\/evil.example.com\/etc\/passwd" names the host "evil.example.com", but a file URL can only name a file on this machine$/],
    [['data.file_url=file://../../etc/passwd'], /^data.file_url "file:\/\/..\/..\/etc\/passwd" is a relative path written as a file URL$/],
    [['main.execute_steps=[download,train]'], /main.execute_steps.1 = "train" is not allowed; use one of: download, preprocess, check_data, segregate/],
    [['~main.project_name'], /main is missing the required key project_name/],
    [['checks.ranges.tempo=[1]'], /checks.ranges.tempo = \[1\] is invalid/],
  ])('rejects %j on one line with the key, the value and what is allowed', (overrides, message) => {
    expect(() => loadConfig(CONFIG, overrides)).toThrow(message);
  });

  it('reads the sweep: section as overrides, refuses one that is not sweeps, and leaves it out of the config', () => {
    const dir = tempDir();
    try {
      const base = readFileSync(CONFIG, 'utf8');
      writeFileSync(join(dir.path, 'sweep.yaml'), `${base}sweep:\n  data.test_size: 0.2,0.3\n  main.random_seed: 7\n  data.stratify: choice(genre,null)\n`);
      expect(sweepSection(join(dir.path, 'sweep.yaml'))).toEqual(['data.test_size=0.2,0.3', 'main.random_seed=7', 'data.stratify=choice(genre,null)']);
      expect(loadConfig(join(dir.path, 'sweep.yaml'))).not.toHaveProperty('sweep');
      expect(sweepSection(CONFIG)).toEqual([]);
      writeFileSync(join(dir.path, 'list.yaml'), `${base}sweep:\n  data.test_size: [0.2, 0.3]\n`);
      expect(() => sweepSection(join(dir.path, 'list.yaml'))).toThrow(/sweep.data.test_size must be a sweep written as on the command line, such as "0.2,0.3" or "range\(1,4\)"$/);
      writeFileSync(join(dir.path, 'bad.yaml'), `${base}sweep: [a]\n`);
      expect(() => sweepSection(join(dir.path, 'bad.yaml'))).toThrow(/sweep must be a mapping of keys to sweeps/);
    } finally {
      dir.remove();
    }
  });

  it('names a misspelt key in the file as unknown, with the key it is closest to, rather than the key it lacks', () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'config.yaml');
      writeFileSync(path, readFileSync(CONFIG, 'utf8').replace(/^  test_size:/m, '  tset_size:'));
      expect(() => loadConfig(path)).toThrow(/config.yaml: unknown key data.tset_size \(did you mean data.test_size\?\); allowed here: file_url, /);
      writeFileSync(path, readFileSync(CONFIG, 'utf8').replace(/^  project_name:/m, '  projekt:'));
      expect(() => loadConfig(path)).toThrow(/config.yaml: unknown key main.projekt \(did you mean main.project_name\?\); allowed here: project_name, /);
      writeFileSync(path, readFileSync(CONFIG, 'utf8').replace(/^  project_name:/m, '  title:'));
      // Not close to any key: named as unknown, and the key it lacks as missing, together.
      expect(() => loadConfig(path)).toThrow(expect.objectContaining({
        message: expect.stringMatching(/config.yaml has 2 problems$/),
        problems: [
          expect.objectContaining({ message: expect.stringMatching(/^unknown key main.title; allowed here: project_name, /) }),
          expect.objectContaining({ message: 'main is missing the required key project_name' }),
        ],
      }));
    } finally {
      dir.remove();
    }
  });

  it('accepts the file URLs of this machine: file:///PATH and file://localhost/PATH', () => {
    expect(loadConfig(CONFIG, ['data.file_url=file:///srv/songs.csv']).data.file_url).toBe('file:///srv/songs.csv');
    expect(loadConfig(CONFIG, ['data.file_url=file://localhost/srv/songs.csv']).data.file_url).toBe('file://localhost/srv/songs.csv');
  });

  it('names a missing or malformed config file', () => {
    const dir = tempDir();
    try {
      expect(() => loadConfig(join(dir.path, 'config.yaml'))).toThrow(/cannot read the config file .*config.yaml: it does not exist/);
      writeFileSync(join(dir.path, 'bad.yaml'), 'main: [unclosed');
      expect(() => loadConfig(join(dir.path, 'bad.yaml'))).toThrow(/is not valid YAML/);
    } finally {
      dir.remove();
    }
  });
});
