import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Bench = (opts: { smoke: boolean }) => Promise<Record<string, unknown>>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  actors: async () => (await import('./actors.ts')).runActorsBench,
  procgen: async () => (await import('./procgen.ts')).runProcgenBench,
  net: async () => (await import('./net.ts')).runNetBench,
  llm: async () => (await import('./llm.ts')).runLlmBench,
  minds: async () => (await import('./minds.ts')).runMindsBench,
  battles: async () => (await import('./battles.ts')).runBattlesBench,
  capacity: async () => (await import('./capacity.ts')).runCapacityBench,
  zones: async () => (await import('./zones.ts')).runZonesBench,
  snapshot: async () => (await import('./snapshot.ts')).runSnapshotBench,
};

/** `npm run bench [name…] [--smoke]`: runs benchmarks, prints tables, writes bench/results/<name>.json. */
async function main(argv: string[]): Promise<void> {
  const smoke = argv.includes('--smoke');
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  for (const name of names.length ? names : Object.keys(BENCHES)) {
    console.log(`\n== bench: ${name}${smoke ? ' (smoke)' : ''} ==`);
    const run = await (BENCHES[name] as () => Promise<Bench>)();
    const metrics = await run({ smoke });
    writeFileSync(join(dir, `${name}${smoke ? '.smoke' : ''}.json`), `${JSON.stringify(metrics, null, 2)}\n`);
  }
}

await main(process.argv.slice(2));
