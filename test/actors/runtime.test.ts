import { describe, expect, it } from 'vitest';
import { monsterBehaviour, newBody, spawnActor, step, UNCHANGED } from '../../actors/index.ts';
import type { Behaviour, World } from '../../actors/index.ts';
import { logOf, script, testWorld } from './helpers.ts';

function spawnRecorder(world: World, params: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): number {
  const r = spawnActor(world, { kind: 'test', behaviour: 'recorder', params, ...extra });
  if (!r.ok) throw new Error(r.error);
  return r.id;
}

const signal = (topic: string, from = 0) => ({ type: 'signal' as const, topic, from });

describe('mailboxes', () => {
  it('deliver FIFO, one message at a time, actors in ascending id', () => {
    const order: string[] = [];
    script('order', (s, m) => {
      if (m.type === 'signal') order.push(`${m.from}:${m.topic}`);
      return { state: s };
    });
    const w = testWorld();
    const a = spawnRecorder(w, { script: 'order' });
    const b = spawnRecorder(w, { script: 'order' });
    step(w, undefined, {
      inputs: [
        { type: 'send', to: b, message: signal('b1', b) },
        { type: 'send', to: a, message: signal('a1', a) },
        { type: 'send', to: b, message: signal('b2', b) },
        { type: 'send', to: a, message: signal('a2', a) },
      ],
    });
    expect(order).toEqual([`${a}:a1`, `${a}:a2`, `${b}:b1`, `${b}:b2`]);
  });

  it('deliver messages sent during a step on the next step', () => {
    script('ping', (s, m) => (m.type === 'signal' && m.topic === 'go' ? { state: s, effects: [{ type: 'send', to: 1, message: signal('pong') }] } : { state: s }));
    const w = testWorld();
    const a = spawnRecorder(w);
    const b = spawnRecorder(w, { script: 'ping' });
    step(w, undefined, { inputs: [{ type: 'send', to: b, message: signal('go') }] });
    expect(logOf(w, a)).toEqual([]);
    step(w);
    expect(logOf(w, a)).toEqual(['signal:pong']);
  });

  it('refuse past capacity and count the drop', () => {
    const w = testWorld();
    const a = spawnRecorder(w);
    const inputs = Array.from({ length: 300 }, (_, i) => ({ type: 'send' as const, to: a, message: signal(`m${i}`) }));
    step(w, undefined, { inputs });
    expect(logOf(w, a)).toHaveLength(256);
    expect(w.stats.problems['mailbox-full']).toBe(44);
  });
});

describe('timers', () => {
  it('fire in simulation time, replace by key, cancel, and die with a restart', () => {
    script('timers', (s, m) => {
      if (m.type === 'signal' && m.topic === 'set') {
        return { state: s, effects: [{ type: 'timer', key: 'a', delay: 1 }, { type: 'timer', key: 'b', delay: 0.5 }, { type: 'timer', key: 'c', delay: 0.2 }] };
      }
      if (m.type === 'signal' && m.topic === 'change') return { state: s, effects: [{ type: 'timer', key: 'a', delay: 2 }, { type: 'cancelTimer', key: 'c' }] };
      return { state: s };
    });
    const w = testWorld();
    const a = spawnRecorder(w, { script: 'timers' });
    step(w, 0.1, { inputs: [{ type: 'send', to: a, message: signal('set') }] }); // t = 0.1; timers due at 1.1, 0.6, 0.3
    step(w, 0.1, { inputs: [{ type: 'send', to: a, message: signal('change') }] }); // t = 0.2; a re-set to 2.2, c cancelled
    for (let i = 0; i < 5; i++) step(w, 0.1); // t = 0.7
    expect(logOf(w, a)).toEqual(['signal:set', 'signal:change', 'timer:b']);
    for (let i = 0; i < 15; i++) step(w, 0.1); // t = 2.2
    expect(logOf(w, a)).toEqual(['signal:set', 'signal:change', 'timer:b', 'timer:a']);
  });

  it('ten simulated seconds pass in one loop without sleeping', () => {
    script('long', (s, m) => (m.type === 'signal' ? { state: s, effects: [{ type: 'timer', key: 'k', delay: 10 }] } : { state: s }));
    const w = testWorld();
    const a = spawnRecorder(w, { script: 'long' });
    step(w, 0.05, { inputs: [{ type: 'send', to: a, message: signal('x') }] });
    for (let i = 0; i < 199; i++) step(w, 0.05);
    expect(logOf(w, a)).toEqual(['signal:x']);
    step(w, 0.05);
    expect(logOf(w, a)).toEqual(['signal:x', 'timer:k']);
  });
});

