import { SpanKind, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../shared/index.ts';
import { contextWith, defineWorkflow, endSpan, refreshTracing, reject, runWorkflow, startSpan, stepsFor } from '../../llm/index.ts';
import type { AskStep, CallRequest, CallResult, LlmGateway, Step, StepRecord, WorkflowDefinition } from '../../llm/index.ts';
import { promptText, startFake } from './fakeProvider.ts';
import type { FakeProvider } from './fakeProvider.ts';
import { gatewayFor } from './helpers.ts';

// Spans go to memory for the whole file (the tracing switch is checked again once the provider is registered).
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

const Count = z.object({ n: z.number().int() }).strict();
type Count = z.output<typeof Count>;

/** The state of the test workflows. */
interface St {
  readonly topic: string;
  readonly n?: number;
  readonly a?: number;
  readonly b?: number;
  readonly last?: string;
  readonly size?: string;
  readonly answer?: CallResult<Count>;
  readonly text?: string;
}
const { ask, transform, validate, parallel, when, fallback } = stepsFor<St>();

/** An ask of operation `count` about the state's topic; its answer sets `answer` and `n` unless `over.into` says otherwise. */
const countAsk = (name: string, over: Partial<Omit<AskStep<St, Count>, 'kind' | 'name'>> = {}) =>
  ask<Count>({
    name,
    operation: 'count',
    messages: (s) => [{ role: 'system', content: 'Answer with JSON {"n": integer}.' }, { role: 'user', content: `Count the ${s.topic}.` }],
    schema: Count,
    call: () => ({ tenant: 'wf-test', room: 'r1' }),
    into: (res) => ({ answer: res, n: res.value.n }),
    ...over,
  });

/** A workflow over `St` from a topic; its answer is the final state's `n` (or what the fallback says: -1). */
const define = (name: string, steps: readonly Step<St>[], over: Partial<WorkflowDefinition<string, St, number>> = {}) =>
  defineWorkflow<string, St, number>({
    name,
    start: (topic) => ({ topic }),
    steps,
    output: (s) => s.n ?? 0,
    fallback: fallback<number>('local', () => -1),
    ...over,
  });

const outcomes = (steps: readonly StepRecord[]) => steps.map((r) => `${r.parent ? `${r.parent}/` : ''}${r.name}:${r.kind}:${r.outcome}${r.repair ? ':repair' : ''}${r.branch ? `:${r.branch}` : ''}`);
const byName = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);
const childrenOf = (parent: ReadableSpan) => exporter.getFinishedSpans().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
const ms = (t: readonly [number, number]) => t[0] * 1e3 + t[1] / 1e6;

let openai: FakeProvider;
beforeAll(async () => {
  trace.setGlobalTracerProvider(provider);
  refreshTracing();
  openai = await startFake('openai');
});
afterAll(async () => {
  await openai.close();
  trace.disable();
  refreshTracing();
  await provider.shutdown();
});
beforeEach(() => {
  openai.requests.length = 0;
  openai.respond(() => ({ type: 'ok', text: '{"n":2}' }));
  exporter.reset();
});

/** A gateway on the fake OpenAI, no retries, no cache unless asked; the local handler of `count` answers n = 0. */
function gateway(cache = false): LlmGateway {
  const { gw } = gatewayFor([openai], { retry: { maxRetries: 0 }, cache: { enabled: cache } });
  gw.registerLocal('count', () => ({ n: 0 }));
  return gw;
}

