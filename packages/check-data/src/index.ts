export { checkData, ChecksFailedError, type CheckDataParams, type CheckDataResult } from './check-data.js';
export { DEFAULT_CHECKS, checksSchema, loadChecksFile, resolveChecks, type ChecksConfig } from './checks-config.js';
export { ks2Samp, ks2SampSorted, MAX_AUTO_N, type KsMethod, type KsResult } from './ks.js';
export { kolmogorovSf, smirnovSf } from './kolmogorov.js';
export { chiSquareHomogeneity, chiSquareSf, type ChiSquareResult } from './chi-square.js';
export { bonferroniAlpha, histogramOf, type Histogram, type KsColumnResult, type TestResult, type CategoricalResult } from './data-tests.js';
export type { CheckReport } from './report.js';
export { CHECK_DATA_PARAMS } from './params.js';
