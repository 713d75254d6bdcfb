/**
 * The steps of an mldp pipeline, in the order they run: config.yaml's `main.execute_steps` names
 * them, the orchestrator runs them in this order, and reports list them so. The one list of them.
 */
export const PIPELINE_STEPS = ['download', 'preprocess', 'check_data', 'segregate'] as const;

export type PipelineStep = (typeof PIPELINE_STEPS)[number];

/** A step's place in the pipeline; a name that is no step comes after every step. */
export function pipelineOrder(step: string): number {
  const index = (PIPELINE_STEPS as readonly string[]).indexOf(step);
  return index < 0 ? PIPELINE_STEPS.length : index;
}
