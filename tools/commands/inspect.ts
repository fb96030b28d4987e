import type { Command } from 'commander';
import type { ActorInspection } from '../../rooms/index.ts';
import { adminRequest, adminToken, describeFailure, httpBase } from '../adminClient.ts';
import { inspectionText } from '../inspectionText.ts';

/** `lairmind inspect --url URL --room ID --actor ID`: an actor's state, mailbox, order and plan, decisions, memory, failures. */
export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('inspect an actor of a live room through the admin API (token from ADMIN_TOKEN): its sections as text, or JSON with --json')
    .requiredOption('--url <url>', 'server URL, e.g. http://127.0.0.1:2567')
    .requiredOption('--room <id>', 'room id')
    .requiredOption('--actor <id>', 'actor id')
    .option('--json', 'print the whole answer as JSON (raw fields and sections)')
    .action(async (o: { url: string; room: string; actor: string; json?: boolean }) => {
      if (!/^\d+$/.test(o.actor)) throw new Error(`--actor must be a positive integer, got '${o.actor}'`);
      const r = await adminRequest(httpBase(o.url), adminToken(), 'GET', `/admin/rooms/${encodeURIComponent(o.room)}/actors/${o.actor}`);
      if (r.status !== 200) {
        console.error(describeFailure(r));
        process.exitCode = 1;
        return;
      }
      console.log(o.json ? JSON.stringify(r.body, null, 2) : inspectionText((r.body as { actor: ActorInspection }).actor.sections));
    });
}
