import type { ActorContext } from '../behaviour.ts';
import type { Effect } from '../effects.ts';
import type { ActorId } from '../ids.ts';
import { INTENTS, MIND_PORTS } from '../ports.ts';
import type { ChatReply, ChatRequest, DispositionChange, Intent, MemoryLine, Persona, PlayerMemory } from '../ports.ts';

/** Lines kept per player before the older half is folded into the summary. */
export const MEMORY_LINES = 12;
/** Players remembered per actor (the one met longest ago is forgotten first). */
export const MEMORY_PLAYERS = 8;
/** Disposition changes kept per player. */
export const MEMORY_CHANGES = 6;
/** Places and things kept per player. */
export const MEMORY_TOPICS = 8;
/** Longest remembered line and summary, in characters. */
const LINE_CHARS = 160;
const SUMMARY_CHARS = 400;

/** How each intent shifts a disposition toward the player who meant it. */
export const DISPOSITION_SHIFT: Readonly<Record<Intent, number>> = {
  greet: 0.05, flatter: 0.15, trade: 0.05, askForHelp: 0.02, askDirections: 0.02, askAboutSelf: 0.03,
  farewell: 0, threaten: -0.2, insult: -0.25, unknown: 0,
};

/** What the player did, in the NPC's words (for disposition reasons and summaries). */
const DEEDS: Readonly<Record<Intent, readonly [one: string, many: string]>> = {
  greet: ['greeted me', 'greeted me'],
  threaten: ['threatened me', 'threatened me'],
  askDirections: ['asked me the way', 'asked me the way'],
  askAboutSelf: ['asked about me', 'asked about me'],
  trade: ['wanted to trade', 'wanted to trade'],
  flatter: ['flattered me', 'flattered me'],
  insult: ['insulted me', 'insulted me'],
  farewell: ['said goodbye', 'said goodbye'],
  askForHelp: ['asked for my help', 'asked for my help'],
  unknown: ['said something I did not follow', 'said things I did not follow'],
};

const TIMES = ['never', 'once', 'twice'];
const times = (n: number): string => TIMES[n] ?? `${n === 3 ? 'three' : n === 4 ? 'four' : 'many'} times`;

/** The name to call a player by: the one they gave, else the one they came with. */
export const nameOf = (m: PlayerMemory | undefined, fallback: string): string => m?.givenName ?? m?.name ?? fallback;

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

/** One exchange to remember: who said what, what it meant, what the NPC answered. */
export interface Exchange {
  /** The player's display name (used until they give one). */
  readonly name: string;
  readonly intent: Intent;
  /** What the player said (normalised). */
  readonly heard: string;
  /** What the NPC answered. */
  readonly answered: string;
  /** The name the player gave in this line, if any. */
  readonly givenName?: string;
  /** Places and things the line named. */
  readonly topics?: readonly string[];
  readonly time: number;
}

/**
 * A summary of what older lines came to, in plain words: how often the player meant each kind of thing, and what
 * they spoke of. Deterministic and local: it needs no model, so it works in every room and in replays.
 */