describe('ask / reply', () => {
  const asker = () =>
    script('ask', (s, m) => (m.type === 'signal' ? { state: s, effects: [{ type: 'ask', port: 'think', payload: m.topic, timeout: 1 }] } : { state: s }));

  it('delivers a reply on a later tick and drops a superseded one', () => {
    asker();
    const w = testWorld();
    const a = spawnRecorder(w, { script: 'ask' });
    step(w, undefined, { inputs: [{ type: 'send', to: a, message: signal('first') }] });
    const first = w.out.requests[0];
    expect(first).toMatchObject({ actor: a, port: 'think', payload: 'first' });
    step(w, undefined, { inputs: [{ type: 'send', to: a, message: signal('second') }] });
    const second = w.out.requests[0];
    step(w, undefined, { replies: [{ requestId: first!.requestId, ok: true, value: 'old' }, { requestId: second!.requestId, ok: true, value: 'new' }] });
    expect(logOf(w, a)).toEqual(['signal:first', 'signal:second', 'reply:think:"new"']);
    expect(w.stats.problems['superseded-reply']).toBe(1);
  });

  it('times out, then drops the late reply', () => {
    asker();
    const w = testWorld();
    const a = spawnRecorder(w, { script: 'ask' });
    step(w, 0.25, { inputs: [{ type: 'send', to: a, message: signal('q') }] });
    const req = w.out.requests[0]!;
    for (let i = 0; i < 4; i++) step(w, 0.25);
    expect(logOf(w, a)).toEqual(['signal:q', 'reply:think:error:timeout']);
    step(w, 0.25, { replies: [{ requestId: req.requestId, ok: true, value: 'late' }] });
    expect(logOf(w, a)).toHaveLength(2);
    expect(w.stats.problems['late-reply']).toBe(1);
    expect(w.stats.askTimeouts).toBe(1);
  });

  it('drops a reply to an actor that restarted since asking', () => {
    asker();
    const w = testWorld();
    const a = spawnRecorder(w, { script: 'ask', failOn: 'signal:boom' });
    step(w, undefined, { inputs: [{ type: 'send', to: a, message: signal('q') }] });
    const req = w.out.requests[0]!;
    step(w, undefined, { inputs: [{ type: 'send', to: a, message: signal('boom') }] });
    expect(w.actors.get(a)!.incarnation).toBe(1);
    step(w, undefined, { replies: [{ requestId: req.requestId, ok: true, value: 'stale' }] });
    expect(logOf(w, a)).toEqual(['signal:q']);
    expect(w.stats.problems['stale-reply']).toBe(1);
  });
});

