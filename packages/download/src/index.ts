export { download, type DownloadOptions, type DownloadParams, type DownloadResult } from './download.js';
export { DownloadError } from './errors.js';
export { DEFAULT_FETCH_OPTIONS, fetchToFile, type FetchOptions, type FetchResult } from './http-fetch.js';
export { parseSource, fileNameOf, type Source } from './source.js';
export { DOWNLOAD_PARAMS, MAX_WAIT_SECONDS } from './params.js';
