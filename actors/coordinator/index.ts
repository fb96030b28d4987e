// Layer 4 logic: packs, engagements, battle contexts, plans, their validation, the local tactician and the coordinator.
export { MAX_PACK_SIZE, ROLES, TARGET_ROLES, POINT_ROLES, FORMATIONS, AssignmentSchema, PlanSchema, TACTICIAN_SOURCE, ORDER_TOPIC, PACK_TOPIC, HELP_TOPIC, TARGET_TOPIC, LEADER_DOWN_TOPIC } from './plan.ts';
export type { Role, Formation, Assignment, Plan, PlanSource, PlanRequest, PlanPayer, PlanReply, Order } from './plan.ts';
export { buildBattleContext } from './battleContext.ts';
export type { BattleContext, BattleInput, MemberView, PlayerView } from './battleContext.ts';
export { terrainAround, nearestWalkable } from './terrainAround.ts';
export type { TerrainSummary, Offset } from './terrainAround.ts';
export { detectEngagements, rosterAround, leaderOf, packOf, PACK_KINDS } from './engagement.ts';
export type { Engagement, EngagementView } from './engagement.ts';
export { validatePlan } from './validatePlan.ts';
export type { PlanWorld, PlanRepair, PlanCheck } from './validatePlan.ts';
export { localTactician, membersByRole } from './tactician.ts';
export { battlePayers, MAX_PAYERS } from './payers.ts';
export type { BattlePlayer } from './payers.ts';
export type { TacticianOptions } from './tactician.ts';
export { coordinatorBehaviour, CoordinatorParamsSchema, packPlans, coordinatorSpawn } from './coordinator.ts';
export type { CoordinatorParams, CoordinatorState, CoordinatorStats, PackRecord, ActivePlan, PendingPlan, PackPlanView } from './coordinator.ts';
