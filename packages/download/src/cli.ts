#!/usr/bin/env node
import { packageVersion, runCli } from '@mldp/runtime';
import { stepCommand } from '@mldp/store';
import { download } from './download.js';
import { DOWNLOAD_PARAMS } from './params.js';
import { parseSource } from './source.js';

await runCli(
  stepCommand({
    step: 'download',
    bin: 'mldp-download',
    version: packageVersion(import.meta.url),
    description: 'Fetch a file from an http(s) URL, a file:// URL or a path into a versioned artifact.',
    options: {},
    params: DOWNLOAD_PARAMS,
    parse(args) {
      const fileUrl = String(args['file-url']);
      parseSource(fileUrl); // refuses a bad URL before a run is recorded
      const seconds = (name: string): number => (args[name] as number) * 1000;
      return {
        fileUrl,
        artifactName: String(args['artifact-name']),
        artifactType: String(args['artifact-type']),
        artifactDescription: String(args['artifact-description']),
        sha256: args.sha256 == null ? undefined : String(args.sha256),
        fetch: {
          connectTimeoutMs: seconds('connect-timeout'),
          idleTimeoutMs: seconds('idle-timeout'),
          retries: args.retries as number,
          retryDelayMs: seconds('retry-delay'),
          maxRedirects: args['max-redirects'] as number,
        },
      };
    },
    async execute(params, { store, run, reporter, workDir }) {
      const result = await download(params, store, { run, reporter, workDir: await workDir() });
      await run.logMetrics({ size_bytes: result.size });
      if (result.notModified) await run.setInfo({ not_modified: true });
    },
  }),
);
