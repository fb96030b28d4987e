import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseScenarioText } from '../../server/index.ts';
import { issueListing } from '../issueListing.ts';
import { adminRequest, adminToken, describeFailure, httpBase } from '../adminClient.ts';

/** `lairmind spawn --url URL --room ID FILE [--at X,Y]`: spawn a scenario file into a live room through the admin API. */
export function registerSpawn(program: Command): void {
  program
    .command('spawn')
    .description('spawn a scenario (YAML or JSON) into a live room through the admin API (token from ADMIN_TOKEN)')
    .argument('<file>', 'scenario file')
    .requiredOption('--url <url>', 'server URL, e.g. http://127.0.0.1:2567')
    .requiredOption('--room <id>', 'room id')
    .option('--at <x,y>', 'origin of the scenario in world units (default: the scenario places itself)')
    .action(async (file: string, o: { url: string; room: string; at?: string }) => {
      const parsed = parseScenarioText(readFileSync(file, 'utf8'), file);
      if (!parsed.ok) throw new Error(issueListing(file, parsed.issues));
      let at: { x: number; y: number } | undefined;
      if (o.at !== undefined) {
        const [x, y] = o.at.split(',').map(Number);
        if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`--at must be X,Y in world units, got '${o.at}'`);
        at = { x: x as number, y: y as number };
      }
      const body = at ? { scenario: parsed.value, at } : parsed.value;
      const r = await adminRequest(httpBase(o.url), adminToken(), 'POST', `/admin/rooms/${encodeURIComponent(o.room)}/spawn`, body);
      if (r.status !== 200) {
        console.error(describeFailure(r));
        process.exitCode = 1;
        return;
      }
      const b = r.body as { spawned: number[]; instance: string; tick: number; message?: string };
      console.log(`${b.message ?? `Spawned ${b.spawned.length} actors`} into room ${o.room} as '${b.instance}' at tick ${b.tick} (ids ${b.spawned.join(', ')})`);
    });
}
