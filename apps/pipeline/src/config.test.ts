import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mldp/store/testing';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

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

  it.each([
    [['+data.tset_size=0.2'], /config.yaml: unknown key data.tset_size \(did you mean data.test_size\?\); allowed here: file_url/],
    [['data.test_size=abc'], /data.test_size = "abc" has the wrong type: it must be number/],
    [['data.test_size=1'], /data.test_size = 1 is invalid: it must be < 1/],
    [['data.test_size=0'], /data.test_size = 0 is invalid: it must be > 0/],
    [['data.ks_alpha=1.5'], /data.ks_alpha = 1.5 is invalid: it must be < 1/],
    [['data.ks_alpha=0'], /data.ks_alpha = 0 is invalid/],
    [['main.random_seed=-1'], /main.random_seed = -1 is invalid: it must be >= 0/],
    [['main.execute_steps=[download,train]'], /main.execute_steps.1 = "train" is not allowed; use one of: download, preprocess, check_data, segregate/],
    [['~main.project_name'], /main is missing the required key project_name/],
    [['checks.ranges.tempo=[1]'], /checks.ranges.tempo = \[1\] is invalid/],
  ])('rejects %j on one line with the key, the value and what is allowed', (overrides, message) => {
    expect(() => loadConfig(CONFIG, overrides)).toThrow(message);
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
