import { tempDataDir } from '../../tools/tempDataDir.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { matchMaker } from '@colyseus/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localTactician } from '../../actors/index.ts';
import type { BattleContext } from '../../actors/index.ts';
import { refreshTracing } from '../../llm/index.ts';
import type { CallRequest } from '../../llm/index.ts';
import { createLogger, loadConfig, startServer } from '../../server/index.ts';
import type { RunningServer } from '../../server/index.ts';
import { promptText, startFake } from '../llm/fakeProvider.ts';
import type { FakeProvider } from '../llm/fakeProvider.ts';
import { KEYS } from '../llm/helpers.ts';
import { freePort, serverRoom, waitFor } from './serverHarness.ts';

// One cloud-planned battle in a room of a real in-process server, its spans exported to memory. The provider is
// registered in this test process before the server starts, as a process embedding the server would; the server
// finds it (`host` mode) and traces into it.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

const dir = mkdtempSync(join(tmpdir(), 'lairmind-traces-'));
writeFileSync(join(dir, 'traced-battle.yaml'), [
  'name: traced-battle',
  'world: { seed: traced, size: 64, biome: forest }',
  'spawns:',
  '  - pack: { id: wolves, species: wolf, size: 3, at: { x: 6, y: 0 }, spread: 1, traits: { aggression: 1, courage: 1 } }',
  'llm: { tier: whale, budgetUsd: 1, providers: [openai, local] }',
  'outcome: { win: [{ packDefeated: wolves }] }',
].join('\n') + '\n');
const config = join(dir, 'lairmind.config.yaml');
writeFileSync(config, [
  'providers: { openai: {} }',
  'models:',
  '  entries:',
  '    - { provider: openai, model: gpt-4o-mini, capabilities: { json: true, streaming: true }, contextWindow: 128000, price: { input: 0.15, cachedInput: 0.075, output: 0.6, checked: 2026-01-01 }, latencyMs: 900, quality: 0.6 }',
  'retry: { maxRetries: 0 }',
  'cache: { enabled: false }',
].join('\n') + '\n');

