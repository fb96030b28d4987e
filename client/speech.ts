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
