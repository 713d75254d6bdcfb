import { describe, expect, it } from 'vitest';
import { InvalidReferenceError } from './errors.js';
import { assertValidAlias, assertValidName, formatRef, parseArtifactRef } from './names.js';

describe('parseArtifactRef', () => {
  it('reads name, name:vN, name:alias and project/name:alias', () => {
    expect(parseArtifactRef('raw_data.parquet')).toEqual({ project: undefined, name: 'raw_data.parquet', label: 'latest' });
    expect(parseArtifactRef('raw_data.parquet:v3')).toEqual({ project: undefined, name: 'raw_data.parquet', label: 'v3' });
    expect(parseArtifactRef('preprocessed_data.csv:reference')).toEqual({ project: undefined, name: 'preprocessed_data.csv', label: 'reference' });
    expect(parseArtifactRef('ml_data_pipeline/raw_data.parquet:latest')).toEqual({ project: 'ml_data_pipeline', name: 'raw_data.parquet', label: 'latest' });
    expect(formatRef(parseArtifactRef('p/n:v1'))).toBe('p/n:v1');
  });

  it.each(['', ':latest', 'name:', '../x', 'a/b/c:latest', 'x\0y', '/etc/passwd', 'name:..', 'na me:latest'])('rejects %j with a usage error', (ref) => {
    expect(() => parseArtifactRef(ref)).toThrow(InvalidReferenceError);
    try {
      parseArtifactRef(ref);
    } catch (error) {
      expect((error as InvalidReferenceError).exitCode).toBe(2);
    }
  });
});

describe('names', () => {
  it.each(['../x', '..', 'a/../b', '/abs', 'a\\b', 'x\0', '.hidden', ''])('rejects the name %j', (name) => {
    expect(() => assertValidName('artifact name', name)).toThrow(/artifact name/);
  });

  it('reserves vN for versions', () => {
    expect(() => assertValidAlias('v2')).toThrow(/reserved/);
    expect(() => assertValidAlias('reference')).not.toThrow();
  });
});
