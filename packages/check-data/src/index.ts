export { checkData, ChecksFailedError, type CheckDataParams, type CheckDataResult } from './check-data.js';
export { DEFAULT_CHECKS, checksSchema, type ChecksConfig } from './checks-config.js';
export { ks2Samp, type KsMethod, type KsResult } from './ks.js';
export type { CheckReport } from './report.js';
export { CHECK_DATA_PARAMS } from './params.js';
