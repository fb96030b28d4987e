import { z } from 'zod';
import { explainIssues, formatIssues } from '../shared/index.ts';

/** Longest chat line a client may send, in characters. */
export const MAX_TALK_LENGTH = 280;

const finite = z.number().finite();
const unit = finite.min(-1).max(1);
const actorId = z.number().int().positive().max(2 ** 32 - 1);

/** What clients may send, one schema per message type. Unknown fields are refused. */
export const ClientMessageSchemas = {
  /** Walk in a direction (components in [-1, 1]; {0, 0} stops) or to a point in world units. */
  move: z
    .object({
      dir: z.object({ x: unit, y: unit }).strict().optional(),
      to: z.object({ x: finite.min(-1e6).max(1e6), y: finite.min(-1e6).max(1e6) }).strict().optional(),
    })
    .strict()
    .refine((m) => (m.dir === undefined) !== (m.to === undefined), { message: 'give exactly one of dir or to' }),
  /** Attack the entity with this id. */
  attack: z.object({ target: actorId }).strict(),
  /** Say something to the NPC with this id. */
  talk: z.object({ to: actorId, text: z.string().min(1).max(MAX_TALK_LENGTH) }).strict(),
  /** Come back after death at the safe point `at` (an id from the `died` message; absent: the default one). */
  respawn: z.object({ at: z.string().min(1).max(64).optional() }).strict(),
  /** Round-trip probe; `t` comes back unchanged. */
  ping: z.object({ t: finite }).strict(),
} as const;

export type ClientMessageType = keyof typeof ClientMessageSchemas;
export type ClientMessage<K extends ClientMessageType> = z.output<(typeof ClientMessageSchemas)[K]>;

export const CLIENT_MESSAGE_TYPES = Object.keys(ClientMessageSchemas) as ClientMessageType[];

/** A message is valid, or the reason it is not, naming the field and the bad value (e.g. `move.dir.x: got 2; expected a number from -1 to 1`). */
export type Checked<K extends ClientMessageType> = { ok: true; value: ClientMessage<K> } | { ok: false; error: string };

/** Validate a client message of a known type. */
export function checkClientMessage<K extends ClientMessageType>(type: K, payload: unknown): Checked<K> {
  const r = ClientMessageSchemas[type].safeParse(payload);
  if (r.success) return { ok: true, value: r.data as ClientMessage<K> };
  const issues = explainIssues(ClientMessageSchemas[type], r.error.issues, payload);
  return { ok: false, error: formatIssues(issues.map((i) => ({ ...i, path: [type, ...i.path] }))) };
}

/** Collapse whitespace and strip control characters from player text; cap its length. */
export function normaliseText(text: string, max = MAX_TALK_LENGTH): string {
  let out = '';
  for (const ch of text.normalize('NFKC')) {
    const code = ch.codePointAt(0) ?? 0;
    out += code < 32 || (code >= 127 && code < 160) ? ' ' : ch;
  }
  return out.replace(/\s+/g, ' ').trim().slice(0, max);
}
