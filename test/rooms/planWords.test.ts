import { describe, expect, it } from 'vitest';
import type { MindRequest } from '../../actors/index.ts';
import { MetaState, Projection, WorldState } from '../../rooms/index.ts';
import { localReason, planSourceText } from '../../rooms/planWords.ts';
import { battle, hero, wolf } from '../actors/coordinator/helpers.ts';
import { countOf, packDisplayName, plural } from '../../shared/index.ts';

describe('where a plan came from, in words', () => {
  it.each([
    ['tactician', 'tactician', false, '', 'Local tactician — the cloud has not answered yet'],
    ['tactician', 'tactician', false, 'gateway answered locally (budget exceeded: room cost hard limit (spent $0.05 of $0.05)): tactician plan stands', "Local tactician — the cloud was not asked: this room's LLM budget is spent"],
    ['tactician', 'tactician', false, 'gateway answered locally (tier free: no cloud calls for coordination): tactician plan stands', "Local tactician — the cloud was not asked: the room's tier 'free' allows no cloud tactics"],
    ['tactician', 'tactician', false, 'gateway answered locally (local only): tactician plan stands', 'Local tactician — the cloud was not asked: no cloud model is configured on this server'],
    ['tactician', 'tactician', false, 'gateway answered locally (openai:gpt-4o-mini: timeout): tactician plan stands', 'Local tactician — the cloud was tried and gave no plan: no answer came in time'],
    ['tactician', 'tactician', false, 'gateway answered locally (openai:gpt-4o-mini: budget exceeded: room r1 cost hard limit ($0.000500 spent + $0.000500 reserved > $0.000500)): tactician plan stands', "Local tactician — the cloud was not asked: this room's LLM budget is spent"],
    ['tactician', 'tactician', false, 'gateway answered locally (tier, budget or outage): tactician plan stands', 'Local tactician — the cloud was not asked: the tier, a budget or an outage kept it local'],
    ['tactician', 'tactician', false, 'cloud failed: tactics: every provider failed', 'Local tactician — the cloud call failed: tactics: every provider failed'],
    ['tactician', 'tactician', false, 'stale cloud plan dropped: a member fell since asking', "Local tactician — the cloud's plan came too late and was dropped: a member fell since asking"],
    ['tactician', 'tactician', false, 'cloud plan refused: nothing usable left in the plan', "Local tactician — the cloud's plan was refused: nothing usable left in the plan"],
    ['tactician', 'tactician', false, 'accepted openai:gpt-4o-mini', 'Local tactician — re-planned locally since the last cloud plan'],
    ['openai', 'gpt-4o-mini', false, 'accepted openai:gpt-4o-mini', 'Cloud plan from OpenAI (gpt-4o-mini)'],
    ['anthropic', 'claude-haiku', true, 'accepted anthropic:claude-haiku (cached)', 'Cloud plan from Anthropic (claude-haiku, from the cache)'],
    ['gemini', 'gemini-flash', false, 'cloud failed: timeout', 'Cloud plan from Gemini (gemini-flash) — the cloud call failed: timeout'],
    ['openai', 'gpt-4o-mini', false, 'gateway answered locally (budget exceeded: room cost hard limit): tactician plan stands', "Cloud plan from OpenAI (gpt-4o-mini) — the last ask stayed local: this room's LLM budget is spent"],
  ])('%s %s cached=%s note=%j', (source, model, cached, note, words) => {
    const text = planSourceText(source, model, cached, note);
    expect(text).toBe(words);
    expect(text).not.toMatch(/\(tier, budget or outage\)|tactician plan stands/);
  });

  it('keeps an unknown gateway reason as it came', () => {
    expect(localReason('something new')).toBe('something new');
  });
});

describe('names in words', () => {
  it('pluralises species and names a pack after its leader', () => {
    expect(['wolf', 'bandit', 'lizardfolk', 'giant scorpion', 'yeti', 'boar'].map(plural)).toEqual(['wolves', 'bandits', 'lizardfolk', 'giant scorpions', 'yetis', 'boars']);
    expect(countOf(1, 'wolf')).toBe('1 wolf');
    expect(countOf(3, 'wolf')).toBe('3 wolves');
    expect(packDisplayName('Grak', 'bandit')).toBe("Grak's bandits");
    expect(packDisplayName('', 'wolf')).toBe('a pack of wolves');
  });
});

describe('the plan state a client reads', () => {
  it('carries the pack\'s name and, once the gateway answers locally for a spent budget, says so in words', () => {
    const sim = battle([wolf(10, 10), wolf(12, 10), wolf(11, 12), hero(10, 17, 'Ann')], { askCloud: true, planTimeout: 2, cloudEvery: 30 });
    const state = new WorldState({ meta: new MetaState({}) });
    const projection = new Projection(sim.world, state);
    const asked: MindRequest[] = [];
    sim.run(1, (r) => {
      projection.apply(r);
      asked.push(...r.requests.filter((q) => q.port === 'plan'));
    });
    const plan = state.plans.get('p1')!;
    expect(plan.toJSON()).toMatchObject({ pack: 'p1', packName: "w10's wolves", sourceText: 'Local tactician — the cloud has not answered yet' });
    sim.reply({ requestId: asked[0]!.requestId, ok: true, value: { plan: null, source: { provider: 'local', model: 'tactics', cached: false }, why: 'budget exceeded: room cost hard limit (spent $0.05 of $0.05)' } });
    sim.run(2, (r) => projection.apply(r));
    expect(plan.note).toBe('gateway answered locally (budget exceeded: room cost hard limit (spent $0.05 of $0.05)): tactician plan stands');
    expect(plan.sourceText).toBe("Local tactician — the cloud was not asked: this room's LLM budget is spent");
  });
});
