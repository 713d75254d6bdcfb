export { preprocess, type PreprocessParams, type PreprocessResult } from './preprocess.js';
export { PREPROCESS_PARAMS } from './params.js';
