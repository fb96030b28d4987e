import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario } from '../../actors/index.ts';
import type { CoordinatorState, ScenarioInput, Simulation } from '../../actors/index.ts';
import { LlmGateway } from '../../llm/index.ts';
import { headlessMinds } from '../../tools/scenario/headlessMinds.ts';
import { renderScenarioHtml, scenarioCharts } from '../../tools/scenario/htmlRunReport.ts';
import { formatSummary } from '../../tools/scenario/runReport.ts';
import type { RunReport } from '../../tools/scenario/runReport.ts';
import { runScenario } from '../../tools/scenario/runScenario.ts';
import { detailLines } from '../../tools/scenario/timelineText.ts';
import { cli } from './runCli.ts';

afterEach(() => {
  process.exitCode = 0;
});

/** A lone traveller against a wolf pack it cannot beat; a narrator line at tick 5. */
const AMBUSH: ScenarioInput = {
  name: 'lost-traveller',
  world: { seed: 'report-test', size: 128, biome: 'forest' },
  spawns: [{ pack: { id: 'wolves', species: 'wolf', size: 4, at: { x: 4, y: 0 }, spread: 2, traits: { aggression: 1, courage: 1 } } }],
  players: [{ name: 'pilgrim', at: { x: 0, y: 0 }, hp: 40, damage: 30 }],
  triggers: [{ id: 'dusk', when: { atTick: 5 }, do: [{ say: { text: 'Night falls.' } }] }],
  outcome: { win: [{ packDefeated: 'wolves' }], lose: [{ playersDead: true }] },
};

/** What the simulation itself says about a run, read independently of the report. */
interface Truth {
  deaths: { tick: number; victim: string; killer: string }[];
}

const nameOf = (sim: Simulation, id: number): string => String(sim.world.actors.get(id)?.tags?.name ?? '');

async function run(ticks = 600): Promise<{ report: RunReport; sim: Simulation; truth: Truth }> {
  const truth: Truth = { deaths: [] };
  const r = await runScenario(parseScenario(AMBUSH), {
    ticks,
    minds: headlessMinds(undefined, new LlmGateway({ providers: {} })),
    onStep: (step, sim) => {
      for (const a of step.attacks) if (a.killed) truth.deaths.push({ tick: sim.world.tick, victim: nameOf(sim, a.target), killer: nameOf(sim, a.attacker) });
    },
  });
  return { report: r.report, sim: r.sim, truth };
}

