import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTactician, PlanSchema } from '../../actors/index.ts';
import type { BattleContext, Plan } from '../../actors/index.ts';
import type { CallRequest, CallResult, LlmGateway } from '../../llm/index.ts';
import { CloudTactics, planToIds, tacticsSituation } from '../../minds/index.ts';
import { startFake } from '../llm/fakeProvider.ts';
import type { FakeProvider } from '../llm/fakeProvider.ts';
import { gatewayFor } from '../llm/helpers.ts';
import { battleAt, planOf, planRequest, slotPlanFor } from './tacticsHelpers.ts';

const battle = battleAt(40, 40, 12, { members: [11, 12, 13, 14], players: [15, 16] });
const situation = tacticsSituation(battle.context);
const good = slotPlanFor(null, situation.context);
/** A slot plan naming member 9 of a pack of four: it passes the plan schema but maps onto nobody. */
const unmappable: Plan = { ...good, assignments: good.assignments.map((a, i) => (i === 0 ? { ...a, member: 9 } : a)) };

/**
 * A gateway stand-in that answers each call with the next plan of `answers` as if a model had (no schema check, so
 * an answer the real gateway would repair reaches the workflow's validate step), and whose local handler is the
 * local tactician.
 */
function scriptedGateway(answers: Plan[]): { gateway: LlmGateway; calls: CallRequest<unknown>[] } {
  const calls: CallRequest<unknown>[] = [];
  const gateway = {
    cloudAllowed: () => true,
    call(req: CallRequest<unknown>): Promise<CallResult<unknown>> {
      calls.push(req);
      const value = answers.shift();
      if (!value) return Promise.reject(new Error('no answer scripted'));
      return Promise.resolve({ value, provider: 'openai', model: 'gpt-4o-mini', cached: false, record: { costUsd: 0.001 }, decision: undefined } as unknown as CallResult<unknown>);
    },
    answerLocally: (_op: string, input: unknown) => Promise.resolve(localTactician(input as BattleContext)),
  };
  return { gateway: gateway as unknown as LlmGateway, calls };
}

describe('cloud tactics as the declared workflow `tactics`', () => {
  it('declares context, ask, validate (repairing the ask once) and the local fallback', () => {
    const { gateway } = scriptedGateway([]);
    const wf = new CloudTactics({ gateway, schema: PlanSchema }).workflow;
    expect(wf.name).toBe('tactics');
    expect(wf.steps.map((s) => [s.name, s.kind])).toEqual([['context', 'transform'], ['ask', 'ask'], ['validate', 'validate']]);
    expect(wf.fallback).toMatchObject({ kind: 'fallback', name: 'local' });
    expect(wf.repairs.get('validate')).toBe('ask');
  });

  it('an answer that does not map onto the pack is re-asked once with the reason, bypassing the cache; the repaired plan is used', async () => {
    const { gateway, calls } = scriptedGateway([unmappable, good]);
    const mind = new CloudTactics({ gateway, schema: PlanSchema });
    const [r] = await mind.serve([planRequest(1, battle.context)]);
    expect(r).toMatchObject({ ok: true, value: { source: { provider: 'openai', cached: false } } });
    expect(planOf(r)).toEqual(planToIds(good, situation).plan);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.cacheKey).toBe(situation.key);
    expect(calls[1]!.cacheKey).toBeUndefined();
    expect(calls[1]!.overrides).toMatchObject({ cacheable: false });
    expect(calls[1]).toMatchObject({ player: 'room:r1', tier: 'whale', room: 'r1', roomBudget: { costUsd: { hard: 1 } }, input: situation.context });
    const repair = calls[1]!.messages.slice(-2);
    expect(repair[0]).toEqual({ role: 'assistant', content: JSON.stringify(unmappable) });
    expect(repair[1]?.content).toContain('1 assignment(s) name a member this pack does not have (members are 1..4)');
    expect(mind.stats).toMatchObject({ requests: 1, cloud: 1, local: 0, fallback: 0, errors: 0 });
  });

  it("a second unmappable answer: the local tactician answers through the gateway's local handler", async () => {
    const { gateway, calls } = scriptedGateway([unmappable, unmappable]);
    const mind = new CloudTactics({ gateway, schema: PlanSchema });
    const [r] = await mind.serve([planRequest(2, battle.context)]);
    expect(r).toMatchObject({ ok: true, value: { source: { provider: 'local', model: 'tactics', cached: false } } });
    expect(planOf(r)).toEqual(planToIds(localTactician(situation.context), situation).plan);
    expect(calls).toHaveLength(2);
    expect(mind.stats).toMatchObject({ requests: 1, cloud: 0, local: 1, fallback: 1, errors: 0 });
  });
});

describe('cloud tactics workflow through the real gateway', () => {
  let openai: FakeProvider;
  beforeAll(async () => {
    openai = await startFake('openai', () => ({ type: 'error', status: 400, message: 'unsupported parameter' }));
  });
  afterAll(async () => openai.close());

  it('a call the gateway throws for (a request-caused 400) is answered by the local tactician, not an error reply', async () => {
    const { gw } = gatewayFor([openai], { retry: { maxRetries: 0 }, cache: { enabled: false } });
    gw.registerLocal('tactics', ({ input }) => localTactician(input as BattleContext));
    const mind = new CloudTactics({ gateway: gw, schema: PlanSchema });
    const [r] = await mind.serve([planRequest(3, battle.context)]);
    expect(openai.requests).toHaveLength(1);
    expect(r).toMatchObject({ ok: true, value: { source: { provider: 'local', model: 'tactics' } } });
    expect(planOf(r)).toEqual(planToIds(localTactician(situation.context), situation).plan);
    expect(mind.stats).toMatchObject({ local: 1, fallback: 1, errors: 0 });
    // The gateway recorded the failed call as it always does.
    expect(gw.telemetry.recent(1)[0]).toMatchObject({ operation: 'tactics' });
  });

  it('an aborted batch still gets error replies, never a plan', async () => {
    const { gw } = gatewayFor([openai], { retry: { maxRetries: 0 } });
    gw.registerLocal('tactics', ({ input }) => localTactician(input as BattleContext));
    const ac = new AbortController();
    ac.abort();
    const [r] = await new CloudTactics({ gateway: gw, schema: PlanSchema }).serve([planRequest(4, battle.context)], ac.signal);
    expect(r).toMatchObject({ requestId: 4, ok: false, error: expect.stringMatching(/^tactics: /) });
  });
});
