import { z } from 'zod';

/** A body on the 2-D plane: position in world units, speed in units per second, health in hp. */
export const BodySpecSchema = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  radius: z.number().positive().max(16).default(0.4),
  speed: z.number().nonnegative().max(100).default(3),
  maxHp: z.number().positive().max(1e6).default(100),
  hp: z.number().nonnegative().optional(),
  faction: z.string().min(1).max(64).default('neutral'),
}).strict();

/** What it takes to start an actor. Validated whenever an actor is spawned, from code or from input. */
export const SpawnSpecSchema = z.object({
  /** What the actor is, for projection and supervision policies (e.g. `monster`, `player`, `coordinator`). */
  kind: z.string().min(1).max(64),
  /** Name of a registered behaviour. */
  behaviour: z.string().min(1).max(64),
  /** Behaviour parameters, validated by the behaviour's own schema. */
  params: z.record(z.string(), z.unknown()).optional(),
  /** Bodiless actors (coordinators, managers) omit this. */
  body: BodySpecSchema.optional(),
  /** Display data carried along for the projection (species, name, pack id …). */
  tags: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
}).strict();

export type SpawnSpec = z.input<typeof SpawnSpecSchema>;
export type ParsedSpawnSpec = z.output<typeof SpawnSpecSchema>;