describe('headless scenario report', () => {
  it('has a timeline of deaths with killer and tick, the trigger, plans by pack and source, and the outcome', async () => {
    const { report, sim, truth } = await run();
    expect(report.outcome.result).toBe('lose');
    const deaths = report.timeline.filter((e) => e.kind === 'death');
    expect(truth.deaths.length).toBeGreaterThan(0);
    expect(deaths.length).toBe(truth.deaths.length);
    deaths.forEach((d, i) => {
      const t = truth.deaths[i]!;
      expect(d.tick).toBe(t.tick);
      expect(d.victim.startsWith(t.victim)).toBe(true);
      expect(d.killer.startsWith(t.killer)).toBe(true);
    });
    // The pilgrim's death names a wolf of the pack as the killer, in words.
    const pilgrimDeath = deaths.find((d) => d.victim === 'pilgrim (player)');
    expect(pilgrimDeath).toMatchObject({ tick: report.outcome.tick, victimSide: 'players', killerSide: 'wild' });
    expect(pilgrimDeath?.killer).toMatch(/^[A-Z][a-z]+.*( the wolf|, wolf)$/);
    // Wolves the pilgrim took with it are named with their pack.
    for (const d of deaths.filter((x) => x.victimSide === 'wild')) expect(d).toMatchObject({ pack: 'wolves', killer: 'pilgrim (player)' });

    // The trigger fires on the tick its narrator line is said (atTick counts from the director's first tick).
    const said = report.events.find((e) => e.text === 'Night falls.');
    expect(said?.tick).toBeGreaterThanOrEqual(5);
    expect(report.timeline.find((e) => e.kind === 'trigger')).toEqual({ tick: said?.tick, kind: 'trigger', trigger: 'dusk', when: '5 ticks after the start', actions: ['narrator: "Night falls."'] });
    const plans = report.timeline.filter((e) => e.kind === 'plan');
    const coordinator = [...sim.world.actors.values()].find((a) => a.kind === 'coordinator')!.state as CoordinatorState;
    expect(plans.length).toBe(coordinator.stats.tacticianPlans + coordinator.stats.cloudAccepted);
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) expect(p).toMatchObject({ pack: 'wolves', source: 'the local tactician' });
    expect(report.timeline.at(-1)).toEqual({ tick: report.outcome.tick, kind: 'outcome', result: 'lose', reason: 'every player dead (lose condition 1)' });
    const ticks = report.timeline.map((e) => e.tick);
    expect(ticks).toEqual([...ticks].sort((a, b) => a - b));
    // No internal ids anywhere in the words.
    expect(JSON.stringify(report.timeline)).not.toMatch(/s:wolves|pack:-?\d|#\d+:/);
  });

  it('counts survivors per pack and the player end state from the world as the run left it', async () => {
    const { report, sim, truth } = await run();
    const wolves = [...sim.world.actors.values()].filter((a) => a.tags?.pack === 's:wolves');
    const alive = wolves.filter((a) => a.body?.alive);
    expect(report.survivors).toEqual([{
      pack: 'wolves', species: 'Wolf', side: 'wild', alive: alive.length, total: 4,
      hp: Math.round(alive.reduce((s, a) => s + a.body!.hp, 0) * 10) / 10,
      maxHp: Math.round(wolves.reduce((s, a) => s + a.body!.maxHp, 0) * 10) / 10,
    }]);
    const body = [...sim.world.actors.values()].find((a) => a.kind === 'player')!.body!;
    const killer = truth.deaths.filter((d) => d.victim === 'pilgrim').at(-1)!.killer;
    expect(report.players).toEqual([{
      name: 'pilgrim (player)', alive: false, hp: 0, maxHp: 40,
      kills: truth.deaths.filter((d) => d.killer === 'pilgrim').length,
      damageDealt: expect.any(Number) as number, deaths: 1, killedBy: expect.stringMatching(new RegExp(`^${killer}[ ,]`)) as string,
      at: { x: Math.round(body.x * 10) / 10, y: Math.round(body.y * 10) / 10 },
    }]);
    expect(report.players[0]!.damageDealt).toBeGreaterThan(0);
    expect(report.damage.byFaction.players).toBeCloseTo(report.players[0]!.damageDealt, 0);

    const text = formatSummary(report);
    expect(text).toContain(`  ${String(report.outcome.tick).padStart(4)}  outcome  LOSE: every player dead (lose condition 1)`);
    expect(text).toMatch(/survivors per pack:\n {2}pack +species +side +alive +hp left\n {2}wolves +wolf +wild +\d\/4 /);
    expect(text).toContain(`  pilgrim (player): dead (killed by ${report.players[0]!.killedBy})`);
  });

  it('lists on the terminal the packs that lost something when there are many, and counts the untouched rest', async () => {
    const { report } = await run();
    const pack = (k: number, alive: number, hp: number) => ({ pack: `wolves #${k}`, species: 'Wolf', side: 'wild', alive, total: 4, hp, maxHp: 160 });
    const many: RunReport = { ...report, survivors: [pack(1, 4, 160), pack(2, 3, 90), ...Array.from({ length: 23 }, (_, k) => pack(k + 3, 4, 160))] };
    const lines = detailLines(many);
    const from = lines.indexOf('survivors per pack:');
    expect(lines.slice(from + 1, from + 4)).toEqual([
      '  pack       species  side  alive  hp left',
      '  wolves #2  wolf     wild  3/4    90/160 (56 %)',
      '  24 other packs untouched (every member alive at full hp)',
    ]);
    const few = detailLines({ ...report, survivors: [pack(1, 4, 160)] });
    expect(few).toContain('  wolves #1  wolf     wild  4/4    160/160 (100 %)');
  });

  it('samples living actors and damage per side over the ticks for the charts', async () => {
    const { report } = await run();
    const s = report.series;
    expect(s.ticks[0]).toBe(1);
    expect(s.ticks.at(-1)).toBe(report.ticks);
    expect(s.alive.players?.[0]).toBe(1);
    expect(s.alive.players?.at(-1)).toBe(0);
    expect(s.alive.wild?.[0]).toBe(4);
    expect(s.alive.wild?.at(-1)).toBe(report.survivors[0]!.alive);
    expect(s.damage.wild?.at(-1)).toBeCloseTo(report.damage.byFaction.wild ?? 0, 0);
    const charts = scenarioCharts(report);
    expect(charts.map((c) => c.title)).toEqual(['Living actors per side', 'Damage dealt per side (so far)', 'Deaths per side (so far)']);
    const deaths = charts[2]!.lines.find((l) => l.label === 'players');
    expect(deaths?.values.at(-1)).toBe(1);
  });

  it('is rebuilt identically by a replay of the recorded run', async () => {
    const scenario = parseScenario(AMBUSH);
    const first = await runScenario(scenario, { ticks: 600, minds: headlessMinds(undefined, new LlmGateway({ providers: {} })) });
    const again = await runScenario(scenario, { ticks: 0, replay: JSON.parse(JSON.stringify(first.log)) as NonNullable<typeof first.log> });
    expect(again.report.replay?.matches).toBe(true);
    expect(again.report.timeline).toEqual(first.report.timeline);
    expect(again.report.survivors).toEqual(first.report.survivors);
    expect(again.report.players).toEqual(first.report.players);
  });

  it('writes an HTML report from the CLI with the timeline, survivors, players and charts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lairmind-report-'));
    const html = join(dir, 'wolf.html');
    const r = await cli('scenario', 'run', 'scenarios/wolf-ambush.yaml', '--ticks', '300', '--minds', 'none', '--html', html, '--report', join(dir, 'wolf.json'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/timeline \(tick, what\):\n {4}\d+ {2}plan {5}wolves: /);
    expect(r.out).toContain("trigger 'ambush' fired");
    expect(r.out).toContain(`wrote ${html}`);
    const report = JSON.parse(readFileSync(join(dir, 'wolf.json'), 'utf8')) as RunReport;
    const page = readFileSync(html, 'utf8');
    expect(page).toBe(renderScenarioHtml(report));
    expect(page).not.toMatch(/<script[^>]+src=/);
    expect(page).toContain('var uPlot');
    for (const d of report.timeline.filter((e) => e.kind === 'death')) expect(page).toContain(`<tr class="death"><td>${d.tick}</td><td>death</td><td>${d.victim} (wolves) killed by traveller (player)`);
    expect(page).toContain('<table id="survivors">');
    expect(page).toContain('<td>traveller (player)</td><td>alive</td>');
    expect((page.match(/<circle class="mark /g) ?? []).length).toBe(report.timeline.length - 1);
    const charts = JSON.parse(/const charts = (\[.*\]);\n/.exec(page)?.[1] ?? '[]') as { title: string; data: number[][] }[];
    expect(charts.map((c) => c.title)).toEqual(['Living actors per side (actors)', 'Damage dealt per side (so far) (hp)', 'Deaths per side (so far) (deaths)']);
    expect(charts[0]!.data[0]).toEqual(report.series.ticks);
  });
});
