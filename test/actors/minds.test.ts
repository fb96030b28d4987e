import { describe, expect, it } from 'vitest';
import { createWorld, defaultRegistry, FlatTerrain, MIND_PORTS, spawnActor, step } from '../../actors/index.ts';
import type { Decision, MindRequest, MonsterState, Personality, ReplyInput, World } from '../../actors/index.ts';

function world(lodRadius = 0): World {
  return createWorld({ seed: 'minds', registry: defaultRegistry(), terrain: new FlatTerrain(300, 300), lodRadius });
}
function monster(w: World, x: number, y: number, params: Record<string, unknown> = {}, tags: Record<string, string> = { species: 'wolf', name: 'Fenrik', biome: 'forest' }): number {
  const r = spawnActor(w, { kind: 'monster', behaviour: 'monster', params, body: { x, y, faction: 'wild', maxHp: 100, speed: 4 }, tags });
  if (!r.ok) throw new Error(r.error);
  return r.id;
}
function player(w: World, x: number, y: number): number {
  const r = spawnActor(w, { kind: 'player', behaviour: 'player', body: { x, y, faction: 'players', maxHp: 1000, speed: 0 } });
  if (!r.ok) throw new Error(r.error);
  return r.id;
}
const stateOf = (w: World, id: number) => w.actors.get(id)!.state as MonsterState;

/** Step the world, answering each port with `answer` one step later (as a host would). */
function run(w: World, steps: number, answer: (r: MindRequest) => ReplyInput | null, seen: MindRequest[] = []): MindRequest[] {
  let replies: ReplyInput[] = [];
  for (let i = 0; i < steps; i++) {
    const report = step(w, undefined, { replies });
    replies = [];
    for (const r of report.requests) {
      seen.push(r);
      const a = answer(r);
      if (a) replies.push(a);
    }
  }
  return seen;
}

const personality = (courage: number): Personality => ({
  traits: { aggression: 0.5, courage, sociability: 0.5, greed: 0.5, curiosity: 0.5, cunning: 0.5 }, temperament: 'fierce', voice: 'growling',
});

