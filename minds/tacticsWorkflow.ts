import type { ZodType } from 'zod';
import type { Plan, PlanPayer, PlanRequest } from '../actors/index.ts';
import { defineWorkflow, reject, stepsFor } from '../llm/index.ts';
import type { CallResult, LlmGateway, Workflow } from '../llm/index.ts';
import { tacticsMessages } from './tacticsPrompt.ts';
import { planToIds, tacticsSituation } from './tacticsSituation.ts';
import type { Situation } from './tacticsSituation.ts';

/** What the tactics workflow starts from: a checked plan request and who pays for it. */
export interface TacticsInput {
  readonly request: PlanRequest;
  /** The nearest player whose tier allows cloud tactics; none ⇒ the room pays on the room's tier. */
  readonly payer: PlanPayer | undefined;
}

/** The tactics workflow's state: the input, then what each step sets. */
export interface TacticsState extends TacticsInput {
  /** Set by `context`: the battle relabelled in slots, and its quantised key. */
  readonly situation?: Situation;
  /** Set by `ask`: the gateway's answer, in slots. */
  readonly answer?: CallResult<Plan>;
  /** Set by `validate`: the answer mapped onto this battle's ids. */
  readonly plan?: Plan;
}

/** The workflow's answer: the plan in this battle's ids, and the gateway's answer it came from (none from the fallback). */
export interface TacticsAnswer {
  readonly plan: Plan;
  readonly answer: CallResult<Plan> | undefined;
}

/** What the tactics workflow uses. */
export interface TacticsWorkflowDeps {
  readonly gateway: Pick<LlmGateway, 'answerLocally'>;
  readonly operation: string;
  readonly tenant: string;
  /** Key asks by the quantised situation (else the gateway's exact-match key). */
  readonly situationCache: boolean;
  /** The plan schema narrowed to a battle of `members` members and `foes` players. */
  readonly slotSchema: (members: number, foes: number) => ZodType<Plan>;
}

/** A field a step before this one sets (a failed step ends the run, so it is there; the check keeps the types honest). */
function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`tactics workflow: no ${what} yet`);
  return v;
}

/** Why a slot plan does not map onto a battle, or undefined when every member slot and target label is in it. */
export function unmappable(plan: Plan, situation: Pick<Situation, 'members' | 'players'>): string | undefined {
  const { droppedMembers, clearedTargets } = planToIds(plan, situation);
  if (!droppedMembers && !clearedTargets) return undefined;
  const parts = [
    droppedMembers ? `${droppedMembers} assignment(s) name a member this pack does not have (members are 1..${situation.members.length})` : '',
    clearedTargets ? `${clearedTargets} target(s) name a player who is not in this battle` : '',
  ];
  return parts.filter(Boolean).join('; ');
}

const schemaFor = (deps: TacticsWorkflowDeps, s: Situation): ZodType<Plan> => deps.slotSchema(s.members.length, s.players.length);

/**
 * The coordinator's LLM work as a declared chain, `tactics`:
 *
 * 1. `context` — the battle relabelled as a {@link tacticsSituation} (slots and labels, no ids, names, time or position);
 * 2. `ask` — the gateway call: the tactics prompt, the plan schema narrowed to this battle, the quantised situation as
 *    `cacheKey`, paid by the payer (or the room) on their tier, under the room's hard budget; the gateway answers from
 *    its local handler (the local tactician) when a tier or budget refuses or every provider fails;
 * 3. `validate` — the answer mapped onto this battle's ids ({@link planToIds}); an answer naming a member or player
 *    the battle does not have is refused and re-asked once with the reason (the coordinator still validates the plan
 *    against the live world when it arrives, as any plan);
 * 4. fallback `local` — when a step fails (the call threw, the repair failed, the deadline passed): the local
 *    tactician through the gateway's local handler, mapped the same way.
 */
export function tacticsWorkflow(deps: TacticsWorkflowDeps): Workflow<TacticsInput, TacticsState, TacticsAnswer> {
  const { ask, transform, validate, fallback } = stepsFor<TacticsState>();
  return defineWorkflow<TacticsInput, TacticsState, TacticsAnswer>({
    name: 'tactics',
    start: (input) => ({ ...input }),
    steps: [
      transform('context', (s) => ({ situation: tacticsSituation(s.request.context) })),
      ask<Plan>({
        name: 'ask',
        operation: deps.operation,
        messages: (s) => tacticsMessages(must(s.situation, 'situation').context),
        schema: (s) => schemaFor(deps, must(s.situation, 'situation')),
        cacheKey: (s) => (deps.situationCache ? must(s.situation, 'situation').key : undefined),
        call: (s) => {
          const p = s.request;
          return {
            input: must(s.situation, 'situation').context,
            tenant: deps.tenant,
            player: s.payer ? s.payer.account : `room:${p.room}`,
            tier: s.payer ? s.payer.tier : p.tier,
            room: p.room,
            roomBudget: { costUsd: { hard: p.budgetUsd } },
          };
        },
        into: (answer) => ({ answer }),
      }),
      validate(
        'validate',
        (s) => {
          const situation = must(s.situation, 'situation');
          const plan = must(s.answer, 'answer').value;
          const why = unmappable(plan, situation);
          return why ? reject(why) : { plan: planToIds(plan, situation).plan };
        },
        { repair: 'once' },
      ),
    ],
    output: (s) => ({ plan: must(s.plan, 'plan'), answer: s.answer }),
    fallback: fallback<TacticsAnswer>('local', async (s, _failure, ctx) => {
      const situation = s.situation ?? tacticsSituation(s.request.context);
      const plan = await deps.gateway.answerLocally(deps.operation, situation.context, { schema: schemaFor(deps, situation), tenant: deps.tenant, room: s.request.room, signal: ctx.signal });
      return { plan: planToIds(plan, situation).plan, answer: undefined };
    }),
  });
}
