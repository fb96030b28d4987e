// What each client of a room state would receive, without a network: Colyseus' own SchemaSerializer encodes the
// state (shared pass plus one pass per StateView, as a room's patch does) and a Decoder per client decodes it.
import { ClientState, SchemaSerializer } from '@colyseus/core';
import { Decoder } from '@colyseus/schema';
import type { StateView } from '@colyseus/schema';
import { WorldState } from '../../rooms/index.ts';

/** A client's decoded copy of the room state. */
export interface WireClient {
  readonly state: WorldState;
  /** Decoding errors (a correct encoder produces none). */
  readonly errors: string[];
  /** Bytes received so far. */
  bytes: number;
}

interface FakeClient {
  state: number;
  view: StateView;
  raw(bytes: Uint8Array): void;
}

export class Wire {
  private readonly serializer = new SchemaSerializer<WorldState>();
  private readonly clients: FakeClient[] = [];

  constructor(private readonly state: WorldState) {
    this.serializer.reset(state);
  }

  /** A client joins with `view`: it receives the full state as that view sees it. */
  join(view: StateView): WireClient {
    const decoder = new Decoder(new WorldState());
    const out: WireClient = { state: decoder.state as WorldState, errors: [], bytes: 0 };
    const client: FakeClient = {
      state: ClientState.JOINED,
      view,
      raw(bytes: Uint8Array) {
        out.bytes += bytes.length;
        try {
          decoder.decode(bytes, { offset: 1 }); // byte 0 is the protocol code
        } catch (err) {
          out.errors.push(err instanceof Error ? err.message : String(err));
        }
      },
    };
    this.clients.push(client);
    client.raw(this.serializer.getFullState(client as never));
    return out;
  }

  /** Send one patch to every client, as the room does at its patch rate. */
  patch(): void {
    this.serializer.applyPatches(this.clients as never, this.state);
  }
}

/** The texts of the speech lines a client holds, in order. */
export function texts(c: WireClient): string[] {
  return [...c.state.speech].map((l) => l.text);
}

/** The pack ids of the plans a client holds, sorted. */
export function packs(c: WireClient): string[] {
  return [...c.state.plans.keys()].sort();
}

/** The session ids of the player entries a client holds, sorted. */
export function playerKeys(c: WireClient): string[] {
  return [...c.state.players.keys()].sort();
}