describe('supervision', () => {
  it('restart keeps the world stepping and the last good state', () => {
    const w = testWorld();
    const a = spawnRecorder(w, { failOn: 'signal:boom' });
    const b = spawnRecorder(w);
    step(w, undefined, {
      inputs: [
        { type: 'send', to: a, message: signal('ok') },
        { type: 'send', to: a, message: signal('boom') },
        { type: 'send', to: a, message: signal('after') },
        { type: 'send', to: b, message: signal('other') },
      ],
    });
    expect(logOf(w, a)).toEqual(['signal:ok', 'signal:after']);
    expect(logOf(w, b)).toEqual(['signal:other']);
    expect(w.failures[0]).toMatchObject({ actor: a, messageType: 'signal', outcome: 'restarted' });
    expect(w.failures[0]!.error).toMatch(/scripted failure/);
  });

  it('restart from the initial state when the policy says so', () => {
    const fresh: Behaviour<{ n: number }, object> = {
      name: 'counter',
      ticks: false,
      supervision: { restartFrom: 'initial' },
      init: () => ({ n: 0 }),
      receive: (s, m) => {
        if (m.type === 'signal' && m.topic === 'boom') throw new Error('boom');
        return { state: { n: s.n + 1 } };
      },
    };
    const w = testWorld([fresh as never]);
    const r = spawnActor(w, { kind: 'c', behaviour: 'counter' });
    const id = r.ok ? r.id : 0;
    step(w, undefined, { inputs: [1, 2, 3].map(() => ({ type: 'send' as const, to: id, message: signal('x') })) });
    expect(w.actors.get(id)!.state).toEqual({ n: 3 });
    step(w, undefined, { inputs: [{ type: 'send', to: id, message: signal('boom') }] });
    expect(w.actors.get(id)!.state).toEqual({ n: 0 });
  });

  it('stops an actor past its restart limit within the window, but not outside it', () => {
    const w = testWorld();
    const a = spawnRecorder(w, { failOn: 'signal:boom' });
    const boom = { type: 'send' as const, to: a, message: signal('boom') };
    step(w, undefined, { inputs: [boom, boom, boom] }); // three restarts: the limit
    expect(w.actors.has(a)).toBe(true);
    step(w, undefined, { inputs: [boom] }); // a fourth within 10 s
    expect(w.actors.has(a)).toBe(false);
    expect(w.failures.at(-1)!.outcome).toBe('limit-stopped');
    step(w, undefined, { inputs: [{ type: 'send', to: a, message: signal('x') }] });
    expect(w.stats.problems['dead-letter']).toBe(1);

    const b = spawnRecorder(w, { failOn: 'signal:boom' });
    const boomB = { type: 'send' as const, to: b, message: signal('boom') };
    for (let i = 0; i < 5; i++) {
      step(w, undefined, { inputs: [boomB] });
      for (let k = 0; k < 80; k++) step(w, 0.05); // 4 s between failures: at most 3 in any 10 s window
    }
    expect(w.actors.has(b)).toBe(true);
    expect(w.actors.get(b)!.incarnation).toBe(5);
  });

  it('escalates to the parent, which decides', () => {
    const child: Behaviour<object, object> = {
      name: 'fragile',
      ticks: false,
      supervision: { strategy: 'escalate' },
      init: () => ({}),
      receive: (s, m) => {
        if (m.type === 'signal') throw new Error('fragile broke');
        return { state: s };
      },
    };
    script('parent', (s, m) => {
      if (m.type === 'signal' && m.topic === 'spawn') return { state: s, effects: [{ type: 'spawn', spec: { kind: 'c', behaviour: 'fragile' } }] };
      if (m.type === 'childFailed') return { state: s, effects: [{ type: 'supervise', child: m.child, action: 'stop' }] };
      return { state: s };
    });
    const w = testWorld([child as never]);
    const p = spawnRecorder(w, { script: 'parent' });
    step(w, undefined, { inputs: [{ type: 'send', to: p, message: signal('spawn') }] });
    const c = w.actors.get(p)!.children![0]!;
    step(w, undefined, { inputs: [{ type: 'send', to: c, message: signal('x') }] });
    expect(w.actors.get(c)!.status).toBe('suspended');
    expect(w.failures.at(-1)!.outcome).toBe('escalated');
    step(w);
    expect(logOf(w, p)).toContain(`childFailed:${c}`);
    expect(w.actors.has(c)).toBe(false);
  });

  it('a stopped parent takes its children with it', () => {
    script('spawner', (s, m) => (m.type === 'signal' ? { state: s, effects: [{ type: 'spawn', spec: { kind: 'c', behaviour: 'recorder' } }] } : { state: s }));
    const w = testWorld();
    const p = spawnRecorder(w, { script: 'spawner' });
    step(w, undefined, { inputs: [{ type: 'send', to: p, message: signal('x') }] });
    const c = w.actors.get(p)!.children![0]!;
    step(w, undefined, { inputs: [{ type: 'stop', actor: p }] });
    expect(w.actors.has(p) || w.actors.has(c)).toBe(false);
  });
});

