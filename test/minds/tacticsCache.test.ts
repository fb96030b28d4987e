import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinatorSpawn, FlatTerrain, localTactician, PlanSchema, Simulation, validatePlan } from '../../actors/index.ts';
import type { ActorId, BattleContext, CoordinatorState, MindRequest, Plan, ReplyInput } from '../../actors/index.ts';
import type { CallRequest, CallResult, LlmGateway } from '../../llm/index.ts';
import { CloudTactics, tacticsSituation } from '../../minds/index.ts';
import { hero, registry, wolf } from '../actors/coordinator/helpers.ts';
import { promptText, startFake } from '../llm/fakeProvider.ts';
import type { FakeProvider } from '../llm/fakeProvider.ts';
import { gatewayFor } from '../llm/helpers.ts';
import { battleAt, LAYOUT, planOf, planRequest, slotPlanFor } from './tacticsHelpers.ts';
import type { Battle, Layout } from './tacticsHelpers.ts';

/**
 * A gateway stand-in that caches by the caller's `cacheKey` exactly as `CallRequest.cacheKey` asks of the gateway:
 * a hit returns the stored (validated) value with `cached: true`; a miss asks `model` with the call's input and
 * validates its answer against the call's schema before storing it. It records every call.
 */
function keyedGateway(model: (input: BattleContext) => unknown): { gateway: LlmGateway; calls: CallRequest<unknown>[] } {
  const store = new Map<string, unknown>();
  const calls: CallRequest<unknown>[] = [];
  const result = (value: unknown, cached: boolean) => ({ value, provider: 'openai', model: 'gpt-4o-mini', cached, record: {}, decision: undefined });
  const gateway = {
    cloudAllowed: () => true,
    async call(req: CallRequest<unknown>): Promise<CallResult<unknown>> {
      calls.push(req);
      if (req.cacheKey !== undefined && store.has(req.cacheKey)) return result(store.get(req.cacheKey), true) as unknown as CallResult<unknown>;
      const value = req.schema!.parse(model(req.input as BattleContext));
      if (req.cacheKey !== undefined) store.set(req.cacheKey, value);
      return result(value, false) as unknown as CallResult<unknown>;
    },
  };
  return { gateway: gateway as unknown as LlmGateway, calls };
}

/** The layout index (0-based) of each member id of a battle. */
const indexOf = (b: Battle): Map<ActorId, number> => new Map(b.members.map((m, i) => [m.id, i]));
/** Roles of a plan by the layout index of the member. */
const rolesByIndex = (plan: Plan, b: Battle): string[] => plan.assignments.map((a) => `${indexOf(b).get(a.member)}:${a.role}`).sort();

/** A battle like LAYOUT, moved within its bands (positions and health), elsewhere, later, with other ids. */
const ALIKE: Layout = {
  members: [{ dx: 0, dy: 0, hp: 37 }, { dx: 1.5, dy: -0.4 }, { dx: -1.2, dy: 0.8 }, { dx: 0.2, dy: 2.3 }],
  players: [{ dx: 9.6, dy: 1.4, hp: 55 }, { dx: 11.2, dy: -3.5, hp: 95 }],
};