describe('minds in the simulation', () => {
  it('asks for a personality once after spawn, with a seeded latent (same seed, same wolf; two wolves differ)', () => {
    const a = world();
    const m1 = monster(a, 10, 10);
    const m2 = monster(a, 20, 10);
    const asks = run(a, 40, () => null).filter((r) => r.port === MIND_PORTS.personality);
    expect(asks.map((r) => r.actor)).toEqual([m1, m2]);
    const p1 = asks[0]!.payload as { species: string; biome: string; latent: number[] };
    expect(p1).toMatchObject({ species: 'wolf', biome: 'forest' });
    expect(p1.latent).toHaveLength(8);
    expect(p1.latent).not.toEqual((asks[1]!.payload as { latent: number[] }).latent);
    const b = world();
    monster(b, 10, 10);
    const again = run(b, 2, () => null).find((r) => r.port === MIND_PORTS.personality)!;
    expect(again.payload).toEqual(asks[0]!.payload);
  });

  it('only monsters within activation range of a player think (level of detail), and they wake and sleep', () => {
    const w = world();
    const near = monster(w, 105, 100, { wanderSpeed: 0 });
    const far = monster(w, 250, 250, { wanderSpeed: 0 });
    const p = player(w, 100, 100);
    const thinkers = new Set(run(w, 60, () => null).filter((r) => r.port === MIND_PORTS.think).map((r) => r.actor));
    expect([...thinkers]).toEqual([near]);
    expect(stateOf(w, near).awake).toBe(true);
    expect(stateOf(w, far).awake).toBe(false);
    step(w, undefined, { inputs: [{ type: 'stop', actor: p }] });
    run(w, 20, () => null);
    expect(stateOf(w, near).awake).toBe(false);
  });

  it('a decision shapes the reflexes: retreat flees, hold stands, callPack calls the pack', () => {
    const decide = (action: Decision['action']) => (r: MindRequest): ReplyInput | null =>
      r.port === MIND_PORTS.think ? { requestId: r.requestId, ok: true, value: { action, confidence: 0.9, source: 'model' } satisfies Decision } : null;
    for (const [action, check] of [
      ['retreat', (w: World, m: number) => expect(stateOf(w, m).mode).toBe('flee')],
      ['hold', (w: World, m: number) => expect(w.actors.get(m)!.body!.vx).toBe(0)],
    ] as const) {
      const w = world();
      const m = monster(w, 100, 100, { perception: 10, personality: false });
      player(w, 106, 100);
      run(w, 12, decide(action));
      check(w, m);
    }
    const w = world();
    const caller = monster(w, 100, 100, { perception: 10, personality: false });
    const mate = monster(w, 95, 95, { perception: 1, personality: false, wanderSpeed: 0, activation: 0 });
    const p = player(w, 107, 100);
    const seen: string[] = [];
    let replies: ReplyInput[] = [];
    for (let i = 0; i < 20; i++) {
      const report = step(w, undefined, { replies });
      replies = report.requests.filter((r) => r.port === MIND_PORTS.think && r.actor === caller).map((r) => ({ requestId: r.requestId, ok: true as const, value: { action: 'callPack', confidence: 1, source: 'model' } }));
      for (const e of report.events) seen.push(`${e.actor}:${e.event.text}`);
    }
    expect(seen).toContain(`${caller}:Awoooo!`);
    expect(stateOf(w, mate).target).toBe(p); // the mate answered the call
  });

  it('personality shapes behaviour: a timid monster flees sooner than a brave one', () => {
    const fleesAt = (courage: number): number => {
      const w = world();
      const m = monster(w, 100, 100, { perception: 10, fleeBelow: 0.3, damage: 0 });
      const p = player(w, 101, 100);
      let replies: ReplyInput[] = [];
      for (let i = 0; i < 400; i++) {
        const report = step(w, undefined, { replies, inputs: i % 10 === 5 ? [{ type: 'send', to: p, message: { type: 'command', attack: m } }] : [] });
        replies = report.requests.filter((r) => r.port === MIND_PORTS.personality).map((r) => ({ requestId: r.requestId, ok: true as const, value: personality(courage) }));
        if (stateOf(w, m).mode === 'flee') return w.actors.get(m)!.body!.hp;
      }
      return -1;
    };
    const timid = fleesAt(0);
    const brave = fleesAt(1);
    expect(timid).toBeGreaterThan(brave);
    expect(brave).toBeGreaterThan(0);
  });

  it('answers a player in character, remembers the exchange, and a friend is left alone', () => {
    const w = world();
    const m = monster(w, 100, 100, { perception: 10, personality: false, wanderSpeed: 0 });
    const p = player(w, 104, 100);
    const chats: MindRequest[] = [];
    const said: string[] = [];
    for (let i = 0; i < 5; i++) {
      const report = step(w, undefined, { inputs: [{ type: 'send', to: m, message: { type: 'signal', topic: 'talk', from: p, data: { text: 'you are a magnificent beast', name: 'Ada' } } }] });
      const replies: ReplyInput[] = [];
      for (const r of report.requests) {
        if (r.port !== MIND_PORTS.chat) continue;
        chats.push(r);
        replies.push({ requestId: r.requestId, ok: true, value: { intent: 'flatter', confidence: 0.9, reply: 'Fenrik hears you.' } });
      }
      // The report is reused by the next step: read it before stepping again.
      for (const e of step(w, undefined, { replies }).events) said.push(`${e.actor}:${e.event.kind}:${e.event.text}`);
      step(w);
    }
    expect(said).toContain(`${m}:say:Fenrik hears you.`);
    const request = chats.at(-1)!.payload as { persona: { name: string; species: string; knows: string[] }; playerName: string; memory: { exchanges: number; lines: unknown[] }; disposition: number };
    expect(request.persona).toMatchObject({ name: 'Fenrik', species: 'wolf' });
    expect(request.persona.knows.join(' ')).toMatch(/forest/);
    expect(request.playerName).toBe('Ada');
    expect(request.memory.exchanges).toBe(4);
    const memory = stateOf(w, m).memory[String(p)]!;
    expect(memory.intents).toEqual({ flatter: 5 });
    expect(memory.changes.at(-1)!.why).toBe('flattered me: "you are a magnificent beast"');
    expect(memory.disposition).toBeCloseTo(0.75, 5);
    // Friendly now: the player stands within perception and is not attacked.
    const hp = w.actors.get(p)!.body!.hp;
    run(w, 60, () => null);
    expect(w.actors.get(p)!.body!.hp).toBe(hp);
    expect(stateOf(w, m).target).toBe(0);
  });

  it('without a chat mind (error reply), a monster still answers with a bark', () => {
    const w = world();
    const m = monster(w, 100, 100, { personality: false, activation: 0 });
    const p = player(w, 150, 150);
    const first = step(w, undefined, { inputs: [{ type: 'send', to: m, message: { type: 'signal', topic: 'talk', from: p, data: { text: 'hi', name: 'Ada' } } }] });
    const events: string[] = [];
    let replies: ReplyInput[] = first.requests.filter((q) => q.port === MIND_PORTS.chat).map((q) => ({ requestId: q.requestId, ok: false as const, error: 'no mind' }));
    for (let i = 0; i < 5; i++) {
      const r = step(w, undefined, { replies });
      replies = r.requests.filter((q) => q.port === MIND_PORTS.chat).map((q) => ({ requestId: q.requestId, ok: false as const, error: 'no mind' }));
      for (const e of r.events) events.push(e.event.kind);
    }
    expect(events).toEqual(['bark']);
  });
});

describe('activity level of detail', () => {
  it('far monsters take their turn every stride steps and change less often; near ones every step', () => {
    const w = world(30);
    const near = monster(w, 115, 100, { restChance: 0, wanderSpeed: 1, personality: false, perception: 1, homeRadius: 3 });
    const far = monster(w, 250, 250, { restChance: 0, wanderSpeed: 1, personality: false, perception: 1, homeRadius: 3 });
    player(w, 100, 100);
    run(w, 20, () => null); // LOD flags settle
    expect(w.actors.get(far)!.far).toBe(true);
    expect(w.actors.get(near)!.far).toBe(false);
    const changes = { near: 0, far: 0 };
    for (let i = 0; i < 40; i++) {
      const r = step(w);
      if (r.changed.includes(near)) changes.near++;
      if (r.changed.includes(far)) changes.far++;
    }
    expect(changes.near).toBeGreaterThan(30);
    expect(changes.far).toBeLessThanOrEqual(10);
    expect(changes.far).toBeGreaterThan(5);
  });
});