describe('workflows: sequential, parallel and conditional steps through the gateway', () => {
  it('runs steps in order: each sees the fields set before it; the ask sends the prompt built from the state and its cacheKey', async () => {
    const gw = gateway(true);
    const wf = define('seq', [
      transform('prep', (s) => ({ topic: `${s.topic} in the den` })),
      countAsk('ask', { cacheKey: (s) => `wolves:${s.topic.length > 3 ? 'many' : 'few'}` }),
      transform('double', (s) => ({ n: (s.n ?? 0) * 2, last: 'double' })),
    ]);
    const r = await runWorkflow(gw, wf, 'wolves', { deadlineMs: 2_000 });
    expect(r).toMatchObject({ ok: true, fellBack: false, value: 4, state: { topic: 'wolves in the den', n: 4, last: 'double' } });
    expect(outcomes(r.steps)).toEqual(['prep:transform:ok', 'ask:ask:ok', 'double:transform:ok']);
    expect(openai.requests).toHaveLength(1);
    expect(promptText('openai', openai.requests[0]!.body).user).toContain('Count the wolves in the den.');
    expect(r.ok && r.state.answer).toMatchObject({ provider: 'openai', cached: false, record: { tenant: 'wf-test', room: 'r1' } });
    // The same cacheKey from another topic: the gateway serves the cached answer, the provider is not asked again.
    const again = await runWorkflow(gw, wf, 'bears', { deadlineMs: 2_000 });
    expect(again).toMatchObject({ ok: true, value: 4, state: { answer: { cached: true } } });
    expect(openai.requests).toHaveLength(1);
  });

  it('an ask after synchronous steps goes out at once, before runWorkflow returns (a caller that does not await sends it now)', async () => {
    const gw = gateway();
    const sent: string[] = [];
    const spy = { call: <T>(req: CallRequest<T>) => (sent.push(req.operation), gw.call(req)) };
    const wf = define('now', [transform('prep', () => ({ last: 'prep' })), parallel('fan', [countAsk('one'), countAsk('two')])]);
    const pending = runWorkflow(spy, wf, 'wolves');
    expect(sent).toEqual(['count', 'count']);
    expect(await pending).toMatchObject({ ok: true, value: 2 });
  });

  it('runs parallel steps at once and merges their fields in the listed order', async () => {
    openai.respond((req) => ({ type: 'ok', text: promptText('openai', req.body).user.includes('owls') ? '{"n":5}' : '{"n":7}', delayMs: 150 }));
    const wf = define('fan', [
      parallel('both', [
        countAsk('wolves', { into: (res) => ({ a: res.value.n, last: 'wolves' }) }),
        countAsk('owls', { messages: () => [{ role: 'user', content: 'Count the owls.' }], into: (res) => ({ b: res.value.n, last: 'owls' }) }),
      ]),
      transform('sum', (s) => ({ n: (s.a ?? 0) + (s.b ?? 0) })),
    ]);
    const r = await runWorkflow(gateway(), wf, 'wolves', { deadlineMs: 2_000 });
    expect(r).toMatchObject({ ok: true, value: 12, state: { a: 7, b: 5, last: 'owls' } });
    expect(outcomes(r.steps)).toEqual(['both:parallel:ok', 'both/wolves:ask:ok', 'both/owls:ask:ok', 'sum:transform:ok']);
    // Both calls were in flight together: each step's span overlaps the other's.
    const [w, o] = [byName('workflow.step wolves')[0]!, byName('workflow.step owls')[0]!];
    expect(Math.max(ms(w.startTime), ms(o.startTime))).toBeLessThan(Math.min(ms(w.endTime), ms(o.endTime)));
    expect(openai.requests).toHaveLength(2);
  });

  it('a failing parallel step aborts its siblings at once, and the fallback answers', async () => {
    openai.respond(() => ({ type: 'ok', text: '{"n":7}', delayMs: 5_000 }));
    const wf = define('fan-fail', [
      parallel('both', [countAsk('slow'), transform('bad', async () => reject('no owls here'))]),
      transform('never', () => ({ n: 1 })),
    ]);
    const t0 = performance.now();
    const r = await runWorkflow(gateway(), wf, 'wolves', { deadlineMs: 10_000 });
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(r).toMatchObject({ ok: true, fellBack: true, value: -1, failure: { step: 'bad', kind: 'rejected', reason: 'no owls here' } });
    expect(outcomes(r.steps)).toEqual(['both:parallel:rejected', 'both/slow:ask:aborted', 'both/bad:transform:rejected', 'local:fallback:ok']);
  });

  it('a when step picks its branch by a predicate over the state; the other branch does not run', async () => {
    const wf = define('cond', [
      countAsk('ask'),
      when('size', (s) => (s.n ?? 0) > 3, [transform('big', () => ({ size: 'big' }))], [transform('small', () => ({ size: 'small' })), transform('tiny', (s) => ({ size: `${s.size ?? ''}!` }))]),
    ]);
    openai.queue({ type: 'ok', text: '{"n":9}' }, { type: 'ok', text: '{"n":1}' });
    const big = await runWorkflow(gateway(), wf, 'wolves');
    const small = await runWorkflow(gateway(), wf, 'owls');
    expect(big).toMatchObject({ ok: true, state: { n: 9, size: 'big' } });
    expect(outcomes(big.steps)).toEqual(['ask:ask:ok', 'size:when:ok:then', 'size/big:transform:ok']);
    expect(small).toMatchObject({ ok: true, state: { n: 1, size: 'small!' } });
    expect(outcomes(small.steps)).toEqual(['ask:ask:ok', 'size:when:ok:else', 'size/small:transform:ok', 'size/tiny:transform:ok']);
  });
});