describe('cloud tactics keyed by situation (the gateway hook: CallRequest.cacheKey)', () => {
  it('asks with the quantised situation as cacheKey, a prompt without ids, and the plan schema narrowed to the battle', async () => {
    const { gateway, calls } = keyedGateway((input) => slotPlanFor(null, input));
    const b = battleAt(40, 40, 12, { members: [7301, 7302, 7303, 7304], players: [7401, 7402] });
    await new CloudTactics({ gateway, schema: PlanSchema }).serve([planRequest(1, b.context)]);
    expect(calls).toHaveLength(1);
    const req = calls[0]!;
    expect(req.cacheKey).toBe(tacticsSituation(b.context).key);
    expect(JSON.stringify(req.messages)).not.toMatch(/73\d\d|74\d\d/);
    expect(req.input).toEqual(tacticsSituation(b.context).context);
    // The schema refuses members and players this battle does not have (so the gateway repairs them, never caches them).
    const ok = slotPlanFor(null, tacticsSituation(b.context).context);
    expect(req.schema!.safeParse(ok).success).toBe(true);
    expect(req.schema!.safeParse({ ...ok, assignments: [{ ...ok.assignments[0]!, member: 5 }] }).success).toBe(false);
    expect(req.schema!.safeParse({ ...ok, assignments: [{ ...ok.assignments[0]!, target: 103 }] }).success).toBe(false);
    expect(req.schema!.safeParse({ ...ok, assignments: [{ ...ok.assignments[0]!, target: 7401 }] }).success).toBe(false);
    // Off: no cacheKey (the gateway's exact-match key on the prompt).
    await new CloudTactics({ gateway, schema: PlanSchema, situationCache: false }).serve([planRequest(2, b.context)]);
    expect(calls[1]!.cacheKey).toBeUndefined();
  });

  it("a plan cached for one pack serves a second pack in a similar battle: mapped onto the second pack's own ids, it passes validation", async () => {
    const { gateway, calls } = keyedGateway((input) => slotPlanFor(null, input));
    const mind = new CloudTactics({ gateway, schema: PlanSchema });
    const a = battleAt(40, 40, 12, { members: [1, 2, 3, 4], players: [5, 6] });
    // Same layout far away, much later, ids in another order: each role goes to the wolf in the same place.
    const b = battleAt(180.5, 90.25, 4000, { members: [93, 91, 94, 92], players: [96, 95] }, LAYOUT, { names: ['Zed', 'Quinn'] });
    const [ra] = await mind.serve([planRequest(1, a.context)]);
    const [rb] = await mind.serve([planRequest(2, b.context)]);
    expect(ra).toMatchObject({ ok: true, value: { source: { cached: false } } });
    expect(rb).toMatchObject({ ok: true, value: { source: { provider: 'openai', cached: true } } });
    expect(calls[1]!.cacheKey).toBe(calls[0]!.cacheKey);
    expect(mind.stats).toMatchObject({ requests: 2, cloud: 2, cached: 1 });
    const planA = planOf(ra);
    const planB = planOf(rb);
    expect(planB.assignments.map((x) => x.member).sort()).toEqual([91, 92, 93, 94]);
    expect(planB.assignments.every((x) => x.target === null || x.target === 95 || x.target === 96)).toBe(true);
    expect(rolesByIndex(planB, b)).toEqual(rolesByIndex(planA, a));
    // Targets go to the player in the same place too.
    const targetIndex = (p: Plan, bt: Battle): (number | null)[] => p.assignments.map((x) => (x.target === null ? null : bt.players.findIndex((q) => q.id === x.target)));
    expect(targetIndex({ ...planB, assignments: [...planB.assignments].sort((x, y) => indexOf(b).get(x.member)! - indexOf(b).get(y.member)!) }, b))
      .toEqual(targetIndex({ ...planA, assignments: [...planA.assignments].sort((x, y) => indexOf(a).get(x.member)! - indexOf(a).get(y.member)!) }, a));
    const check = validatePlan(planB, b.world);
    expect(check).toMatchObject({ ok: true, repairs: [] });

    // A battle that is alike but not the same (positions and health moved within their bands) gets it too.
    const c = battleAt(20.75, 200.5, 77, { members: [501, 502, 503, 504], players: [601, 602] }, ALIKE);
    const [rc] = await mind.serve([planRequest(3, c.context)]);
    expect(rc).toMatchObject({ ok: true, value: { source: { cached: true } } });
    const checkC = validatePlan(planOf(rc), c.world);
    expect(checkC.ok).toBe(true);
    expect(checkC.repairs).toEqual([]);
    expect(planOf(rc).assignments.map((x) => x.member).sort()).toEqual([501, 502, 503, 504]);
  });

  it('in a room: the coordinator applies the cached plan to the second pack, orders to its own members', async () => {
    const { gateway, calls } = keyedGateway((input) => slotPlanFor(null, input));
    const mind = new CloudTactics({ gateway, schema: PlanSchema });
    const sim = new Simulation({ seed: 'tcache', registry: registry(), terrain: new FlatTerrain(256, 256) });
    const place = (ox: number, oy: number, pack: string): void => {
      for (const m of LAYOUT.members) sim.input(wolf(ox + m.dx, oy + m.dy, pack));
      LAYOUT.players.forEach((p, i) => sim.input(hero(ox + p.dx, oy + p.dy, `${pack}-hero${i}`, p.hp ?? 100, 100)));
    };
    place(40, 40, 'p1');
    place(150, 110, 'p2');
    sim.input(coordinatorSpawn({ askCloud: true, tier: 'whale', budgetUsd: 1, cloudEvery: 100 }));
    const asks: MindRequest[] = [];
    for (let t = 0; t < 3; t++) {
      const report = sim.step();
      for (const q of report.requests) if (q.port === 'plan') asks.push(q);
      for (const q of report.requests.filter((x) => x.port === 'plan')) for (const r of (await mind.serve([q])) as ReplyInput[]) sim.reply(r);
    }
    expect(asks).toHaveLength(2);
    expect(calls.map((c) => c.cacheKey)).toEqual([calls[0]!.cacheKey, calls[0]!.cacheKey]);
    const state = [...sim.world.actors.values()].find((x) => x.kind === 'coordinator')!.state as CoordinatorState;
    expect(state.stats).toMatchObject({ cloudAsked: 2, cloudAccepted: 2, cloudRejected: 0, cloudStale: 0 });
    const [p1, p2] = [state.packs.p1!, state.packs.p2!];
    const notes = [p1.note, p2.note].sort();
    expect(notes).toEqual(['accepted openai:gpt-4o-mini', 'accepted openai:gpt-4o-mini (cached)']);
    for (const rec of [p1, p2]) {
      expect(rec.plan!.source.provider).toBe('openai');
      expect(rec.plan!.repairs).toEqual([]);
      expect(rec.plan!.plan.assignments.map((x) => x.member)).toEqual(rec.members);
      for (const x of rec.plan!.plan.assignments) if (x.target !== null) expect(rec.players).toContain(x.target);
    }
    // The same role for the wolf in the same place of each pack.
    const roles = (rec: typeof p1): string[] => rec.plan!.plan.assignments.map((x) => `${rec.members.indexOf(x.member)}:${x.role}`);
    expect(roles(p2)).toEqual(roles(p1));
  });
});

