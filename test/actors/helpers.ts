import { BehaviourRegistry, createWorld, FlatTerrain, monsterBehaviour, playerBehaviour } from '../../actors/index.ts';
import type { Behaviour, Message, World } from '../../actors/index.ts';

/** A behaviour that records every message it gets (except ticks) and performs the effects a test scripts. */
export interface RecorderState {
  readonly log: string[];
}

export type Script = (state: RecorderState, message: Message) => { state?: RecorderState; effects?: unknown[] } | void;

const scripts = new Map<string, Script>();

/** Register a per-test script under `name`; the recorder looks it up from its params. */
export function script(name: string, fn: Script): string {
  scripts.set(name, fn);
  return name;
}

export function describeMessage(m: Message): string {
  switch (m.type) {
    case 'signal':
      return `signal:${m.topic}`;
    case 'timer':
      return `timer:${m.key}`;
    case 'reply':
      return m.ok ? `reply:${m.port}:${JSON.stringify(m.value)}` : `reply:${m.port}:error:${m.error}`;
    case 'childFailed':
      return `childFailed:${m.child}`;
    default:
      return m.type;
  }
}

export const recorder: Behaviour<RecorderState, { script?: string; failOn?: string }> = {
  name: 'recorder',
  ticks: false,
  init: () => ({ log: [] }),
  receive(state, message, ctx) {
    const next = { log: [...state.log, describeMessage(message)] };
    if (ctx.params.failOn && describeMessage(message) === ctx.params.failOn) throw new Error(`scripted failure on ${ctx.params.failOn}`);
    const fn = ctx.params.script ? scripts.get(ctx.params.script) : undefined;
    const r = fn?.(next, message);
    return { state: r?.state ?? next, effects: (r?.effects ?? []) as never };
  },
};

export function registry(...extra: Behaviour<never, never>[]): BehaviourRegistry {
  const r = new BehaviourRegistry().register(monsterBehaviour).register(playerBehaviour).register(recorder);
  for (const b of extra) r.register(b);
  return r;
}

export function testWorld(extra: Behaviour<never, never>[] = [], size = 64): World {
  return createWorld({ seed: 'test', registry: registry(...extra), terrain: new FlatTerrain(size, size) });
}

export function logOf(world: World, id: number): string[] {
  return (world.actors.get(id)?.state as RecorderState).log;
}
