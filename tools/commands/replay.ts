import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { inspectActor, replayRecording } from '../../rooms/index.ts';
import type { Recording } from '../../rooms/index.ts';

/** Counts of a world's actors by kind and, for bodies, alive or dead. */
function census(actors: Iterable<{ kind: string; body: { alive: boolean } | null }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of actors) {
    const key = a.body ? `${a.kind}${a.body.alive ? '' : ' (dead)'}` : a.kind;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/**
 * `lairmind replay FILE [--until TICK] [--actor ID]`: replay a live room's recording (from the admin API's
 * `GET /admin/rooms/:id/recording`) headless, from its snapshot through every recorded input and mind reply, and
 * check that it ends in the state the room was in. Everything (seed, options, scenario, ticks) comes from the file.
 */
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description("replay a live room's recording (GET /admin/rooms/:id/recording) headless and check it ends in the recorded state hash")
    .argument('<file>', 'recording file (JSON)')
    .option('--until <tick>', 'stop at this tick and print the state there (no hash to compare)')
    .option('--actor <id>', 'also print this actor as the inspector shows it, where the replay stopped')
    .action((file: string, o: { until?: string; actor?: string }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      } catch (err) {
        throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if ((raw as { format?: unknown })?.format === 'lairmind-event-log') {
        throw new Error(`${file} is a headless scenario run's event log, not a room recording: replay it with \`lairmind scenario replay ${file}\``);
      }
      if (o.until !== undefined && !/^\d+$/.test(o.until)) throw new Error(`--until must be a tick number, got '${o.until}'`);
      if (o.actor !== undefined && !/^\d+$/.test(o.actor)) throw new Error(`--actor must be an actor id, got '${o.actor}'`);
      const t0 = performance.now();
      const r = replayRecording(raw as Recording, o.until !== undefined ? { until: Number(o.until) } : {});
      const world = r.sim.world;
      console.log(`room ${r.meta.roomId}${r.meta.scenario ? ` (scenario ${r.meta.scenario.name})` : ''}, seed ${String(r.meta.options.seed)}`);
      console.log(`replayed ticks ${r.baseTick}..${world.tick} in ${Math.round(performance.now() - t0)} ms`);
      console.log(`actors: ${JSON.stringify(census(world.actors.values()))}`);
      console.log(`state hash: ${r.sim.hash()}`);
      if (r.matches === null) console.log(`stopped at tick ${world.tick} (--until): not compared with the recorded hash, which is for tick ${(raw as Recording).ticks}`);
      else if (r.matches) console.log('replay: matches the recorded room');
      else {
        console.log(`replay: DIFFERS from the recorded room (expected ${r.expectedHash})`);
        process.exitCode = 1;
      }
      if (o.actor !== undefined) {
        const seen = inspectActor(world, Number(o.actor), [], {});
        if (!seen) throw new Error(`--actor ${o.actor}: no such actor at tick ${world.tick}`);
        console.log(JSON.stringify(seen, null, 2));
      }
    });
}