describe('bad input never crashes the world', () => {
  it('refuses an invalid spawn with the bad field named, changing nothing', () => {
    const w = testWorld();
    const bad = spawnActor(w, { kind: 'monster', behaviour: 'monster', body: { x: 1, y: 1, speed: -3 } });
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.error).toMatch(/body\.speed/);
    const unknown = spawnActor(w, { kind: 'x', behaviour: 'dragon' });
    expect(!unknown.ok && unknown.error).toMatch(/unknown behaviour 'dragon'/);
    const badParams = spawnActor(w, { kind: 'm', behaviour: 'monster', params: { damage: 'lots' }, body: { x: 1, y: 1 } });
    expect(!badParams.ok && badParams.error).toMatch(/params\.damage/);
    expect(w.actors.size).toBe(0);
    expect(w.nextId).toBe(1);
    step(w, undefined, { inputs: [{ type: 'spawn', spec: { kind: '', behaviour: 'monster' } }] });
    expect(w.stats.problems['invalid-spawn']).toBe(1);
    expect(w.out.problems[0]!.message).toMatch(/kind/);
  });

  it('counts a send to a dead actor and an unknown input or message', () => {
    const w = testWorld();
    step(w, undefined, {
      inputs: [
        { type: 'send', to: 99, message: signal('x') },
        { type: 'bogus' } as never,
        { type: 'send', to: 1, message: { type: 'nope' } as never },
      ],
    });
    expect(w.stats.problems['dead-letter']).toBe(1);
    expect(w.stats.problems['invalid-input']).toBe(2);
    expect(w.out.problems.map((p) => p.message).join('\n')).toMatch(/unknown input type "bogus"[\s\S]*message.type 'nope'/);
  });

  it('drops a malformed effect with its reason and keeps the rest', () => {
    script('malformed', (s) => ({
      state: s,
      effects: [{ type: 'teleport' }, { type: 'move', vx: Number.NaN, vy: 0 }, { type: 'timer', key: 'ok', delay: 0.01 }, null],
    }));
    const w = testWorld();
    const a = spawnRecorder(w, { script: 'malformed' });
    step(w, undefined, { inputs: [{ type: 'send', to: a, message: signal('go') }] });
    expect(w.stats.problems['malformed-effect']).toBe(3);
    expect(w.out.problems.map((p) => p.message).join('\n')).toMatch(/unknown effect type "teleport"[\s\S]*move.vx[\s\S]*must be an object/);
    step(w);
    expect(logOf(w, a)).toContain('timer:ok');
  });

  it('treats a malformed result as a failure of that actor only', () => {
    const broken: Behaviour<object, object> = { name: 'broken', ticks: true, init: () => ({}), receive: () => 42 as never };
    const w = testWorld([broken as never]);
    const r = spawnActor(w, { kind: 'b', behaviour: 'broken' });
    const other = spawnActor(w, { kind: 'm', behaviour: 'monster', body: { x: 5, y: 5 } });
    for (let i = 0; i < 5; i++) step(w);
    expect(w.stats.problems['malformed-result']).toBeGreaterThan(0);
    expect(r.ok && w.actors.has(r.id)).toBe(false); // restart limit reached
    expect(other.ok && w.actors.has(other.id)).toBe(true);
    expect(w.tick).toBe(5);
  });
});

describe('step outputs', () => {
  it("each step lists exactly the bodies that moved or changed speed in it, however many did the step before", () => {
    // Actor k moves (velocity 1) on the steps where the schedule says so, and stands still otherwise.
    const schedule = [[1, 2, 3, 4, 5, 6], [2], [], [1, 3, 5], [6, 5, 4, 3, 2, 1], [4]];
    const mover: Behaviour<{ n: number }, Record<string, never>> = {
      name: 'mover',
      init: () => ({ n: 0 }),
      receive(state, message, ctx) {
        if (message.type !== 'tick') return { state };
        const moving = (schedule[state.n] ?? []).includes(ctx.self);
        return { state: { n: state.n + 1 }, effects: [{ type: 'move', vx: moving ? 1 : 0, vy: 0 }] };
      },
    };
    const world = testWorld([mover as unknown as Behaviour<never, never>]);
    for (let k = 1; k <= 6; k++) spawnActor(world, { kind: 'npc', behaviour: 'mover', body: { x: 10 + 5 * k, y: 10, faction: 'a', speed: 2, maxHp: 10 } });
    step(world); // spawned bodies are listed on their first step
    const pos = (): string[] => [1, 2, 3, 4, 5, 6].map((id) => `${world.actors.get(id)!.body!.x} ${world.actors.get(id)!.body!.vx}`);
    let moves = 0;
    for (let t = 0; t < 12; t++) {
      const before = pos();
      const changed = [...step(world).changed].sort((a, b) => a - b);
      const after = pos();
      const moved = [1, 2, 3, 4, 5, 6].filter((id) => before[id - 1] !== after[id - 1]);
      expect(changed, `step ${t}`).toEqual(moved);
      moves += moved.length;
    }
    expect(moves).toBeGreaterThan(10);
  });
});

