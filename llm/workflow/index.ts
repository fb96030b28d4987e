// Workflows as data: a named list of steps (ask, transform, validate, parallel, when) and a fallback, run through the gateway.
export { STEP_KINDS, Rejected, reject, stepsFor } from './steps.ts';
export type { StepKind, Patch, StepOutcome, StepContext, AskOptions, AskStep, TransformStep, ValidateStep, ParallelStep, WhenStep, Step, StepFailure, FallbackStep, StepBuilders } from './steps.ts';
export { defineWorkflow, STEP_NAME, DEFAULT_WORKFLOW_DEADLINE_MS } from './defineWorkflow.ts';
export type { WorkflowDefinition, Workflow } from './defineWorkflow.ts';
export { runWorkflow, DEFAULT_GRACE_MS } from './runWorkflow.ts';
export type { WorkflowGateway, RunOptions, StepRecord, StepOutcomeName, WorkflowResult, RunEnd } from './runWorkflow.ts';
