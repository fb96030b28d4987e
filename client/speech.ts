/** A speech line as the room state carries it. */
export interface SpeechLine {
  /** Increasing id. */
  readonly seq: number;
  readonly actor: number;
  /** The speaker's name when it spoke ('' or absent when it had none). */
  readonly name?: string;
  /** `say`, `bark`, `battleCry`. */
  readonly kind: string;
  readonly text: string;
  /** Simulation tick it was said at. */
  readonly tick: number;
}

/**
 * The bubble to show over each actor: its latest line said within the last `seconds` of simulation time.
 * `nowTick` is the room's current tick, `tickRate` its steps per second.
 */
export function activeBubbles(lines: Iterable<SpeechLine>, nowTick: number, tickRate: number, seconds = 5): Map<number, SpeechLine> {
  const oldest = nowTick - seconds * tickRate;
  const out = new Map<number, SpeechLine>();
  for (const l of lines) {
    if (l.tick < oldest || l.tick > nowTick + tickRate) continue;
    const prev = out.get(l.actor);
    if (!prev || l.seq > prev.seq) out.set(l.actor, l);
  }
  return out;
}

/** The state's `speech` collection: a map keyed by seq (a MapSchema on the client), or a list. */
export type SpeechCollection = { values(): Iterable<SpeechLine> } | Iterable<SpeechLine>;

/** Copies of the lines in the state's `speech` collection, oldest first (none for a missing collection). */
export function speechLines(collection: SpeechCollection | undefined | null): SpeechLine[] {
  if (!collection) return [];
  const items = typeof (collection as { values?: unknown }).values === 'function' && !Array.isArray(collection)
    ? (collection as { values(): Iterable<SpeechLine> }).values()
    : (collection as Iterable<SpeechLine>);
  const out: SpeechLine[] = [];
  for (const l of items) out.push({ seq: l.seq, actor: l.actor, name: l.name ?? '', kind: l.kind, text: l.text, tick: l.tick });
  return out.sort((a, b) => a.seq - b.seq);
}

/**
 * Who said `line`, for the chat log: the name the line carries, else the name of the entity (`nameOf`), else
 * `#<actor id>`.
 */
export function speakerName(line: SpeechLine, nameOf: (actor: number) => string | undefined): string {
  return line.name || nameOf(line.actor) || `#${line.actor}`;
}

/** Lines newer than `afterSeq`, oldest first (for the chat log). */
export function newLines(lines: Iterable<SpeechLine>, afterSeq: number): SpeechLine[] {
  return [...lines].filter((l) => l.seq > afterSeq).sort((a, b) => a.seq - b.seq);
}

/** Split `text` into lines of at most `width` characters at spaces (long words are cut), at most `maxLines`. */
export function wrapText(text: string, width: number, maxLines = 4): string[] {
  const out: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > width) {
      if (line) {
        out.push(line);
        line = '';
      }
      out.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ' ' + word;
    else {
      out.push(line);
      line = word;
    }
  }
  if (line) out.push(line);
  if (out.length > maxLines) {
    const kept = out.slice(0, maxLines);
    kept[maxLines - 1] = (kept[maxLines - 1] as string).slice(0, Math.max(0, width - 1)) + '…';
    return kept;
  }
  return out;
}

/** A `speech` message: a line being written, as the server streams it. */
export interface SpeechChunkMessage {
  readonly actor: number;
  /** Which line (a new id starts a new line). */
  readonly id: number;
  /** The line so far. */
  readonly text: string;
  readonly done: boolean;
  readonly replaced?: boolean;
}

/** A line being streamed, as a client holds it. */
export interface StreamingLine {
  readonly actor: number;
  readonly id: number;
  readonly text: string;
  readonly done: boolean;
  readonly replaced: boolean;
  /** Client time (ms) of the last chunk. */
  readonly at: number;
}

/** Parse a `speech` message; null when it is not one. */
export function speechChunkOf(body: unknown): SpeechChunkMessage | null {
  const b = body as Partial<SpeechChunkMessage> | null;
  if (!b || typeof b !== 'object' || typeof b.actor !== 'number' || typeof b.id !== 'number' || typeof b.text !== 'string' || typeof b.done !== 'boolean') return null;
  return { actor: b.actor, id: b.id, text: b.text.slice(0, 400), done: b.done, ...(b.replaced === true && { replaced: true }) };
}

/**
 * The lines being streamed, one per speaker: each chunk replaces the text shown (chunks carry the text so far),
 * a new id starts a new line, a line ends when its speaker's finished line arrives in the state or after `ttlMs`
 * without a chunk.
 */
export class SpeechStreams {
  private readonly lines = new Map<number, StreamingLine>();

  constructor(private readonly ttlMs = 8_000) {}

  /** Take a chunk; returns the line as it now stands (undefined for a stale chunk of an older line). */
  take(c: SpeechChunkMessage, now: number): StreamingLine | undefined {
    const old = this.lines.get(c.actor);
    if (old && old.id > c.id) return undefined;
    const line: StreamingLine = { actor: c.actor, id: c.id, text: c.text, done: c.done, replaced: c.replaced === true || (old?.id === c.id && old.replaced), at: now };
    this.lines.set(c.actor, line);
    return line;
  }

  /** The speaker's finished line reached the state: its streamed one is over. */
  said(actor: number): void {
    this.lines.delete(actor);
  }

  /** The lines to show now (stale ones dropped). */
  current(now: number): StreamingLine[] {
    for (const [k, l] of this.lines) if (now - l.at > this.ttlMs) this.lines.delete(k);
    return [...this.lines.values()];
  }
}

/** Bubbles with streamed lines over their speakers' older lines (a streamed line is the newest thing said). */
export function withStreams(bubbles: Map<number, SpeechLine>, streams: readonly StreamingLine[], nowTick: number): Map<number, SpeechLine> {
  for (const s of streams) {
    const prev = bubbles.get(s.actor);
    bubbles.set(s.actor, { seq: (prev?.seq ?? 0) + 0.5, actor: s.actor, kind: 'say', text: s.done ? s.text : `${s.text}…`, tick: nowTick, ...(prev?.name !== undefined && { name: prev.name }) });
  }
  return bubbles;
}
