import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AdmissionQueue, AllProvidersFailedError, registerLlmMetrics } from '../../llm/index.ts';
import type { PriorityClass, Slot } from '../../llm/index.ts';
import { startFake } from './fakeProvider.ts';
import type { FakeProvider } from './fakeProvider.ts';
import { gatewayFor, Plan } from './helpers.ts';

/** Wait for a slot and record when it was granted; the slot is given back at once, which grants the next waiter. */
function enqueue(q: AdmissionQueue, order: string[], priority: PriorityClass, room: string, label: string): Promise<void> {
  const r = q.acquire('p', priority, room, 60_000);
  return (r instanceof Promise ? r : Promise.resolve(r)).then((slot) => {
    order.push(label);
    slot?.release();
  });
}

describe('the admission queue', () => {
  afterEach(() => vi.useRealTimers());

  it('serves battle before dialogue before background once the cap is reached', async () => {
    const q = new AdmissionQueue({ concurrency: { p: 1 } });
    const first = q.acquire('p', 'background', 'a', 1000) as Slot;
    const order: string[] = [];
    const waits = [enqueue(q, order, 'background', 'a', 'bg'), enqueue(q, order, 'dialogue', 'a', 'talk'), enqueue(q, order, 'battle', 'a', 'fight')];
    expect(q.depth('background')).toBe(1);
    expect(q.depth('battle')).toBe(1);
    expect(q.inFlight('p')).toBe(1);
    first.release();
    await Promise.all(waits);
    expect(order).toEqual(['fight', 'talk', 'bg']);
    expect(q.inFlight('p')).toBe(0);
  });

  it('within a class, rooms take turns: a busy room cannot starve another', async () => {
    const q = new AdmissionQueue({ concurrency: { p: 1 } });
    const first = q.acquire('p', 'battle', 'busy', 1000) as Slot;
    const order: string[] = [];
    const waits = [1, 2, 3, 4, 5].map((i) => enqueue(q, order, 'battle', 'busy', `busy${i}`));
    waits.push(enqueue(q, order, 'battle', 'quiet', 'quiet1'));
    first.release();
    await Promise.all(waits);
    expect(order).toEqual(['busy1', 'quiet1', 'busy2', 'busy3', 'busy4', 'busy5']);
  });

  it('keeps a slot in eight for battle requests: a background flood never takes the last ones', async () => {
    const q = new AdmissionQueue({ concurrency: { p: 8 } });
    const background = Array.from({ length: 7 }, (_, i) => q.acquire('p', 'background', `bg${i}`, 1000));
    expect(background.every((s) => !(s instanceof Promise))).toBe(true);
    const eighth = q.acquire('p', 'background', 'bg7', 1000);
    expect(eighth).toBeInstanceOf(Promise); // the reserved slot is not for it
    const battle = q.acquire('p', 'battle', 'r1', 1000);
    expect(battle).not.toBeInstanceOf(Promise); // a battle request starts at once
    expect(q.inFlight('p')).toBe(8);
    (battle as Slot).release();
    expect(q.depth('background')).toBe(1); // the freed slot is the reserved one: the background request still waits
    (background[0] as Slot).release();
    expect(await eighth).toBeDefined();
    expect(q.inFlight('p')).toBe(7);
  });

  it('a request that cannot start before its deadline is answered by its fallback, and a full line refuses at once', async () => {
    vi.useFakeTimers();
    const q = new AdmissionQueue({ concurrency: { p: 1 }, maxWaiting: 2 });
    const held = q.acquire('p', 'battle', 'a', 1000) as Slot;
    const late = q.acquire('p', 'battle', 'a', 50) as Promise<Slot | undefined>;
    const other = q.acquire('p', 'battle', 'b', 5_000) as Promise<Slot | undefined>;
    expect(await q.acquire('p', 'battle', 'c', 5_000)).toBeUndefined(); // two waiting: the line is full
    await vi.advanceTimersByTimeAsync(60);
    expect(await late).toBeUndefined();
    expect(q.depth('battle')).toBe(1);
    held.release();
    expect(await other).toBeDefined();
  });
});

