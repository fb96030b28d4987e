import { schema, t } from '@colyseus/schema';
import type { SchemaType } from '@colyseus/schema';

/** One body in the world as clients see it. Keyed in `entities` by actor id (as a string). */
export const EntityState = schema({
  id: t.uint32().default(0),
  /** `monster`, `player`, `npc`. */
  kind: t.string().default(''),
  species: t.string().default(''),
  name: t.string().default(''),
  /** Position in world units (1 unit = 1 tile). */
  x: t.float32().default(0),
  y: t.float32().default(0),
  /** Facing in radians. */
  heading: t.float32().default(0),
  hp: t.float32().default(0),
  maxHp: t.float32().default(0),
  /** `idle`, `walk`, `attack`, `dead`. */
  anim: t.string().default('idle'),
  /** Pack id, or '' when not in a pack. */
  pack: t.string().default(''),
  /** NPCs: the persona's role (`blacksmith`, `village guard` …); '' for the rest. */
  role: t.string().default(''),
  /** NPCs: how it behaves in danger, `peaceful` or `guard`; '' for the rest. */
  stance: t.string().default(''),
  /** Players: true while spawn protection lasts (no damage taken, not targeted by monsters). */
  shielded: t.boolean().default(false),
}, 'Entity');
export type EntityState = SchemaType<typeof EntityState>;

/**
 * A connected (or reconnecting) player. Keyed by session id. A client holds its own entry, and another player's
 * while that player's avatar is in its view.
 */
export const PlayerState = schema({
  name: t.string().default(''),
  /** Actor id of the player's avatar (0 until it has spawned). */
  actor: t.uint32().default(0),
  connected: t.boolean().default(true),
  /** The player's tier (`free` for guests). */
  tier: t.string().default(''),
}, 'Player');
export type PlayerState = SchemaType<typeof PlayerState>;

/**
 * A line someone said: NPC replies, barks, battle cries, what players say, narrator lines. It reaches the clients
 * that could see the speaker when it was said (a narrator, who has no body, is heard by everyone).
 */
export const SpeechState = schema({
  /** Increasing id, so clients can tell new lines from old. */
  seq: t.uint32().default(0),
  actor: t.uint32().default(0),
  /** The speaker's name when it spoke (its `name` tag, else its species; `Narrator` for a bodiless speaker). */
  name: t.string().default(''),
  /** `say`, `bark`, `battleCry`. */
  kind: t.string().default('say'),
  text: t.string().default(''),
  tick: t.uint32().default(0),
}, 'Speech');
export type SpeechState = SchemaType<typeof SpeechState>;

/** A change to a generated tile (clients regenerate terrain from the seed; only edits travel). */
export const TileEditState = schema({
  tx: t.int32().default(0),
  ty: t.int32().default(0),
  walkable: t.boolean().default(true),
  cost: t.float32().default(1),
}, 'TileEdit');
export type TileEditState = SchemaType<typeof TileEditState>;

/** One member's part in a pack plan. */
export const AssignmentState = schema({
  member: t.uint32().default(0),
  /** engage, flankLeft, flankRight, surround, bait, guardLeader, retreat, regroup, focus. */
  role: t.string().default(''),
  /** Target player's actor id, or 0. */
  target: t.uint32().default(0),
  /** Whether the assignment has a point; then (x, y) in world units. */
  hasPoint: t.boolean().default(false),
  x: t.float32().default(0),
  y: t.float32().default(0),
}, 'Assignment');
export type AssignmentState = SchemaType<typeof AssignmentState>;

/**
 * The current plan of an engaged pack (layer 4), keyed in `plans` by pack id. A client holds it while the pack's
 * leader or one of its members is in its view.
 */
export const PlanState = schema({
  pack: t.string().default(''),
  leader: t.uint32().default(0),
  /** Increases with every plan applied: a client can tell a new plan from an old one. */
  seq: t.uint32().default(0),
  formation: t.string().default(''),
  assignments: t.array(AssignmentState),
  /** Pack hp fraction at which it falls back (0 = fights to the end). */
  retreatBelow: t.float32().default(0),
  battleCry: t.string().default(''),
  /** Tick the plan expires. */
  expiresTick: t.uint32().default(0),
  /** `tactician`, or the provider (`openai`, `anthropic`, `gemini`, …). */
  source: t.string().default('tactician'),
  model: t.string().default(''),
  cached: t.boolean().default(false),
  /** How many parts validation repaired or dropped. */
  repairs: t.uint16().default(0),
  /** The last cloud outcome (accepted, refused and why, stale …). */
  note: t.string().default(''),
  /** The pack in words: its leader's name and species, e.g. `Grak's bandits`. */
  packName: t.string().default(''),
  /** Where the plan came from, in one sentence (source, model and note in plain words). */
  sourceText: t.string().default(''),
}, 'Plan');
export type PlanState = SchemaType<typeof PlanState>;

/** What a client needs to regenerate the world and interpret the rest. */
export const MetaState = schema({
  seed: t.string().default(''),
  /** The procgen parameters as JSON (the client runs the same procgen code). */
  params: t.string().default('{}'),
  tick: t.uint32().default(0),
  tickRate: t.uint8().default(20),
  /** Radius of a client's view, in world units. */
  viewRadius: t.float32().default(0),
}, 'Meta');
export type MetaState = SchemaType<typeof MetaState>;

/**
 * The room state. `entities`, `players`, `speech` and `plans` are filtered per client by its StateView (see
 * rooms/interest.ts): a client receives only what concerns the part of the world near its avatar. `meta` and
 * `tileEdits` go to everyone.
 */
export const WorldState = schema({
  meta: t.ref(MetaState),
  entities: t.map(EntityState).view(),
  players: t.map(PlayerState).view(),
  /**
   * Recent lines, keyed by `seq` (as a string). A map rather than a list: schema 5's filtered ArraySchema loses
   * its per-view bookkeeping when its oldest item is shifted out on a tick a client joins (a seeded fuzz in
   * test/rooms/interest.test.ts reproduces it); a map's keys stay put.
   */
  speech: t.map(SpeechState).view(),
  tileEdits: t.array(TileEditState),
  /** Current plan of each engaged pack, by pack id. */
  plans: t.map(PlanState).view(),
}, 'WorldState');
export type WorldState = SchemaType<typeof WorldState>;