describe('workflows: validate, repair once, fallback', () => {
  const even = define('even', [countAsk('ask'), validate('even', (s) => ((s.n ?? 0) % 2 === 0 ? { last: 'checked' } : reject(`n must be even, got ${s.n}`)), { repair: 'once' })]);

  it('a refused answer is re-asked once with the reason and the reply it refused; the repaired answer passes', async () => {
    openai.queue({ type: 'ok', text: '{"n":3}' }, { type: 'ok', text: '{"n":4}' });
    const r = await runWorkflow(gateway(), even, 'wolves');
    expect(r).toMatchObject({ ok: true, fellBack: false, value: 4, state: { n: 4, last: 'checked' } });
    expect(outcomes(r.steps)).toEqual(['ask:ask:ok', 'even:validate:repaired', 'even/ask:ask:ok:repair']);
    expect(openai.requests).toHaveLength(2);
    const msgs = openai.requests[1]!.body.messages as { role: string; content: string }[];
    expect(msgs.at(-2)).toEqual({ role: 'assistant', content: '{"n":3}' });
    expect(msgs.at(-1)?.role).toBe('user');
    expect(msgs.at(-1)?.content).toContain('n must be even, got 3');
  });

  it('a second refusal fails the step and the fallback answers; no third ask', async () => {
    openai.queue({ type: 'ok', text: '{"n":3}' }, { type: 'ok', text: '{"n":5}' });
    const r = await runWorkflow(gateway(), even, 'wolves');
    expect(r).toMatchObject({ ok: true, fellBack: true, value: -1, failure: { step: 'even', kind: 'rejected', reason: 'n must be even, got 5 (after one repair)' } });
    expect(outcomes(r.steps)).toEqual(['ask:ask:ok', 'even:validate:rejected', 'even/ask:ask:ok:repair', 'local:fallback:ok']);
    expect(openai.requests).toHaveLength(2);
  });

  it("an answer from the gateway's local handler is not re-asked (no model to repair): the fallback answers", async () => {
    const { gw } = gatewayFor([], {});
    gw.registerLocal('count', () => ({ n: 1 }));
    const r = await runWorkflow(gw, even, 'wolves');
    expect(r).toMatchObject({ ok: true, fellBack: true, failure: { step: 'even', kind: 'rejected', reason: expect.stringContaining('the local handler answered') } });
    expect(outcomes(r.steps)).toEqual(['ask:ask:ok', 'even:validate:rejected', 'local:fallback:ok']);
  });

  it('a step that throws is contained: the fallback gets the state so far and the failure; without a fallback the run fails', async () => {
    const steps = [countAsk('ask'), transform('boom', () => {
      throw new Error('kaboom');
    })];
    const seen: unknown[] = [];
    const wf = define('throws', steps, { fallback: fallback<number>('local', (s, failure) => (seen.push(s.n, failure.kind, failure.reason), 99)) });
    expect(await runWorkflow(gateway(), wf, 'wolves')).toMatchObject({ ok: true, fellBack: true, value: 99, failure: { step: 'boom', kind: 'error', reason: 'kaboom' } });
    expect(seen).toEqual([2, 'error', 'kaboom']);
    const bare = define('bare', steps, { fallback: undefined });
    expect(await runWorkflow(gateway(), bare, 'wolves')).toMatchObject({ ok: false, state: { n: 2 }, failure: { step: 'boom', kind: 'error' } });
    const badFallback = define('bad-fallback', steps, { fallback: fallback<number>('local', () => Promise.reject(new Error('no tactician'))) });
    expect(await runWorkflow(gateway(), badFallback, 'wolves')).toMatchObject({ ok: false, failure: { step: 'boom' }, fallbackFailure: { step: 'local', kind: 'error', reason: 'no tactician' } });
  });
});

