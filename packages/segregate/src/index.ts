export { segregate, type SegregateParams, type SegregateResult, type SplitOutput } from './segregate.js';
export { RandomState } from './random-state.js';
export { trainTestSplit, type Classes, type TrainTest } from './shuffle-split.js';
export { SEGREGATE_PARAMS } from './params.js';
