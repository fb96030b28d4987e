// Designer scenarios: the definition (browser-safe zod schema), its placement in a world, its translation into
// spawn inputs, the director that runs its triggers inside the simulation, and the end conditions of headless runs.
export {
  ScenarioSchema, SpawnSchema, PackSpawnSchema, MonsterSpawnSchema, NpcSchema, TriggerSchema, ConditionSchema, ScenarioLlmSchema, ScenarioWorldSchema,
  TraitOverridesSchema, MonsterTuningSchema, RegionSchema, PointSchema, ScenarioPlayerSchema, SCENARIO_SPECIES, MAX_SCENARIO_MONSTERS,
  checkScenario, parseScenario, spawnId,
} from './scenarioSchema.ts';
export type { Scenario, ScenarioInput, Spawn, PackSpawn, MonsterSpawn, Npc, Trigger, Condition, Region, Point } from './scenarioSchema.ts';
export { resolveSite, flatSite } from './scenarioSite.ts';
export type { ScenarioSite, Rect } from './scenarioSite.ts';
export { planScenario } from './scenarioPlan.ts';
export type { PlanOptions, ScenarioPlan } from './scenarioPlan.ts';
export { directorBehaviour, DirectorParamsSchema, inPack, isNamed } from './director.ts';
export type { DirectorParams, DirectorState, DirectorTrigger, DirectorAction, DirectorWhen } from './director.ts';
export { scenarioPlayerBehaviour, ScenarioPlayerParamsSchema } from './scenarioPlayer.ts';
export type { ScenarioPlayerParams, ScenarioPlayerState } from './scenarioPlayer.ts';
export { checkOutcome } from './outcome.ts';
export type { ResolvedCondition, Outcome } from './outcome.ts';
export { inputIssues } from './checkInputs.ts';
