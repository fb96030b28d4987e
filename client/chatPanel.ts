import { $ } from './byId.ts';
import { speakerName } from './speech.ts';
import type { SpeechLine, SpeechStreams } from './speech.ts';

/** Lines kept in the chat log. */
const MAX_LINES = 100;

/** The chat log and the talk hint under the talk box. */
export class ChatPanel {
  private lastSeq = 0;

  constructor(
    private readonly streams: SpeechStreams,
    /** A name for actor `id`, when the page knows one. */
    private readonly nameOf: (id: number) => string | undefined,
    /** The own avatar's actor id. */
    private readonly self: () => number,
  ) {}

  /** The highest line seq shown so far. */
  get seq(): number {
    return this.lastSeq;
  }

  /** Forget the log (a new room). */
  clear(): void {
    this.lastSeq = 0;
    $('chat-log').textContent = '';
  }

  /** Forget the seq only (the room came back in a fresh state; its lines are numbered anew). */
  restart(): void {
    this.lastSeq = 0;
  }

  /** Add lines said since the last call. */
  append(lines: readonly SpeechLine[]): void {
    if (!lines.length) return;
    const log = $('chat-log');
    for (const l of lines) {
      this.lastSeq = Math.max(this.lastSeq, l.seq);
      if (l.kind === 'say') {
        this.streams.said(l.actor);
        log.querySelector(`.line.streaming[data-actor="${l.actor}"]`)?.remove();
      }
      const div = document.createElement('div');
      div.className = `line ${l.kind}${l.actor === this.self() ? ' mine' : ''}`;
      div.dataset.actor = String(l.actor);
      div.dataset.kind = l.kind;
      div.textContent = `${speakerName(l, this.nameOf)}: ${l.text}`;
      log.append(div);
    }
    while (log.childElementCount > MAX_LINES) log.firstElementChild?.remove();
    log.scrollTop = log.scrollHeight;
  }

  /** The chat log's live line for a reply being streamed: filled as it is written, gone when the line is said. */
  streaming(actor: number, text: string, replaced: boolean): void {
    const log = $('chat-log');
    let div = log.querySelector<HTMLElement>(`.line.streaming[data-actor="${actor}"]`);
    if (!div) {
      div = document.createElement('div');
      div.className = 'line say streaming';
      div.dataset.actor = String(actor);
      log.append(div);
    }
    div.dataset.replaced = replaced ? 'yes' : 'no';
    div.textContent = `${this.nameOf(actor) ?? `#${actor}`}: ${text}`;
    log.scrollTop = log.scrollHeight;
  }

  /** The line under the talk box (who the next line goes to). */
  hint(text: string): void {
    const hint = $('talk-hint');
    if (hint.textContent !== text) hint.textContent = text;
  }
}