const byName = (spans: readonly ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
const id = (s: ReadableSpan) => s.spanContext().spanId;
const traceOf = (s: ReadableSpan) => s.spanContext().traceId;
/** Span times in ms. Each span anchors its clock to Date.now() when it starts, so times of different spans agree to ~1 ms. */
const ms = (t: readonly [number, number]) => t[0] * 1e3 + t[1] / 1e6;
const CLOCK_MS = 2;

let openai: FakeProvider;
let server: RunningServer;
/** Every gateway call's request, as the gateway received it. */
const calls: CallRequest<unknown>[] = [];
/** The spans of the battle, once its first ask was answered. */
let spans: ReadableSpan[] = [];
let ask: ReadableSpan;
/** The tactics workflow's `ask` step under it. */
let askStep: ReadableSpan;

beforeAll(async () => {
  trace.setGlobalTracerProvider(provider);
  openai = await startFake('openai', (req) => {
    const json = /CONTEXT (\{.*\})\n/.exec(promptText('openai', req.body).user)?.[1] ?? '{}';
    return { type: 'ok', text: JSON.stringify(localTactician(JSON.parse(json) as BattleContext)), usage: { input: 900, output: 120 } };
  });
  vi.stubEnv('LAIRMIND_CONFIG', config);
  vi.stubEnv('OPENAI_API_KEY', KEYS.openai);
  vi.stubEnv('OPENAI_BASE_URL', openai.baseURL);
  const port = await freePort();
  server = await startServer(loadConfig({ PORT: String(port), LOG_LEVEL: 'silent', SCENARIOS_DIR: dir, PUBLIC_SCENARIOS: 'traced-battle', MATCHMAKE_LOOPBACK: 'exempt', DATA_DIR: tempDataDir('test') }), { logger: createLogger('silent') });
  const call = server.llm.call.bind(server.llm);
  vi.spyOn(server.llm, 'call').mockImplementation((req) => {
    calls.push(req as CallRequest<unknown>);
    return call(req);
  });
});

afterAll(async () => {
  await server?.close();
  await openai?.close();
  vi.unstubAllEnvs();
  trace.disable();
  refreshTracing();
  await provider.shutdown();
});

describe('traces of a cloud-planned battle', () => {
  it('room tick → plan batch (child) and coordinator ask (own trace, linked to the tick); nothing per actor', async () => {
    expect(server.tracing.mode).toBe('host');
    const listing = await matchMaker.createRoom('world', { scenario: 'traced-battle' });
    const room = serverRoom(listing.roomId);
    room.pause();
    expect(room.tracing?.options.mode).toBe('asks');
    // A hero next to the pack: the coordinator asks the plan port on the tick the pack engages.
    await Promise.all([
      room.spawnInputs([{ type: 'spawn', spec: { kind: 'player', behaviour: 'player', params: { respawnDelay: 3600 }, body: { x: 2.5, y: 0.5, maxHp: 5000, hp: 5000, speed: 5, faction: 'players' }, tags: { name: 'hero' } } }]),
      Promise.resolve(room.stepOnce()),
    ]);
    let askTick = 0;
    for (let i = 0; i < 200 && calls.length === 0; i++) askTick = room.stepOnce();
    expect(calls.length).toBeGreaterThan(0); // the ask went out on `askTick`
    const asksOnTick = calls.length;
    // Stepping stops here: the only LLM work is this tick's asks. Their replies travel over HTTP to the fake.
    await waitFor('the plan batch to be answered', () => byName(exporter.getFinishedSpans(), 'mind.batch plan').length > 0, 10_000);
    spans = exporter.getFinishedSpans().slice();

    // The tick: its own trace, one span for the whole tick.
    const ticks = byName(spans, 'room.tick');
    const tick = ticks.find((s) => s.attributes['lairmind.tick'] === askTick);
    expect(tick).toBeDefined();
    if (!tick) return;
    expect(tick.parentSpanContext).toBeUndefined();
    expect(tick.kind).toBe(SpanKind.INTERNAL);
    expect(tick.attributes).toMatchObject({ 'lairmind.room.id': listing.roomId, 'lairmind.tick.overrun': expect.any(Boolean) });
    expect(tick.attributes['lairmind.mind.requests']).toBeGreaterThanOrEqual(asksOnTick);
    // `asks` mode: besides the asking tick, only ticks that overran their budget have a span.
    for (const t of ticks) if (t !== tick) expect(t.attributes['lairmind.tick.overrun']).toBe(true);
    expect(new Set(ticks.map((t) => t.attributes['lairmind.tick'])).size).toBe(ticks.length);

    // The tick's mind batches are its children; the plan batch lasts until its replies arrived.
    const batches = spans.filter((s) => s.name.startsWith('mind.batch '));
    for (const b of batches) {
      expect(b.parentSpanContext?.spanId).toBe(id(tick));
      expect(traceOf(b)).toBe(traceOf(tick));
    }
    const [planBatch] = byName(batches, 'mind.batch plan');
    expect(planBatch?.attributes).toMatchObject({ 'lairmind.mind.port': 'plan', 'lairmind.mind.batch_size': asksOnTick, 'lairmind.mind.errors': 0 });

    // The coordinator's ask: a trace of its own, linked to the tick that made it, answered by the cloud model.
    const asks = byName(spans, 'coordinator.ask tactics');
    expect(asks).toHaveLength(asksOnTick);
    ask = asks[0] as ReadableSpan;
    expect(ask.parentSpanContext).toBeUndefined();
    expect(traceOf(ask)).not.toBe(traceOf(tick));
    expect(ask.links).toHaveLength(1);
    expect(ask.links[0]?.context.spanId).toBe(id(tick));
    expect(ask.links[0]?.context.traceId).toBe(traceOf(tick));
    expect(ask.links[0]?.attributes).toEqual({ 'lairmind.link': 'tick' });
    expect(ask.attributes).toMatchObject({
      'lairmind.room.id': listing.roomId, 'lairmind.pack': 's:wolves', 'lairmind.tier': 'whale', 'lairmind.payer': 'room',
      'lairmind.outcome': 'cloud', 'lairmind.plan.provider': 'openai', 'lairmind.plan.model': 'gpt-4o-mini',
    });
    // 900 input and 120 output tokens at $0.15 / $0.60 per million.
    expect(ask.attributes['lairmind.cost_usd']).toBeCloseTo((900 * 0.15 + 120 * 0.6) / 1e6, 12);
    // The ask starts when the batch is dispatched and ends before the batch does (the batch waits for every reply).
    expect(ms(ask.startTime)).toBeGreaterThanOrEqual(ms(planBatch!.startTime) - CLOCK_MS);
    expect(ms(ask.endTime)).toBeLessThanOrEqual(ms(planBatch!.endTime) + CLOCK_MS);
    expect(ms(planBatch!.startTime)).toBeGreaterThanOrEqual(ms(tick.startTime) - CLOCK_MS);
    expect(ms(planBatch!.startTime)).toBeLessThanOrEqual(ms(tick.endTime) + CLOCK_MS);

    // Under the ask, the tactics workflow's span, and a span per step in the order they ran.
    const [workflow] = byName(spans, 'workflow tactics').filter((s) => s.parentSpanContext?.spanId === id(ask));
    expect(workflow?.attributes).toMatchObject({ 'lairmind.workflow.name': 'tactics', 'lairmind.outcome': 'ok' });
    const steps = spans.filter((s) => s.name.startsWith('workflow.step ') && s.parentSpanContext?.spanId === id(workflow!));
    expect(steps.map((s) => [s.name, s.attributes['lairmind.workflow.step_kind'], s.attributes['lairmind.outcome']])).toEqual([
      ['workflow.step context', 'transform', 'ok'], ['workflow.step ask', 'ask', 'ok'], ['workflow.step validate', 'validate', 'ok'],
    ]);
    askStep = steps[1] as ReadableSpan;

    // The gateway is handed the `ask` step as the parent of its spans.
    const parent = calls[0]?.trace?.parent;
    expect(parent).toBeDefined();
    expect(trace.getSpanContext(parent!)?.spanId).toBe(id(askStep));
    expect(calls[0]?.trace?.links).toBeUndefined();

    // Never a span per actor: every span is a tick, a batch, an ask (or, with the workflow's and the gateway's spans, under an ask).
    const known = /^(room\.tick|mind\.batch \w+|coordinator\.ask tactics|workflow tactics|workflow\.step \w+|llm tactics|llm queue wait|chat [\w.-]+)$/;
    expect(spans.map((s) => s.name).filter((n) => !known.test(n))).toEqual([]);
  });

  it("gateway: a call span under the ask's `ask` step, with the queue wait and a GenAI attempt span as its children", () => {
    expect(ask).toBeDefined();
    expect(askStep).toBeDefined();
    const [call] = byName(spans, 'llm tactics').filter((s) => s.parentSpanContext?.spanId === id(askStep));
    expect(call).toBeDefined();
    if (!call) return;
    expect(traceOf(call)).toBe(traceOf(ask));
    expect(call.kind).toBe(SpanKind.INTERNAL);
    expect(call.attributes).toMatchObject({ 'lairmind.llm.operation': 'tactics', 'lairmind.outcome': 'cloud', 'lairmind.llm.provider': 'openai', 'lairmind.llm.model': 'gpt-4o-mini' });
    expect(call.attributes['lairmind.cost_usd']).toBeCloseTo((900 * 0.15 + 120 * 0.6) / 1e6, 12);

    const [wait] = byName(spans, 'llm queue wait').filter((s) => s.parentSpanContext?.spanId === id(call));
    expect(wait?.attributes).toMatchObject({ 'lairmind.llm.priority': 'battle', 'lairmind.outcome': 'started' });

    const attempts = byName(spans, 'chat gpt-4o-mini').filter((s) => s.parentSpanContext?.spanId === id(call));
    expect(attempts).toHaveLength(1);
    const attempt = attempts[0] as ReadableSpan;
    expect(attempt.kind).toBe(SpanKind.CLIENT);
    expect(attempt.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 900, 'gen_ai.usage.output_tokens': 120, 'lairmind.outcome': 'ok',
    });
    expect(attempt.attributes['lairmind.cost_usd']).toBeCloseTo((900 * 0.15 + 120 * 0.6) / 1e6, 12);
    // The attempt starts after the wait ends, and both lie within the call, which lies within the ask.
    expect(ms(attempt.startTime)).toBeGreaterThanOrEqual(ms(wait!.endTime) - CLOCK_MS);
    expect(ms(call.startTime)).toBeGreaterThanOrEqual(ms(askStep.startTime) - CLOCK_MS);
    expect(ms(call.endTime)).toBeLessThanOrEqual(ms(askStep.endTime) + CLOCK_MS);
    expect(ms(askStep.startTime)).toBeGreaterThanOrEqual(ms(ask.startTime) - CLOCK_MS);
    expect(ms(askStep.endTime)).toBeLessThanOrEqual(ms(ask.endTime) + CLOCK_MS);
  });
});
