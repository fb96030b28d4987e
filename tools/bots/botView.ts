import { Callbacks } from '@colyseus/sdk';
import type { Room } from '@colyseus/sdk';

/** An entity as the bot decoded it: the schema instance itself, updated in place by the SDK's decoder. */
export interface SeenEntity {
  readonly id: number;
  /** `monster`, `player`, `npc`. */
  readonly kind: string;
  readonly name: string;
  /** Position in world units. */
  readonly x: number;
  readonly y: number;
  readonly hp: number;
  readonly anim: string;
}

/** A line of speech the bot saw (NPC replies, barks, what players said). */
export interface SeenSpeech {
  readonly seq: number;
  readonly actor: number;
  readonly kind: string;
  readonly text: string;
}

/** How many speech lines a view keeps. */
const SPEECH_KEPT = 64;

type CallbackHost = {
  onAdd(path: string, fn: (value: unknown, key: string) => void): () => void;
  onRemove(path: string, fn: (value: unknown, key: string) => void): () => void;
};

/**
 * What a bot knows of the world: exactly what a game client decodes from the room's state (its StateView's
 * entities, the players list, the speech log), kept current by the SDK's state callbacks.
 */
export class BotView {
  /** Entities in view, by actor id. */
  readonly entities = new Map<number, SeenEntity>();
  /** The most recent speech lines, oldest first. */
  readonly speech: SeenSpeech[] = [];

  constructor(private readonly room: Room) {
    const cb = (Callbacks.get as (r: unknown) => unknown)(room) as CallbackHost;
    cb.onAdd('entities', (e, key) => this.entities.set(Number(key), e as SeenEntity));
    cb.onRemove('entities', (_e, key) => this.entities.delete(Number(key)));
    cb.onAdd('speech', (s) => {
      const line = s as SeenSpeech;
      this.speech.push({ seq: line.seq, actor: line.actor, kind: line.kind, text: line.text });
      if (this.speech.length > SPEECH_KEPT) this.speech.shift();
    });
  }

  /** The bot's own avatar id (0 until the server has spawned it). */
  selfId(): number {
    const players = (this.room.state as { players?: Map<string, { actor: number }> } | undefined)?.players;
    return players?.get(this.room.sessionId)?.actor ?? 0;
  }

  /** The bot's own avatar as decoded, once visible. */
  self(): SeenEntity | undefined {
    const id = this.selfId();
    return id ? this.entities.get(id) : undefined;
  }

  /** Whether the bot's own avatar is alive as last decoded (false while it is dead or not yet seen). */
  selfAlive(): boolean {
    const me = this.self();
    return me !== undefined && me.hp > 0 && me.anim !== 'dead';
  }

  /** The nearest living entity of `kind` other than the bot itself, within `radius` world units of it. */
  nearest(kind: string, radius = Infinity): SeenEntity | undefined {
    const me = this.self();
    if (!me) return undefined;
    let best: SeenEntity | undefined;
    let bestD = radius * radius;
    for (const e of this.entities.values()) {
      if (e.id === me.id || e.kind !== kind || e.hp <= 0 || e.anim === 'dead') continue;
      const d = (e.x - me.x) ** 2 + (e.y - me.y) ** 2;
      if (d <= bestD) {
        best = e;
        bestD = d;
      }
    }
    return best;
  }
}