export function summarize(m: Pick<PlayerMemory, 'givenName' | 'exchanges' | 'intents' | 'topics'>): string {
  const parts: string[] = [];
  const counts = Object.entries(m.intents).filter(([k, n]) => k !== 'unknown' && (n ?? 0) > 0).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  for (const [k, n] of counts.slice(0, 4)) parts.push(`${(DEEDS[k as Intent] ?? DEEDS.unknown)[n === 1 ? 0 : 1]} ${times(n ?? 0)}`);
  const who = m.givenName ?? 'They';
  let s = `We have spoken ${times(m.exchanges)}.`;
  if (parts.length) s += ` ${who} ${parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) as string}` : parts[0]}.`;
  if (m.topics.length) s += ` We spoke of ${m.topics.slice(-4).map((t) => `the ${t}`).join(', ')}.`;
  return clip(s, SUMMARY_CHARS);
}

/**
 * Memory after an exchange: both lines appended; when the lines overflow, the older half is folded into the
 * summary; the disposition shifts by what the player meant, with the reason kept; the name is kept once given;
 * past {@link MEMORY_PLAYERS} players, the one met longest ago is forgotten.
 */
export function remember(memory: Readonly<Record<string, PlayerMemory>>, player: ActorId, x: Exchange): Readonly<Record<string, PlayerMemory>> {
  const key = String(player);
  const old = memory[key];
  const heard = clip(x.heard, LINE_CHARS);
  const said: MemoryLine[] = [];
  if (heard) said.push({ who: 'player', text: heard, intent: x.intent, at: x.time });
  if (x.answered) said.push({ who: 'self', text: clip(x.answered, LINE_CHARS), at: x.time });
  let lines = [...(old?.lines ?? []), ...said];
  const intents = { ...(old?.intents ?? {}), [x.intent]: ((old?.intents ?? {})[x.intent] ?? 0) + 1 };
  const topics = [...(old?.topics ?? []).filter((t) => !x.topics?.includes(t)), ...(x.topics ?? [])].slice(-MEMORY_TOPICS);
  const givenName = x.givenName ?? old?.givenName;
  const exchanges = (old?.exchanges ?? 0) + 1;
  let summary = old?.summary ?? '';
  if (lines.length > MEMORY_LINES) {
    lines = lines.slice(lines.length - MEMORY_LINES / 2);
    summary = summarize({ ...(givenName !== undefined && { givenName }), exchanges, intents, topics });
  }
  const before = old?.disposition ?? 0;
  const disposition = Math.max(-1, Math.min(1, before + (DISPOSITION_SHIFT[x.intent] ?? 0)));
  let changes = old?.changes ?? [];
  if (disposition !== before) {
    const change: DispositionChange = { at: x.time, by: Math.round((disposition - before) * 1000) / 1000, why: heard ? `${DEEDS[x.intent][0]}: "${clip(heard, 60)}"` : DEEDS[x.intent][0] };
    changes = [...changes, change].slice(-MEMORY_CHANGES);
  }
  const entry: PlayerMemory = {
    name: old?.name ?? x.name, ...(givenName !== undefined && { givenName }), disposition, exchanges, intents, topics, lines, summary, changes, at: x.time,
  };
  const next: Record<string, PlayerMemory> = { ...memory, [key]: entry };
  const keys = Object.keys(next);
  if (keys.length > MEMORY_PLAYERS) {
    keys.sort((a, b) => (next[a] as PlayerMemory).at - (next[b] as PlayerMemory).at);
    delete next[keys[0] as string];
  }
  return next;
}

const COMPASS = ['east', 'south-east', 'south', 'south-west', 'west', 'north-west', 'north', 'north-east'] as const;

/** A direction in words (y grows southward, as on the map). */
export function directionWords(dx: number, dy: number): string {
  const a = Math.atan2(dy, dx);
  const i = ((Math.round(a / (Math.PI / 4)) % 8) + 8) % 8;
  return COMPASS[i] as string;
}

/** A distance in words. */
export function distanceWords(d: number): string {
  return d < 3 ? 'right here' : d < 8 ? 'close by' : d < 20 ? 'a short walk' : d < 60 ? 'a fair walk' : 'a long way';
}

/** Where (x, y) lies from the actor, in words: "a short walk to the north-east". */
export function whereWords(ctx: ActorContext<unknown>, x: number, y: number): string {
  const me = ctx.body;
  if (!me) return 'somewhere near';
  const dx = x - me.x, dy = y - me.y;
  const d = Math.sqrt(dx * dx + dy * dy);
  return d < 3 ? 'right here' : `${distanceWords(d)} to the ${directionWords(dx, dy)}`;
}

/** Most things described in a chat request's `sees`. */
const SEES_MAX = 6;

/**
 * What the actor can see within `radius`, in words, nearest first and without ids or coordinates: "Ada (the one
 * talking to me), right here", "a wolf, a short walk to the north".
 */
export function seenAround(ctx: ActorContext<unknown>, radius: number, talker: ActorId): string[] {
  const me = ctx.body;
  if (!me) return [];
  const near = ctx.within(me.x, me.y, radius).filter((b) => b.id !== ctx.self && b.alive);
  near.sort((a, b) => ((a.x - me.x) ** 2 + (a.y - me.y) ** 2) - ((b.x - me.x) ** 2 + (b.y - me.y) ** 2) || a.id - b.id);
  return near.slice(0, SEES_MAX).map((b) => {
    const tags = ctx.tagsOf(b.id);
    const name = typeof tags.name === 'string' && tags.name ? tags.name : `a ${String(tags.species ?? tags.label ?? 'stranger')}`;
    return `${b.id === talker ? `${name} (talking to me)` : name}, ${whereWords(ctx, b.x, b.y)}`;
  });
}

/** The payer of a player's cloud replies: their `account` and `tier` tags, when the room set both. */
export function payerOf(ctx: ActorContext<unknown>, player: ActorId): { account: string; tier: string } | undefined {
  const { account, tier } = ctx.tagsOf(player);
  return typeof account === 'string' && typeof tier === 'string' && account && tier ? { account, tier } : undefined;
}

/** Seconds of an asker's timeout kept back from a chat reply's own deadline (the reply must arrive in time). */
const REPLY_MARGIN = 0.5;

/** The layer-3 dialogue request for a player's line: persona, memory of this player, what it sees, who would pay. */
export function askChat(ctx: ActorContext<unknown>, persona: Persona, memory: Readonly<Record<string, PlayerMemory>>, from: ActorId, name: string, text: string, timeout: number): Effect {
  const m = memory[String(from)];
  const payer = payerOf(ctx, from);
  const payload: ChatRequest = {
    player: from,
    playerName: nameOf(m, name),
    text,
    persona,
    disposition: m?.disposition ?? 0,
    memory: m ?? null,
    sees: seenAround(ctx, SEES_RADIUS, from),
    ...(payer && { payer }),
    deadlineMs: Math.max(250, Math.round((timeout - REPLY_MARGIN) * 1000)),
  };
  return { type: 'ask', port: MIND_PORTS.chat, payload, timeout };
}

/** How far an actor looks when it describes what it sees to its chat mind. */
const SEES_RADIUS = 12;

/** A chat reply's parts the actor keeps, or null when the value is not a usable reply. */
export function chatReplyOf(value: unknown): { reply: string; intent: Intent; heard: string; givenName?: string; topics: string[] } | null {
  const v = value as Partial<ChatReply> | null;
  if (!v || typeof v !== 'object' || typeof v.reply !== 'string' || !v.reply) return null;
  const intent = (typeof v.intent === 'string' && (INTENTS as readonly string[]).includes(v.intent) ? v.intent : 'unknown') as Intent;
  const topics = Array.isArray(v.topics) ? v.topics.filter((t): t is string => typeof t === 'string' && t.length > 0 && t.length <= 40).slice(0, 4) : [];
  const givenName = typeof v.givenName === 'string' && v.givenName.length > 0 && v.givenName.length <= 40 ? v.givenName : undefined;
  return { reply: v.reply.slice(0, 280), intent, heard: typeof v.heard === 'string' ? v.heard.slice(0, 280) : '', ...(givenName && { givenName }), topics };
}

/** A player's display name, from its avatar's `name` tag ('stranger' when it has none). */
export function displayName(ctx: ActorContext<unknown>, player: ActorId): string {
  const n = ctx.tagsOf(player).name;
  return typeof n === 'string' && n ? n : 'stranger';
}
