export type { ActorId } from './ids.ts';
export { NO_ACTOR } from './ids.ts';
export type {
  Message, TickMessage, ReplyMessage, HitMessage, DiedMessage, ChildFailedMessage, CommandMessage, TimerMessage, SignalMessage,
} from './messages.ts';
export { TICK, MOVED, messageProblem } from './messages.ts';
export type { Effect, WorldEvent } from './effects.ts';
export { NO_EFFECTS, effectProblem } from './effects.ts';
export type { Behaviour, ActorContext, Transition } from './behaviour.ts';
export { UNCHANGED } from './behaviour.ts';
export { BehaviourRegistry } from './behaviour.ts';
export type { Body } from './body.ts';
export { newBody } from './body.ts';
export type { SupervisionPolicy, FailureRecord } from './supervision.ts';
export { DEFAULT_POLICY } from './supervision.ts';
export { SpawnSpecSchema, BodySpecSchema } from './spawnSpec.ts';
export type { SpawnSpec, ParsedSpawnSpec } from './spawnSpec.ts';
export type { Problem, ProblemCode, WorldStats } from './problems.ts';
export { createWorld, liveActors } from './world.ts';
export type { World, WorldConfig, Actor, PendingAsk, MindRequest, ActorEvent, CreateWorldOptions } from './world.ts';
export { spawnActor, stopActor, enqueue } from './lifecycle.ts';
export type { SpawnResult } from './lifecycle.ts';
export type { WorldInput, ReplyInput, StepInputs } from './inputs.ts';
export { step } from './step.ts';
export { isShielded, anyShielded } from './shield.ts';
export type { StepReport } from './step.ts';
export { stateHash } from './stateHash.ts';
export type { EventLog, LogEntry } from './eventLog.ts';
export { EventLogSchema } from './eventLog.ts';
export { Simulation, replay, parseEventLog } from './simulation.ts';
export type { SimulationOptions, RecordingWindow } from './simulation.ts';
export * from './snapshot/index.ts';
export * from './transfer/index.ts';
export * from './ghosts/index.ts';
export { zoneIdBase, zoneIdRange, zoneOfId, ZONE_MIN, ZONE_MAX, ZONE_ID_SPAN } from './zoneIds.ts';
export { SpatialHash } from './spatialHash.ts';
export { Mailbox } from './mailbox.ts';
export { FlatTerrain } from './flatTerrain.ts';
export { monsterBehaviour, MonsterParamsSchema } from './behaviours/monster.ts';
export type { MonsterParams, MonsterState, MonsterMode } from './behaviours/monster.ts';
export { playerBehaviour, PlayerParamsSchema } from './behaviours/player.ts';
export type { PlayerParams, PlayerState } from './behaviours/player.ts';
export { defaultRegistry } from './defaultRegistry.ts';
export { npcBehaviour, NpcParamsSchema, NpcPersonaSchema, NpcStanceSchema, NPC_STANCES, CALL_GUARDS_TOPIC, stanceOfRole, npcStance, npcRoleOf } from './behaviours/npc.ts';
export type { NpcParams, NpcState, NpcStance, NpcAlarm } from './behaviours/npc.ts';
export { neutralWith, TraitOverridesParamSchema } from './behaviours/traitOverrides.ts';
export type { TraitOverrides } from './behaviours/traitOverrides.ts';
export { traitEffects } from './behaviours/traitEffects.ts';
export type { TraitEffects, TraitEffectParams } from './behaviours/traitEffects.ts';
export * from './scenario/index.ts';
export { demoSpawns } from './demoSpawns.ts';
export type { DemoSpawnOptions } from './demoSpawns.ts';
export { packSpawns, WILD } from './packSpawns.ts';
export { MIND_PORTS, TRAIT_NAMES, ACTIONS, INTENTS } from './ports.ts';
export type {
  MindPortName, Traits, PersonalityRequest, Personality, OrderKind, Perception, ThinkRequest, Action, Decision, Intent, Persona, MemoryLine, DispositionChange, PlayerMemory, ChatPayer, ChatRequest, ChatReply, MindHooks, SpeechChunk, Mind,
} from './ports.ts';
export {
  MAX_PACK_SIZE, ROLES, TARGET_ROLES, POINT_ROLES, FORMATIONS, AssignmentSchema, PlanSchema, TACTICIAN_SOURCE, ORDER_TOPIC, PACK_TOPIC, HELP_TOPIC, TARGET_TOPIC, LEADER_DOWN_TOPIC,
  buildBattleContext, terrainAround, nearestWalkable, detectEngagements, rosterAround, leaderOf, packOf, validatePlan, localTactician, membersByRole,
  coordinatorBehaviour, CoordinatorParamsSchema, packPlans, coordinatorSpawn, battlePayers, MAX_PAYERS,
} from './coordinator/index.ts';
export type {
  Role, Formation, Assignment, Plan, PlanSource, PlanRequest, PlanPayer, PlanReply, Order, BattleContext, BattleInput, MemberView, PlayerView, TerrainSummary, Offset,
  Engagement, EngagementView, PlanWorld, PlanRepair, PlanCheck, TacticianOptions, CoordinatorParams, CoordinatorState, CoordinatorStats, PackRecord, ActivePlan,
  PendingPlan, PackPlanView, BattlePlayer,
} from './coordinator/index.ts';
export { advanceClock } from './clockJump.ts';