describe('workflows: the deadline of the whole run', () => {
  it('a step still running at the deadline is cut off and the fallback answers at once', async () => {
    let ran = false;
    const wf = define('stuck', [countAsk('ask'), transform('stuck', () => new Promise<undefined>(() => undefined)), transform('after', () => ((ran = true), {}))]);
    const r = await runWorkflow(gateway(), wf, 'wolves', { deadlineMs: 150 });
    expect(r).toMatchObject({ ok: true, fellBack: true, value: -1, failure: { step: 'stuck', kind: 'deadline', reason: "the run's deadline (150 ms) passed" } });
    expect(r.ms).toBeGreaterThanOrEqual(145);
    expect(r.ms).toBeLessThan(150 + 250);
    expect(ran).toBe(false);
    expect(outcomes(r.steps)).toEqual(['ask:ask:ok', 'stuck:transform:deadline', 'local:fallback:ok']);
  });

  it("an ask gets the time left as its deadline: a hanging provider is answered by the gateway's local handler within it", async () => {
    openai.respond(() => ({ type: 'hang' }));
    const wf = define('hang', [transform('wait', () => new Promise<Partial<St>>((resolve) => setTimeout(() => resolve({}), 100))), countAsk('ask')]);
    const r = await runWorkflow(gateway(), wf, 'wolves', { deadlineMs: 400 });
    expect(r).toMatchObject({ ok: true, fellBack: false, value: 0, state: { answer: { provider: 'local' } } });
    expect(r.ok && r.state.answer?.record.fallbackReason).toBeDefined();
    expect(r.ms).toBeLessThan(400 + 250);
    expect(openai.requests).toHaveLength(1);
  });

  it('the fallback has a deadline too: until the grace after the run deadline ends, and at least the grace', async () => {
    const wf = define('stuck-fallback', [transform('no', () => reject('no'))], { fallback: fallback<number>('local', () => new Promise<number>(() => undefined)) });
    const r = await runWorkflow(gateway(), wf, 'wolves', { deadlineMs: 100, graceMs: 50 });
    expect(r).toMatchObject({ ok: false, failure: { step: 'no', kind: 'rejected' }, fallbackFailure: { step: 'local', kind: 'deadline' } });
    expect(r.ms).toBeGreaterThanOrEqual(145);
    expect(r.ms).toBeLessThan(400);
  });

  it('no step starts after the deadline; a caller abort ends the run without the fallback', async () => {
    const late = define('late', [transform('slow', () => new Promise<Partial<St>>((resolve) => setTimeout(() => resolve({ n: 1 }), 80))), countAsk('ask')]);
    // `slow` ignores its signal, but the run stops waiting for it at the deadline and never asks.
    const r = await runWorkflow(gateway(), late, 'wolves', { deadlineMs: 40 });
    expect(r).toMatchObject({ ok: true, fellBack: true, failure: { step: 'slow', kind: 'deadline' } });
    expect(openai.requests).toHaveLength(0);

    openai.respond(() => ({ type: 'ok', text: '{"n":2}', delayMs: 5_000 }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const aborted = await runWorkflow(gateway(), define('abort', [countAsk('ask')]), 'wolves', { signal: ac.signal, deadlineMs: 10_000 });
    expect(aborted).toMatchObject({ ok: false, failure: { step: 'ask', kind: 'aborted' } });
    expect(aborted.ms).toBeLessThan(2_000);
    expect(aborted.steps.map((x) => x.kind)).not.toContain('fallback');
  });
});

describe('workflows: definitions are checked when made', () => {
  const noop = transform('a', () => ({}));
  const err = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as Error).message;
    }
    throw new Error('expected a ValidationError');
  };

  it('rejects duplicate names (nested ones and the fallback included), unknown kinds, a fallback among the steps, missing functions', () => {
    expect(err(() => define('dup', [noop, parallel('p', [transform('a', () => ({}))])]))).toBe('invalid workflow "dup": steps[1].steps[0].name: duplicate step name "a" (also steps[0])');
    expect(err(() => define('dup-fb', [transform('local', () => ({}))]))).toContain('fallback.name: duplicate step name "local" (also steps[0])');
    expect(err(() => define('kind', [noop, { kind: 'loop', name: 'l' } as never]))).toBe('invalid workflow "kind": steps[1].kind: unknown step kind "loop": expected one of ask, transform, validate, parallel, when');
    expect(err(() => define('fb', [{ kind: 'fallback', name: 'f', run: () => 1 } as never]))).toContain("steps[0].kind: a fallback is the workflow's `fallback`");
    expect(err(() => define('fn', [{ kind: 'ask', name: 'q', operation: 'count', messages: 'hello' } as never]))).toBe(
      'invalid workflow "fn": steps[0].messages: expected a function (state) => messages; steps[0].into: expected a function (result, state) => fields',
    );
    expect(err(() => define('empty', [parallel('p', [])]))).toBe('invalid workflow "empty": steps[0].steps: expected at least one step');
    expect(err(() => define('bad name!', [noop]))).toContain('name: expected a name matching');
  });

  it("rejects a repair with no ask before it to re-ask, or naming one that does not run before it", () => {
    expect(err(() => define('r1', [validate('v', () => ({}), { repair: 'once' }), countAsk('ask')]))).toBe('invalid workflow "r1": steps[0].repair: needs an ask step before it to re-ask');
    expect(err(() => define('r2', [parallel('p', [countAsk('q'), validate('v', () => ({}), { repair: 'once', ask: 'q' })])]))).toBe('invalid workflow "r2": steps[0].steps[1].ask: "q" is not an ask step that runs before it');
    expect(err(() => define('r3', [countAsk('q'), validate('v', () => ({}), { ask: 'q' })]))).toContain("steps[1].ask: names the ask to repair: set repair: 'once' too");
    // After a parallel or a when, the asks inside them can be repaired.
    expect(define('ok', [parallel('p', [countAsk('q'), noop]), validate('v', () => ({}), { repair: 'once' })]).repairs.get('v')).toBe('q');
  });

  it('runWorkflow refuses a workflow not made by defineWorkflow, and bad options', async () => {
    const raw = { name: 'raw', start: () => ({ topic: '' }), steps: [noop], output: () => 0 };
    await expect(runWorkflow(gateway(), raw as never, 'x')).rejects.toThrow('invalid workflow run: workflow: expected a workflow made by defineWorkflow()');
    await expect(runWorkflow(gateway(), define('opts', [noop]), 'x', { deadlineMs: 0, graceMs: -1 })).rejects.toThrow(
      'invalid run of workflow "opts": deadlineMs: expected a number > 0 (ms); graceMs: expected a number >= 0 (ms)',
    );
  });
});