describe('UNCHANGED', () => {
  it('keeps the state the actor has and performs nothing', () => {
    let calls = 0;
    const still: Behaviour<{ n: number }, Record<string, never>> = {
      name: 'still',
      init: () => ({ n: 7 }),
      receive(state, message) {
        calls++;
        // Every other tick changes the state; the others answer UNCHANGED.
        return message.type === 'tick' && calls % 2 === 0 ? { state: { n: state.n + 1 }, effects: [{ type: 'move', vx: 1, vy: 0 }] } : UNCHANGED;
      },
    };
    const world = testWorld([still as unknown as Behaviour<never, never>]);
    const r = spawnActor(world, { kind: 'npc', behaviour: 'still', body: { x: 10, y: 10, faction: 'a', speed: 2, maxHp: 10 } });
    if (!r.ok) throw new Error(r.error);
    const delivered = world.stats.delivered;
    const seen: object[] = [];
    for (let t = 0; t < 6; t++) {
      step(world);
      seen.push(world.actors.get(r.id)!.state as object);
    }
    expect(world.stats.delivered - delivered).toBe(6);
    expect(seen.map((s) => (s as { n: number }).n)).toEqual([7, 8, 8, 9, 9, 10]);
    expect(seen[1]).toBe(seen[2]); // UNCHANGED kept the very object
    expect(world.actors.get(r.id)!.body!.vx).toBe(1);
    expect(world.stats.problems['malformed-result']).toBe(0);
  });

  it('an idle monster answers most ticks with UNCHANGED and still wanders', () => {
    const answers = { unchanged: 0, other: 0 };
    const spy = {
      ...monsterBehaviour,
      name: 'spyMonster',
      receive: (state, message, ctx) => {
        const t = monsterBehaviour.receive(state, message, ctx);
        if (message.type === 'tick') answers[t === UNCHANGED ? 'unchanged' : 'other']++;
        return t;
      },
    } as typeof monsterBehaviour;
    const world = testWorld([spy as unknown as Behaviour<never, never>], 200);
    const r = spawnActor(world, { kind: 'monster', behaviour: 'spyMonster', params: { homeRadius: 10 }, body: { x: 100, y: 100, faction: 'wolves', speed: 4, maxHp: 50 } });
    if (!r.ok) throw new Error(r.error);
    for (let t = 0; t < 600; t++) step(world);
    expect(answers.unchanged + answers.other).toBe(600);
    expect(answers.unchanged).toBeGreaterThan(0.8 * 600);
    const b = world.actors.get(r.id)!.body!;
    expect(b.x !== 100 || b.y !== 100).toBe(true);
  });
});

describe('newBody', () => {
  it('makes a body at rest at home, alive while it has hp', () => {
    const b = newBody(3, { x: 1.5, y: -2, radius: 0.4, speed: 3, hp: 10, maxHp: 12, faction: 'wolves' });
    expect(b).toEqual({ id: 3, x: 1.5, y: -2, vx: 0, vy: 0, heading: 0, radius: 0.4, speed: 3, hp: 10, maxHp: 12, alive: true, faction: 'wolves', homeX: 1.5, homeY: -2, changedAt: 0 });
    expect(newBody(4, { x: 0, y: 0, radius: 0.4, speed: 3, hp: 0, maxHp: 12, faction: 'wolves' }).alive).toBe(false);
  });
});