describe('cloud tactics through the real gateway', () => {
  let openai: FakeProvider;
  const fromPrompt = (body: Record<string, unknown>): string => {
    const json = /CONTEXT (\{.*\})\n/.exec(promptText('openai', body).user)![1]!;
    return JSON.stringify(localTactician(JSON.parse(json) as BattleContext));
  };
  beforeAll(async () => {
    openai = await startFake('openai', (req) => ({ type: 'ok', text: fromPrompt(req.body) }));
  });
  afterAll(async () => openai.close());
  const setup = () => {
    openai.requests.length = 0;
    openai.respond((req) => ({ type: 'ok', text: fromPrompt(req.body) }));
    const { gw, clock } = gatewayFor([openai], { retry: { maxRetries: 0 } });
    gw.registerLocal('tactics', ({ input }) => localTactician(input as BattleContext));
    return { gw, clock, mind: new CloudTactics({ gateway: gw, schema: PlanSchema }) };
  };

  it('an answer naming a member the battle does not have is repaired by the gateway, and only the repaired plan is cached', async () => {
    const { mind } = setup();
    const a = battleAt(40, 40, 12, { members: [11, 12, 13, 14], players: [15, 16] });
    const good = localTactician(tacticsSituation(a.context).context);
    openai.queue({ type: 'ok', text: JSON.stringify({ ...good, assignments: good.assignments.map((x) => ({ ...x, member: x.member + 1000 })) }) });
    const [r1] = await mind.serve([planRequest(1, a.context)]);
    expect(openai.requests).toHaveLength(2); // the answer, then the repair
    expect(promptText('openai', openai.requests[1]!.body).user).toMatch(/no member 100\d: members are 1\.\.4/);
    expect(r1).toMatchObject({ ok: true, value: { source: { provider: 'openai', cached: false } } });
    expect(validatePlan(planOf(r1), a.world)).toMatchObject({ ok: true, repairs: [] });
    // The same battle again, elsewhere: served from the cache (no request), the repaired plan on this battle's ids.
    const b = battleAt(100, 100, 50, { members: [21, 22, 23, 24], players: [25, 26] });
    const [r2] = await mind.serve([planRequest(2, b.context)]);
    expect(openai.requests).toHaveLength(2);
    expect(r2).toMatchObject({ ok: true, value: { source: { cached: true } } });
    expect(planOf(r2).assignments.map((x) => x.member).sort()).toEqual([21, 22, 23, 24]);
    expect(validatePlan(planOf(r2), b.world)).toMatchObject({ ok: true, repairs: [] });
  });

  // Needs the gateway to key by `CallRequest.cacheKey` (the prompts of the two battles differ).
  it('[needs the cacheKey hook] a similar battle of another pack is served from the cache: one provider request, the plan on its own ids', async () => {
    const { mind } = setup();
    const a = battleAt(40, 40, 12, { members: [1, 2, 3, 4], players: [5, 6] });
    const c = battleAt(20.75, 200.5, 77, { members: [501, 502, 503, 504], players: [601, 602] }, ALIKE);
    const [ra] = await mind.serve([planRequest(1, a.context)]);
    const [rc] = await mind.serve([planRequest(2, c.context)]);
    expect(ra).toMatchObject({ ok: true, value: { source: { provider: 'openai', cached: false } } });
    expect(rc).toMatchObject({ ok: true, value: { source: { provider: 'openai', cached: true } } });
    expect(openai.requests).toHaveLength(1);
    expect(mind.stats).toMatchObject({ cloud: 2, cached: 1 });
    const check = validatePlan(planOf(rc), c.world);
    expect(check.ok).toBe(true);
    expect(planOf(rc).assignments.map((x) => x.member).sort()).toEqual([501, 502, 503, 504]);
    // A materially different battle (a foe on the other side) is not served that plan.
    const d = battleAt(40, 40, 12, { members: [1, 2, 3, 4], players: [5, 6] }, { ...LAYOUT, players: [{ dx: -9, dy: 2, hp: 60 }, LAYOUT.players[1]!] });
    const [rd] = await mind.serve([planRequest(3, d.context)]);
    expect(rd).toMatchObject({ ok: true, value: { source: { cached: false } } });
    expect(openai.requests).toHaveLength(2);
  });
});
