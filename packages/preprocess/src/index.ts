export { DEFAULT_TEXT_COLUMNS, DEFAULT_TEXT_FEATURE, preprocess, type PreprocessParams, type PreprocessResult } from './preprocess.js';
export { PREPROCESS_PARAMS } from './params.js';
