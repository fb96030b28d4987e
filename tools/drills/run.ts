// `npm run drills`: fault drills against the real server in its own process (and real Redis), on both
// transports. Prints a table and writes drills-results/drills.json; exits 1 when any drill fails.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_DRILLS } from './drills.ts';
import { mb, startDrillServer, Watcher } from './harness.ts';
import type { Drill, DrillRow, TransportKind } from './drill.ts';

const { values } = parseArgs({
  options: {
    transport: { type: 'string', default: 'uws,ws' },
    only: { type: 'string' },
    out: { type: 'string', default: 'drills-results' },
  },
});

async function runOne(drill: Drill, transport: TransportKind): Promise<DrillRow> {
  if (drill.custom) return drill.custom(transport);
  const t0 = performance.now();
  const server = await startDrillServer({ TRANSPORT: transport, ...drill.env });
  let watcher: Watcher | undefined;
  let rssBefore = 0;
  try {
    watcher = await Watcher.join(server.url);
    rssBefore = await server.rss();
    watcher.reset();
    const outcome = await drill.run({ server, watcher, transport });
    const gap = watcher.worstGap();
    const problems: string[] = [];
    if (!server.alive()) problems.push('the server process died');
    const health = await server.health();
    if (health.status !== 200) problems.push(`/health answered ${health.status || 'nothing'} in ${health.ms.toFixed(0)} ms`);
    if (watcher.leftCode !== null) problems.push(`the watching client was disconnected (code ${watcher.leftCode})`);
    const maxGap = drill.maxGapMs ?? 1000;
    if (gap > maxGap) problems.push(`the watching client went ${gap.toFixed(0)} ms without a patch (bound ${maxGap} ms)`);
    const rssAfter = server.alive() ? await server.rss() : 0;
    return { drill: drill.name, transport, ok: problems.length === 0, outcome: problems.length ? `${problems.join('; ')} (${outcome})` : outcome, worstPatchGapMs: Math.round(gap), rssBeforeMb: mb(rssBefore), rssAfterMb: mb(rssAfter), seconds: (performance.now() - t0) / 1000 };
  } catch (err) {
    const alive = server.alive();
    return {
      drill: drill.name, transport, ok: false,
      outcome: `${err instanceof Error ? err.message : String(err)}${alive ? '' : ' (the server process died)'}`,
      worstPatchGapMs: Math.round(watcher?.worstGap() ?? 0), rssBeforeMb: mb(rssBefore), rssAfterMb: alive ? mb(await server.rss().catch(() => 0)) : 0, seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await watcher?.leave();
    await server.stop();
  }
}

/** Whether uWebSockets.js has a native binary for this Node (without it the server falls back to ws). */
async function uwsAvailable(): Promise<boolean> {
  try {
    const uws = (await import('uWebSockets.js')) as unknown as { default?: { App?: unknown }; App?: unknown };
    const app = uws.App ?? uws.default?.App;
    return typeof app === 'function' && String(app).includes('[native code]'); // the mirror's JS fallback is not uWS
  } catch {
    return false;
  }
}

function table(rows: readonly DrillRow[]): string {
  const head = ['drill', 'transport', 'result', 'worst patch gap ms', 'RSS before MB', 'RSS after MB', 's', 'outcome'];
  const body = rows.map((r) => [r.drill, r.transport, r.ok ? 'pass' : 'FAIL', String(r.worstPatchGapMs), String(r.rssBeforeMb), String(r.rssAfterMb), r.seconds.toFixed(1), r.outcome]);
  const widths = head.map((h, i) => Math.min(i === head.length - 1 ? 200 : 40, Math.max(h.length, ...body.map((b) => (b[i] as string).length))));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const wanted = (values.transport ?? 'uws,ws').split(',').map((t) => t.trim()).filter((t): t is TransportKind => t === 'uws' || t === 'ws');
const transports: TransportKind[] = [];
for (const t of wanted) {
  if (t === 'uws' && !(await uwsAvailable())) {
    console.log(`drills: uWebSockets.js has no native binary on Node ${process.version}; the server runs ws there, so the uws pass is covered by the ws pass`);
    continue;
  }
  transports.push(t);
}
const drills = ALL_DRILLS.filter((d) => !values.only || values.only.split(',').includes(d.name));
if (drills.length === 0) {
  console.error(`drills: no drill named ${values.only}; drills: ${ALL_DRILLS.map((d) => d.name).join(', ')}`);
  process.exit(2);
}
console.log(`drills: ${drills.length} drills × ${transports.join(', ')} on Node ${process.version}`);
const rows: DrillRow[] = [];
for (const transport of transports) {
  for (const drill of drills) {
    const row = await runOne(drill, transport);
    rows.push(row);
    console.log(`${row.ok ? 'pass' : 'FAIL'}  ${row.drill} (${row.transport}, ${row.seconds.toFixed(1)} s): ${row.outcome}`);
  }
}
console.log('');
console.log(table(rows));
mkdirSync(values.out as string, { recursive: true });
writeFileSync(join(values.out as string, `drills-node${process.versions.node.split('.')[0]}.json`), JSON.stringify({ node: process.version, rows }, null, 2));
const failed = rows.filter((r) => !r.ok);
console.log(`\ndrills: ${rows.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
