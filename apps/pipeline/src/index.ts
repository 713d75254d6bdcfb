export { loadConfig, readConfigFile, validateConfig, type ResolvedConfig } from './config.js';
export { configSchema, type PipelineConfig, type StepName } from './config-schema.js';
export { applyOverrides } from './overrides.js';
export {
  ChoiceSweep,
  IntervalSweep,
  OverrideError,
  RangeSweep,
  isSweep,
  parseOverride,
  type Override,
  type OverrideType,
  type OverrideValue,
  type Sweep,
  type SweepItem,
  type ValueType,
} from './override-grammar/index.js';
export { runPipeline, type PipelineOptions, type PipelineOutcome } from './orchestrator.js';
export { planStep, stepBin, stepsToRun, type StepPlan } from './steps.js';
export { cacheKeyOf, type CacheKey, type CacheKeyParts } from './cache-key.js';
export { formatLineage, traceLineage, type LineageNode } from './lineage.js';
