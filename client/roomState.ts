import type { EntityView } from './mirror.ts';
import type { SpeechCollection } from './speech.ts';
import type { TileEdit } from './terrainLayer.ts';

/** The room state as the client reads it (the SDK's decoded schema; only the parts the page uses). */
export interface RoomState {
  readonly meta?: { readonly seed: string; readonly params: string; readonly tick: number; readonly tickRate: number; readonly viewRadius: number };
  readonly entities?: { forEach(cb: (e: EntityView, key: string) => void): void };
  /** This client's own entry, and those of the players whose avatars are in view. */
  readonly players?: { get(key: string): { readonly actor: number; readonly name: string } | undefined; forEach?(cb: (p: { readonly actor: number; readonly name: string }, key: string) => void): void };
  /** The lines said by someone in view as they were said, keyed by seq. */
  readonly speech?: SpeechCollection;
  readonly tileEdits?: Iterable<TileEdit>;
}
