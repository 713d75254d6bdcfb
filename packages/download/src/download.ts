import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describeRule, MldpError, plural, type Reporter, satisfies, silentReporter, UsageError } from '@mldp/runtime';
import { type ArtifactVersion, type StepOptions, type Store } from '@mldp/store';
import { DownloadError } from './errors.js';
import { DEFAULT_FETCH_OPTIONS, type FetchOptions, fetchToFile } from './http-fetch.js';
import { DOWNLOAD_PARAMS } from './params.js';
import { contentTypeOf, fileNameOf, parseSource } from './source.js';

export interface DownloadParams {
  /** An http(s):// URL, a file:// URL or a path (relative to `cwd`). */
  fileUrl: string;
  artifactName: string;
  artifactType: string;
  artifactDescription?: string;
  /** Refuse the file unless its content has this sha256. */
  sha256?: string;
  /** Timeouts, retries and redirects; defaults in DEFAULT_FETCH_OPTIONS. */
  fetch?: Partial<FetchOptions>;
  cwd?: string;
}

export interface DownloadResult {
  artifact: ArtifactVersion;
  /** False when the bytes equalled the latest version's (no new version). */
  created: boolean;
  /** True when the server answered 304 Not Modified to a conditional request. */
  notModified: boolean;
  size: number;
  sha256: string;
}

export type DownloadOptions = StepOptions;

/** Fetches a URL or copies a local file into a versioned artifact. */
export async function download(params: DownloadParams, store: Store, options: DownloadOptions = {}): Promise<DownloadResult> {
  const reporter = options.reporter ?? silentReporter;
  checkFetchOptions(params.fetch ?? {});
  const source = parseSource(params.fileUrl, params.cwd);
  const fileName = fileNameOf(source, params.artifactName);
  const expectedSha256 = params.sha256?.toLowerCase();
  if (expectedSha256 !== undefined && !/^[0-9a-f]{64}$/.test(expectedSha256)) {
    throw new DownloadError('E_BAD_SHA256', `--sha256 "${params.sha256}" is not a sha256 hex digest`, false, {
      hint: 'give 64 hexadecimal characters, as printed by sha256sum',
    });
  }
  const spec = {
    name: params.artifactName,
    type: params.artifactType,
    description: params.artifactDescription ?? '',
  };

  if (source.kind === 'file') {
    const stat = await fs.stat(source.path).catch(() => undefined);
    if (!stat) {
      throw new DownloadError('E_SOURCE_MISSING', `the file ${source.path} does not exist`, false, { hint: 'check the path in --file-url (data.file_url)' });
    }
    if (!stat.isFile()) {
      throw new DownloadError('E_SOURCE_NOT_FILE', `${source.path} is not a regular file`, false, { hint: 'point --file-url at a file, not a folder' });
    }
    reporter.info(`download: copying ${source.path} (${plural(stat.size, 'byte')})`);
    const logged = await store.logArtifact(
      {
        ...spec,
        files: [{ path: source.path, name: fileName, expectedSha256 }],
        metadata: { source_url: params.fileUrl, content_type: contentTypeOf(fileName) },
      },
      options.run,
    );
    return finish(logged.version, logged.created, reporter);
  }

  // A rerun asks the server whether the file changed since the latest version was fetched.
  const latest = await store.artifacts.tryResolve({ name: params.artifactName, label: 'latest' });
  const validators = latest?.metadata.source_url === params.fileUrl ? conditionalHeaders(latest.metadata) : {};
  return store.withWorkDir(options.workDir, async (workDir) => {
    try {
      const target = join(workDir, fileName);
      const fetched = await fetchToFile(source.url, target, {
        ...DEFAULT_FETCH_OPTIONS,
        ...params.fetch,
        headers: { ...params.fetch?.headers, ...validators },
        onProgress: (bytes, total) => reporter.progress('download', bytes, total, 'bytes'),
        onRetry: (attempt, error, delay) => reporter.warn(`${error.message}; retrying in ${delay} ms (attempt ${attempt + 1})`),
      });
      reporter.endProgress();
      if (fetched.status === 304 && latest) {
        await options.run?.produced(`${latest.name}:${latest.version}`);
        reporter.info(`download: ${params.fileUrl} is not modified (HTTP 304); ${latest.name}:${latest.version} reused`);
        return { artifact: latest, created: false, notModified: true, size: latest.files[0].size, sha256: latest.files[0].sha256 };
      }
      if (expectedSha256 && fetched.sha256 !== expectedSha256) {
        throw new DownloadError('E_CHECKSUM', `${source.url} has sha256 ${fetched.sha256}, but ${expectedSha256} was expected`, false, {
          hint: 'check the URL and the expected sha256; nothing was stored',
        });
      }
      const metadata: Record<string, unknown> = {
        source_url: params.fileUrl,
        final_url: fetched.finalUrl,
        content_type: fetched.contentType ?? contentTypeOf(fileName),
      };
      if (fetched.etag) metadata.etag = fetched.etag;
      if (fetched.lastModified) metadata.last_modified = fetched.lastModified;
      const logged = await store.logArtifact({ ...spec, files: [{ path: target, name: fileName }], metadata, move: true }, options.run);
      return finish(logged.version, logged.created, reporter);
    } catch (error) {
      if (error instanceof MldpError) throw error;
      throw new DownloadError('E_DOWNLOAD', `downloading ${params.fileUrl} failed: ${(error as Error).message}`, false, { cause: error });
    }
  });
}

function finish(artifact: ArtifactVersion, created: boolean, reporter: Reporter): DownloadResult {
  const [file] = artifact.files;
  reporter.info(
    created
      ? `download: logged ${artifact.name}:${artifact.version} (${plural(file.size, 'byte')}, sha256 ${file.sha256})`
      : `download: content unchanged, ${artifact.name}:${artifact.version} reused (sha256 ${file.sha256})`,
  );
  return { artifact, created, notModified: false, size: file.size, sha256: file.sha256 };
}

/** The fetch options obey the rules of the bin's flags (a timeout of 0 would wait forever). */
function checkFetchOptions(fetch: Partial<FetchOptions>): void {
  const given: Record<'connect_timeout' | 'idle_timeout' | 'retries' | 'retry_delay' | 'max_redirects', number | undefined> = {
    connect_timeout: fetch.connectTimeoutMs === undefined ? undefined : fetch.connectTimeoutMs / 1000,
    idle_timeout: fetch.idleTimeoutMs === undefined ? undefined : fetch.idleTimeoutMs / 1000,
    retries: fetch.retries,
    retry_delay: fetch.retryDelayMs === undefined ? undefined : fetch.retryDelayMs / 1000,
    max_redirects: fetch.maxRedirects,
  };
  for (const [name, value] of Object.entries(given)) {
    const param = DOWNLOAD_PARAMS[name as keyof typeof given];
    if (value !== undefined && !satisfies(value, param.rule)) {
      throw new UsageError(`the download's ${name} ${value} is not allowed`, { hint: `give ${describeRule(param.rule)} (${param.describe})` });
    }
  }
}

/** If-None-Match / If-Modified-Since from what the server sent last time. */
function conditionalHeaders(metadata: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof metadata.etag === 'string') headers['if-none-match'] = metadata.etag;
  if (typeof metadata.last_modified === 'string') headers['if-modified-since'] = metadata.last_modified;
  return headers;
}
