export { segregate, type SegregateParams, type SegregateResult, type SplitOutput } from './segregate.js';
export { allocateByClass, resolveSplitSize } from './allocation.js';
export { assignSplits } from './assignment.js';
export { Xoshiro128 } from './prng.js';
export { SEGREGATE_PARAMS } from './params.js';
