// What each client of a room state would receive, without a network: Colyseus' own SchemaSerializer encodes the
// state (shared pass plus one pass per StateView, as a room's patch does) and a Decoder per client decodes it.
import { ClientState, SchemaSerializer } from '@colyseus/core';
import { Decoder } from '@colyseus/schema';
import type { StateView } from '@colyseus/schema';
import { WorldState } from '../../rooms/index.ts';
import type { SpeechState, ViewSeats } from '../../rooms/index.ts';

/** A client's decoded copy of the room state. */
export interface WireClient {
  readonly state: WorldState;
  /** Decoding errors (a correct encoder produces none), including those the decoder only logs. */
  readonly errors: string[];
  /** Bytes received so far. */
  bytes: number;
  /** Finish joining: receive the full state as the view sees it, then patches (Colyseus does this on the join ack). */
  admit(): void;
}

interface FakeClient {
  readonly key: string;
  state: number;
  view: StateView;
  raw(bytes: Uint8Array): void;
}

/** What the room does around each patch for its views (rooms/interest.ts). */
export interface PatchHooks {
  needsSharedPass(): boolean;
  afterPatch(): void;
}

export class Wire {
  private readonly serializer = new SchemaSerializer<WorldState>();
  private readonly clients: FakeClient[] = [];
  /** Set to the room's Interest: patches then go as the room sends them. */
  hooks: PatchHooks | undefined;
  private nextKey = 0;

  /** How the Interest moves these clients between views, as the room does with its Colyseus clients. */
  readonly seats: ViewSeats = {
    assign: (key, view) => {
      const c = this.clients.find((x) => x.key === key);
      if (c) c.view = view;
    },
    synced: (key) => this.clients.find((x) => x.key === key)?.state === ClientState.JOINED,
  };

  constructor(private readonly state: WorldState) {
    this.serializer.reset(state);
  }

  /** A client joins with `view` and receives the full state as that view sees it. */
  join(view: StateView, key?: string): WireClient {
    const c = this.connect(view, key);
    c.admit();
    return c;
  }

  /** A client starts joining with `view`: patches skip it until {@link WireClient.admit}. */
  connect(view: StateView, key = `wire${this.nextKey++}`): WireClient {
    const decoder = new Decoder(new WorldState());
    const serializer = this.serializer;
    const client: FakeClient = {
      key,
      state: ClientState.JOINING,
      view,
      raw(bytes: Uint8Array) {
        out.bytes += bytes.length;
        // The decoder logs some inconsistencies ("refId" not found) instead of throwing: count those too.
        const log = console.error;
        console.error = (...args: unknown[]) => out.errors.push(args.map(String).join(' '));
        try {
          decoder.decode(bytes, { offset: 1 }); // byte 0 is the protocol code
        } catch (err) {
          out.errors.push(err instanceof Error ? err.message : String(err));
        } finally {
          console.error = log;
        }
      },
    };
    const out: WireClient = {
      state: decoder.state as WorldState,
      errors: [],
      bytes: 0,
      admit() {
        client.raw(serializer.getFullState(client as never));
        client.state = ClientState.JOINED;
      },
    };
    this.clients.push(client);
    return out;
  }

  /** Send one patch to every joined client, as the room does at its patch rate (with its views' hooks, if set). */
  patch(): void {
    if (this.hooks?.needsSharedPass()) this.state.meta.setDirty('tick');
    this.serializer.applyPatches(this.clients as never, this.state);
    this.hooks?.afterPatch();
  }

  /** The view client `key` is given now. */
  viewOf(key: string): StateView | undefined {
    return this.clients.find((x) => x.key === key)?.view;
  }
}

/** The speech lines a client holds, oldest first. */
export function lines(c: WireClient): SpeechState[] {
  return [...c.state.speech.values()].sort((a, b) => a.seq - b.seq);
}

/** The texts of the speech lines a client holds, oldest first. */
export function texts(c: WireClient): string[] {
  return lines(c).map((l) => l.text);
}

/** The pack ids of the plans a client holds, sorted. */
export function packs(c: WireClient): string[] {
  return [...c.state.plans.keys()].sort();
}

/** The session ids of the player entries a client holds, sorted. */
export function playerKeys(c: WireClient): string[] {
  return [...c.state.players.keys()].sort();
}