describe('the queue and the dead letters in the gateway', () => {
  let openai: FakeProvider;
  beforeAll(async () => {
    openai = await startFake('openai', () => ({ type: 'ok', text: '{"ok":true}', delayMs: 40, usage: { input: 10, output: 5 } }));
  });
  afterAll(async () => openai.close());

  it('battle tactics wait less than one service time while background work floods the cap', async () => {
    openai.requests.length = 0;
    openai.respond(() => ({ type: 'ok', text: '{"ok":true}', delayMs: 40, usage: { input: 10, output: 5 } }));
    const { gw } = gatewayFor([openai], { queue: { concurrency: { openai: 2 } }, cache: { enabled: false }, presets: { summary: { priority: 'background', deadlineMs: 10_000, timeoutMs: 5_000 } } });
    const reg = new Registry();
    registerLlmMetrics(gw, reg);
    const flood = Array.from({ length: 20 }, (_, i) => gw.call({ operation: 'summary', messages: [{ role: 'user', content: `summarise ${i}` }], room: 'bg' }));
    await new Promise((r) => setTimeout(r, 5));
    expect(gw.queue.depth('background')).toBeGreaterThan(10);
    const battle = await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'attack?' }], schema: Plan, room: 'r1' });
    expect(battle.provider).toBe('openai');
    const waited = battle.record.attempts[0]!.queueMs ?? 0;
    expect(waited).toBeLessThan(200); // at most one 40 ms service time (plus the machine's jitter), not 20 × 40 / 2
    const rest = await Promise.all(flood);
    expect(rest.every((r) => r.provider === 'openai')).toBe(true);
    const depth = (await reg.getMetricsAsJSON()).find((m) => m.name === 'llm_queue_wait_seconds');
    expect(depth).toBeDefined();
  });

  it('a request whose deadline passes in the queue is answered by the local handler', async () => {
    openai.respond(() => ({ type: 'ok', text: '{"ok":true}', delayMs: 300, usage: { input: 10, output: 5 } }));
    const { gw } = gatewayFor([openai], { queue: { concurrency: { openai: 1 } }, cache: { enabled: false } });
    const hog = gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'first' }], schema: Plan, room: 'a' });
    const late = await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'second' }], schema: Plan, room: 'b', deadlineMs: 100 });
    expect(late.provider).toBe('local');
    expect(late.record.attempts[0]!.outcome).toBe('skipped:queue');
    expect(late.record.fallbackReason).toMatch(/no slot before the deadline/);
    expect((await hog).provider).toBe('openai');
  });

  it('a request that exhausted every link goes to the dead-letter record, with why and which links', async () => {
    openai.respond(() => ({ type: 'error', status: 500 }));
    const { gw } = gatewayFor([openai], { retry: { maxRetries: 0 } });
    const reg = new Registry();
    registerLlmMetrics(gw, reg);
    const err = await gw.call({ operation: 'lore', messages: [{ role: 'user', content: 'the history' }], room: 'r9', player: 'p9', localFallback: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllProvidersFailedError);
    const [d] = gw.deadLetters.recent();
    expect(d).toMatchObject({ operation: 'lore', room: 'r9', player: 'p9', links: [{ link: 'openai:gpt-4o-mini', outcome: 'server' }] });
    expect(d!.reason).toMatch(/all providers failed/);
    const m = (await reg.getMetricsAsJSON()).find((x) => x.name === 'llm_dead_letters_total');
    expect(m?.values[0]).toMatchObject({ labels: { operation: 'lore' }, value: 1 });
    // A refusal (here the tier) is not a dead letter: nothing was exhausted.
    const { gw: g2 } = gatewayFor([openai], { tiers: { free: { layers: { '*': { hourly: 0 } } } }, defaultTier: 'free' });
    await g2.call({ operation: 'lore', messages: [{ role: 'user', content: 'x' }], localFallback: false }).catch(() => undefined);
    expect(g2.deadLetters.size).toBe(0);
  });
});