describe('workflows: a span per step', () => {
  it("workflow span under the caller's span, a span per step under it (parallel children under the parallel), the gateway's call under its ask", async () => {
    const caller = startSpan('caller')!;
    const wf = define('traced', [
      transform('prep', () => ({})),
      parallel('fan', [countAsk('ask'), transform('side', () => ({ last: 'side' }))]),
      validate('odd', () => reject('always refused')),
    ]);
    const r = await runWorkflow(gateway(), wf, 'wolves', { trace: { parent: contextWith(caller) } });
    endSpan(caller);
    expect(r).toMatchObject({ ok: true, fellBack: true, failure: { step: 'odd', kind: 'rejected' } });

    const [run] = byName('workflow traced');
    expect(run?.parentSpanContext?.spanId).toBe(caller.spanContext().spanId);
    expect(run?.attributes).toMatchObject({ 'lairmind.workflow.name': 'traced', 'lairmind.outcome': 'fallback', 'lairmind.workflow.failed_step': 'odd' });
    const top = childrenOf(run!).sort((x, y) => ms(x.startTime) - ms(y.startTime));
    expect(top.map((s) => [s.name, s.attributes['lairmind.workflow.step_kind'], s.attributes['lairmind.outcome']])).toEqual([
      ['workflow.step prep', 'transform', 'ok'], ['workflow.step fan', 'parallel', 'ok'], ['workflow.step odd', 'validate', 'rejected'], ['workflow.step local', 'fallback', 'ok'],
    ]);
    expect(top[2]?.status.code).toBe(2); // ERROR
    const fan = childrenOf(top[1]!).map((s) => s.name).sort();
    expect(fan).toEqual(['workflow.step ask', 'workflow.step side']);
    const [askSpan] = byName('workflow.step ask');
    const [call] = byName('llm count');
    expect(call?.parentSpanContext?.spanId).toBe(askSpan?.spanContext().spanId);
    expect(call?.kind).toBe(SpanKind.INTERNAL);
    expect(askSpan?.attributes).toMatchObject({ 'lairmind.llm.provider': 'openai', 'lairmind.llm.model': 'gpt-4o-mini' });
    expect(byName('chat gpt-4o-mini')[0]?.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
  });
});
