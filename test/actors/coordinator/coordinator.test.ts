import { describe, expect, it } from 'vitest';
import { FlatTerrain, packPlans, replay } from '../../../actors/index.ts';
import type { MindRequest, Plan, PlanRequest, StepReport } from '../../../actors/index.ts';
import { battle, coordinatorOf, hero, monster, registry, wolf } from './helpers.ts';

const spawns = () => [wolf(10, 10), wolf(12, 10), wolf(11, 12), hero(10, 17, 'Ann')];
const cloud = { askCloud: true, planTimeout: 2, cloudEvery: 30, replanEvery: 2 };
const focusPlan = (target: number): Plan => ({
  formation: 'line', retreatBelow: 0, battleCry: 'For the pack!', ttl: 20,
  assignments: [1, 2, 3].map((member) => ({ member, role: 'focus' as const, target, x: null, y: null })),
});
const source = { provider: 'openai', model: 'gpt-4o-mini', cached: false };

/** Run steps, collecting the plan requests. */
function runCollect(sim: ReturnType<typeof battle>, n: number, out: MindRequest[]): void {
  sim.run(n, (r: StepReport) => out.push(...r.requests.filter((q) => q.port === 'plan')));
}

describe('coordinator timing and fallbacks', () => {
  it('plans with the tactician at once, asks the plan port with the context, and applies a valid cloud plan', () => {
    const sim = battle(spawns(), cloud);
    const asked: MindRequest[] = [];
    runCollect(sim, 1, asked);
    let c = coordinatorOf(sim.world).state;
    expect(c.packs.p1!.plan!.source.provider).toBe('tactician');
    expect(asked).toHaveLength(1);
    const req = asked[0]!.payload as PlanRequest;
    expect(req).toMatchObject({ tier: 'free', budgetUsd: 0.05, room: 'room', deadlineMs: 2000 });
    expect(req.context.members.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(req.context.players).toEqual([expect.objectContaining({ id: 4, name: 'Ann', dx: 0, dy: 7 })]);
    sim.reply({ requestId: asked[0]!.requestId, ok: true, value: { plan: focusPlan(4), source } });
    sim.run(2);
    c = coordinatorOf(sim.world).state;
    expect(c.packs.p1!.plan!.source).toEqual(source);
    expect(c.packs.p1!.note).toBe('accepted openai:gpt-4o-mini');
    expect(c.stats).toMatchObject({ cloudAsked: 1, cloudAccepted: 1 });
    expect(monster(sim.world, 2).order).toMatchObject({ role: 'focus', target: 4 });
    expect(packPlans(sim.world.actors.get(coordinatorOf(sim.world).id)!.state)[0]).toMatchObject({ pack: 'p1', source, plan: { formation: 'line' } });
  });

  it('an answer after the deadline is dropped; the tactician plan runs meanwhile', () => {
    const sim = battle(spawns(), cloud);
    const asked: MindRequest[] = [];
    runCollect(sim, 1, asked);
    sim.run(45); // 2.25 s > planTimeout 2 s
    expect(coordinatorOf(sim.world).state.stats.cloudFailed).toBe(1);
    expect(coordinatorOf(sim.world).state.packs.p1!.note).toBe('cloud failed: timeout');
    sim.reply({ requestId: asked[0]!.requestId, ok: true, value: { plan: focusPlan(4), source } });
    sim.step();
    expect(sim.world.problems.at(-1)?.code).toBe('late-reply');
    expect(coordinatorOf(sim.world).state.packs.p1!.plan!.source.provider).toBe('tactician');
  });

  it('a plan for a battle that changed (a member fell) is discarded as stale', () => {
    const sim = battle([wolf(10, 10), wolf(12, 10), wolf(11, 12, 'p1', 1), hero(11, 12.9)], cloud);
    const asked: MindRequest[] = [];
    runCollect(sim, 1, asked);
    sim.input({ type: 'send', to: 4, message: { type: 'command', attack: 3 } });
    sim.run(2);
    expect(sim.world.actors.get(3)!.body!.alive).toBe(false);
    sim.reply({ requestId: asked[0]!.requestId, ok: true, value: { plan: focusPlan(4), source } });
    sim.run(2);
    const c = coordinatorOf(sim.world).state;
    expect(c.stats.cloudStale).toBe(1);
    expect(c.packs.p1!.note).toBe('stale cloud plan dropped: a member fell since asking');
    expect(c.packs.p1!.plan!.source.provider).toBe('tactician');
  });

  it('refusals, outages and invalid plans leave the tactician plan in force', () => {
    for (const [value, ok, stat, note] of [
      [{ plan: focusPlan(4), source: { provider: 'local', model: 'tactics', cached: false } }, true, 'cloudLocal', 'gateway answered locally (tier, budget or outage): tactician plan stands'],
      ['tactics: every provider failed', false, 'cloudFailed', 'cloud failed: tactics: every provider failed'],
      [{ plan: { ...focusPlan(4), assignments: [{ member: 77, role: 'focus', target: 4, x: null, y: null }] }, source }, true, 'cloudRejected', 'cloud plan refused: nothing usable left in the plan'],
      [{ plan: { formation: 'blob' }, source }, true, 'cloudRejected', undefined],
    ] as const) {
      const sim = battle(spawns(), cloud);
      const asked: MindRequest[] = [];
      runCollect(sim, 1, asked);
      const id = asked[0]!.requestId;
      sim.reply(ok ? { requestId: id, ok: true, value } : { requestId: id, ok: false, error: value as string });
      sim.run(2);
      const c = coordinatorOf(sim.world).state;
      expect(c.stats[stat], stat).toBe(1);
      if (note) expect(c.packs.p1!.note).toBe(note);
      else expect(c.packs.p1!.note).toMatch(/^cloud plan refused: invalid plan: formation: /);
      expect(c.packs.p1!.plan!.source.provider).toBe('tactician');
    }
  });

  it('re-plans on significant events, rate-limited per pack', () => {
    const sim = battle(spawns(), { replanEvery: 2 });
    sim.run(1);
    const first = coordinatorOf(sim.world).state.packs.p1!.plan!.seq;
    sim.run(10); // 0.5 s: no event, plan not expired
    expect(coordinatorOf(sim.world).state.packs.p1!.plan!.seq).toBe(first);
    // A second player joins: significant, but within replanEvery of the first plan it waits.
    sim.input(hero(12, 17, 'Bo'));
    sim.run(12);
    expect(coordinatorOf(sim.world).state.packs.p1!.players).toEqual([4, 6]); // the coordinator is actor 5
    expect(coordinatorOf(sim.world).state.packs.p1!.plan!.seq).toBe(first);
    sim.run(30);
    expect(coordinatorOf(sim.world).state.packs.p1!.plan!.seq).toBeGreaterThan(first);
  });

  it('packs take turns: each is looked after once per scan period, spread over its ticks', () => {
    // Sixteen one-wolf packs around Ann; all engage on the first scan.
    const wolves = Array.from({ length: 16 }, (_, i) => wolf(32 + 8 * Math.cos(i * 0.39), 32 + 8 * Math.sin(i * 0.39), `q${i}`, 400));
    const sim = battle([...wolves, hero(32, 32, 'Ann', 5000, 5000)]);
    sim.run(1);
    expect(Object.keys(coordinatorOf(sim.world).state.packs)).toHaveLength(16);
    sim.run(10);
    // Bo arrives: each pack notices him on its own turn within one scan period (0.5 s = 10 ticks).
    sim.input(hero(32, 33, 'Bo', 5000, 5000));
    const noticedAt = new Map<string, number>();
    for (let t = 1; t <= 10; t++) {
      sim.step();
      for (const [key, rec] of Object.entries(coordinatorOf(sim.world).state.packs)) if (rec.players.length === 2 && !noticedAt.has(key)) noticedAt.set(key, t);
    }
    expect(noticedAt.size).toBe(16);
    const perTick = new Map<number, number>();
    for (const t of noticedAt.values()) perTick.set(t, (perTick.get(t) ?? 0) + 1);
    expect(perTick.size).toBeGreaterThanOrEqual(5);
    expect(Math.max(...perTick.values())).toBeLessThanOrEqual(6);
  });

  it('members follow orders: the pack converges on its target and fights it', () => {
    const sim = battle([wolf(10, 10), wolf(14, 10), wolf(12, 13), hero(12, 20, 'Ann')], { engageRange: 12 });
    sim.input({ type: 'send', to: 4, message: { type: 'command', move: { x: 0, y: 0 } } });
    sim.run(60);
    const h = sim.world.actors.get(4)!.body!;
    for (const id of [1, 2, 3]) {
      const b = sim.world.actors.get(id)!.body!;
      expect(Math.hypot(b.x - h.x, b.y - h.y), `wolf ${id}`).toBeLessThan(2);
    }
    expect(h.hp).toBeLessThan(100);
  });

  it('a run with recorded plan replies replays to the same state hash', () => {
    const sim = battle([wolf(10, 10), wolf(12, 10), wolf(11, 12), hero(10, 17, 'Ann', 5000, 5000)], { ...cloud, cloudEvery: 3 });
    let n = 0;
    for (let t = 0; t < 200; t++) {
      const r = sim.step();
      for (const q of r.requests) {
        if (q.port !== 'plan') continue;
        // Alternate: a good plan, an invalid one, a refusal.
        const k = n++ % 3;
        sim.reply(k === 0 ? { requestId: q.requestId, ok: true, value: { plan: { ...focusPlan(4), ttl: 2 }, source } }
          : k === 1 ? { requestId: q.requestId, ok: true, value: { plan: { nope: 1 }, source } }
          : { requestId: q.requestId, ok: false, error: 'refused' });
      }
    }
    expect(n).toBeGreaterThan(1);
    const again = replay(JSON.parse(JSON.stringify(sim.log)), { registry: registry(), terrain: new FlatTerrain(64, 64) });
    expect(again.hash()).toBe(sim.hash());
  });
});
