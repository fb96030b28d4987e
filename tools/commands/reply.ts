import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ChatRequestSchema, MindService, PersonaSchema, mindsConfigFromEnv } from '../../minds/index.ts';
import type { ChatReply } from '../../actors/index.ts';
import { ValidationError } from '../../shared/index.ts';

/**
 * A persona file (YAML or JSON): either a persona (`name`, `role`, `knows`, `mood`, optional `voice`,
 * `species`), or `{ persona, playerName?, disposition?, memory? }` to set how this NPC stands towards the player.
 */
const PersonaFileSchema = z.union([
  z.object({
    persona: PersonaSchema,
    playerName: z.string().max(80).optional(),
    disposition: z.number().min(-1).max(1).optional(),
    memory: ChatRequestSchema.shape.memory.optional(),
  }).strict(),
  PersonaSchema.strict(),
]);

/** What a persona file holds, as a chat request without the player's line. */
export function readPersonaFile(path: string): Omit<z.infer<typeof ChatRequestSchema>, 'text'> {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: cannot read persona file: ${(err as Error).message}`, { cause: err });
  }
  const r = PersonaFileSchema.safeParse(raw);
  if (!r.success) {
    // Report against the shape the file seems to use.
    const nested = typeof raw === 'object' && raw !== null && 'persona' in raw;
    const issues = (nested ? z.object({ persona: PersonaSchema }).passthrough() : PersonaSchema.strict()).safeParse(raw);
    const list = issues.success ? r.error.issues : issues.error.issues;
    throw new ValidationError(`persona file ${path}`, list.map((i) => ({ path: i.path, message: i.message })));
  }
  const v = r.data;
  if ('persona' in v) return { player: 1, playerName: v.playerName ?? 'traveller', persona: v.persona, disposition: v.disposition ?? 0, memory: v.memory ?? null };
  return { player: 1, playerName: 'traveller', persona: v, disposition: 0, memory: null };
}

/** Answer one line as the NPC of a persona file. */
export async function replyTo(service: MindService, personaFile: string, text: string, player?: string): Promise<ChatReply> {
  const req = readPersonaFile(personaFile);
  const [reply] = await service.chat.answer([{ ...req, ...(player ? { playerName: player } : {}), text }]);
  return reply as ChatReply;
}

/** `lairmind reply --persona FILE "text"`: prints what that NPC says. */
export function registerReply(program: Command): void {
  program
    .command('reply')
    .description("print an NPC's reply to a chat line (persona from a YAML/JSON file)")
    .requiredOption('--persona <file>', 'persona file: name, role, knows, mood[, voice, species] (or { persona, playerName, disposition, memory })')
    .option('--player <name>', "the player's name")
    .option('--json', 'print {"intent","confidence","reply"} instead of the line')
    .argument('<text...>', "the player's line")
    .action(async (words: string[], o: { persona: string; player?: string; json?: boolean }) => {
      const service = await MindService.create({ config: mindsConfigFromEnv(), logger: (l) => console.error(l) });
      try {
        const r = await replyTo(service, o.persona, words.join(' '), o.player);
        console.log(o.json ? JSON.stringify(r) : r.reply);
      } finally {
        await service.close();
      }
    });
}
