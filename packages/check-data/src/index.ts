export { ks2Samp, ks2SampSorted, MAX_AUTO_N, type KsMethod, type KsResult } from './ks.js';
export { kolmogorovSf, smirnovSf } from './kolmogorov.js';
