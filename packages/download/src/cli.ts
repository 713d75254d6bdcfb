#!/usr/bin/env node
import { UsageError, runStepCli } from '@mldp/store';
import { download } from './download.js';

await runStepCli({
  step: 'download',
  bin: 'mldp-download',
  description: 'Fetch a file from an http(s) URL, a file:// URL or a path into a versioned artifact.',
  options: {
    'file-url': { type: 'string', demandOption: true, describe: 'http(s):// URL, file:// URL or path' },
    'artifact-name': { type: 'string', demandOption: true, describe: 'name of the artifact to log' },
    'artifact-type': { type: 'string', default: 'raw_data', describe: 'type of the artifact' },
    'artifact-description': { type: 'string', default: '', describe: 'description of the artifact' },
    sha256: { type: 'string', describe: 'expected sha256 of the content; a mismatch stores nothing' },
    'connect-timeout': { type: 'number', default: 10, describe: 'seconds to wait for a connection' },
    'idle-timeout': { type: 'number', default: 30, describe: 'seconds the server may stay silent' },
    retries: { type: 'number', default: 2, describe: 'further attempts on network errors and 5xx' },
    'retry-delay': { type: 'number', default: 0.5, describe: 'seconds before the first retry (doubled each time)' },
    'max-redirects': { type: 'number', default: 5, describe: 'redirects to follow at most' },
  },
  parse(args) {
    for (const name of ['connect-timeout', 'idle-timeout', 'retries', 'retry-delay', 'max-redirects']) {
      const value = args[name] as number;
      if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a number >= 0, got ${args[name]}`);
    }
    return {
      fileUrl: String(args['file-url']),
      artifactName: String(args['artifact-name']),
      artifactType: String(args['artifact-type']),
      artifactDescription: String(args['artifact-description']),
      sha256: args.sha256 === undefined ? undefined : String(args.sha256),
      fetch: {
        connectTimeoutMs: (args['connect-timeout'] as number) * 1000,
        idleTimeoutMs: (args['idle-timeout'] as number) * 1000,
        retries: Math.floor(args.retries as number),
        retryDelayMs: (args['retry-delay'] as number) * 1000,
        maxRedirects: Math.floor(args['max-redirects'] as number),
      },
    };
  },
  async execute(params, { store, run, reporter, workDir }) {
    const result = await download(params, store, { run, reporter, workDir: await workDir() });
    await run.logMetrics({ size_bytes: result.size });
    if (result.notModified) await run.setInfo({ not_modified: true });
  },
});
