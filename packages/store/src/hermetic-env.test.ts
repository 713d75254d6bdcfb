import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hermeticEnv } from '../../../vitest.hermetic-env.js';

describe('the environment tests run in (vitest.hermetic-env.ts)', () => {
  it("drops the caller's mldp, AWS and colour variables, and keeps the harness's switches", () => {
    const caller = {
      PATH: '/usr/bin',
      HOME: '/home/me',
      MLDP_PROJECT: 'mine',
      MLDP_STORE: '/not/here',
      MLDP_STORE_READONLY: '1',
      MLDP_QUEUE: 'redis://127.0.0.1:9',
      MLDP_SOMETHING_NEW: 'x',
      MLDP_TEST_S3_ENDPOINT: 'http://127.0.0.1:7480',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_PROFILE: 'work',
      NO_COLOR: '1',
      FORCE_COLOR: '1',
      XDG_CACHE_HOME: '/elsewhere',
    };
    expect(hermeticEnv(caller, '/scratch')).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/me',
      MLDP_TEST_S3_ENDPOINT: 'http://127.0.0.1:7480',
      CI: 'true',
      XDG_CACHE_HOME: '/scratch/cache',
      AWS_CONFIG_FILE: '/scratch/no-aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/scratch/no-aws-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });

  it('is what this test and the processes it starts see: only the harness sets MLDP_* and AWS_*', () => {
    const child = JSON.parse(spawnSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.env))'], { encoding: 'utf8' }).stdout) as Record<string, string>;
    const set = (env: Record<string, string | undefined>) => Object.keys(env).filter((name) => /^(MLDP_|AWS_|CI$|NO_COLOR$|FORCE_COLOR$|XDG_CACHE_HOME$)/.test(name)).sort();
    // The S3 global setup (tests/global-setup.ts) adds its endpoint, keys and read cache; nothing else is there.
    const harness = ['AWS_ACCESS_KEY_ID', 'AWS_CONFIG_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'AWS_SHARED_CREDENTIALS_FILE', 'CI', 'MLDP_CACHE_DIR', 'XDG_CACHE_HOME'];
    const optional = /^MLDP_TEST_/;
    expect(set(child).filter((name) => !optional.test(name))).toEqual(process.env.MLDP_TEST_S3_SKIP ? harness.filter((n) => !/^AWS_(ACCESS|ENDPOINT|REGION|SECRET)/.test(n)) : harness);
    for (const name of set(child)) expect(child[name]).toBe(process.env[name]);
    expect(child.CI).toBe('true');
  });
});
