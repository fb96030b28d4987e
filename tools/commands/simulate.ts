import type { Command } from 'commander';
import { defaultRegistry, packSpawns, Simulation } from '../../actors/index.ts';
import { createWorldGen } from '../../procgen/index.ts';
import { DEFAULT_SEED } from '../../shared/index.ts';

/** Options of `lairmind simulate`. */
interface ServeOptions {
  seed: string;
  size: string;
  tickRate: string;
  seconds?: string;
}

function positiveInt(name: string, raw: string, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}, got '${raw}'`);
  return n;
}

/**
 * `lairmind simulate`: runs a world headless (no network) at a fixed tick rate and prints one status line per
 * second. Settings come from flags, which default to the environment (SEED, WORLD_SIZE, TICK_RATE).
 */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('run a procedurally generated world headless and print a status line each second')
    .option('--seed <seed>', 'world seed', process.env.SEED ?? DEFAULT_SEED)
    .option('--size <tiles>', 'side of the square region (centred on 0, 0) whose monsters are spawned', process.env.WORLD_SIZE ?? '512')
    .option('--tick-rate <hz>', 'simulation steps per second', process.env.TICK_RATE ?? '20')
    .option('--seconds <n>', 'stop after this many seconds (default: run until interrupted)')
    .action(async (o: ServeOptions) => {
      const size = positiveInt('size', o.size, 8192);
      const hz = positiveInt('tick-rate', o.tickRate, 240);
      const seconds = o.seconds === undefined ? Infinity : positiveInt('seconds', o.seconds, 1e9);
      const world = createWorldGen({ seed: o.seed });
      const half = Math.floor(size / 2);
      const spawns = packSpawns(world.spawnsInRegion(-half, -half, size, size));
      const sim = new Simulation({ seed: o.seed, registry: defaultRegistry(), terrain: world, dt: 1 / hz, record: false });
      for (const input of spawns) sim.input(input);
      console.log(`lairmind: headless world seed=${o.seed} region=${size}×${size} monsters=${spawns.length} tick=${hz} Hz (Ctrl-C to stop)`);
      await runLoop(sim, hz, seconds);
    });
}

async function runLoop(sim: Simulation, hz: number, seconds: number): Promise<void> {
  const started = performance.now();
  let last = started;
  let stepTimes: number[] = [];
  let nextReport = started + 1000;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      clearInterval(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    const timer = setInterval(() => {
      const now = performance.now();
      const t0 = performance.now();
      const n = sim.advance((now - last) / 1000);
      if (n > 0) stepTimes.push((performance.now() - t0) / n);
      last = now;
      if (now >= nextReport) {
        const w = sim.world;
        stepTimes.sort((a, b) => a - b);
        const p99 = stepTimes[Math.min(stepTimes.length - 1, Math.floor(stepTimes.length * 0.99))] ?? 0;
        let alive = 0;
        for (const a of w.actors.values()) if (a.body?.alive) alive++;
        console.log(`tick=${w.tick} actors=${w.actors.size} alive=${alive} deaths=${w.stats.deaths} step_p99_ms=${p99.toFixed(2)} msgs=${w.stats.delivered}`);
        stepTimes = [];
        nextReport += 1000;
      }
      if ((now - started) / 1000 >= seconds) stop();
    }, 1000 / hz);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
