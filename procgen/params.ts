import { z } from 'zod';
import { parseWith } from '../shared/index.ts';
import { BIOME_NAMES } from './biomes.ts';

/** Fractal (fBm) noise layer settings. Frequencies are in cycles per tile. */
export const NoiseLayerSchema = z.object({
  /** Base frequency in cycles per tile (e.g. 1/256 ⇒ features ~256 tiles wide). */
  frequency: z.number().positive().max(1),
  /** Number of octaves summed, 1..12. */
  octaves: z.number().int().min(1).max(12),
  /** Frequency multiplier per octave, typically 2. */
  lacunarity: z.number().min(1).max(4),
  /** Amplitude multiplier per octave, typically 0.5. */
  persistence: z.number().min(0).max(1),
}).strict();

/** Domain warp: the height field is sampled at positions displaced by another noise field. */
export const WarpSchema = z.object({
  /** Maximum displacement in tiles (0 disables warping). */
  amplitude: z.number().min(0).max(512),
  /** Warp noise frequency in cycles per tile. */
  frequency: z.number().positive().max(1),
  /** Octaves of the warp noise. */
  octaves: z.number().int().min(1).max(6),
}).strict();

const defaultNoise = {
  height: { frequency: 1 / 192, octaves: 5, lacunarity: 2, persistence: 0.5 },
  moisture: { frequency: 1 / 320, octaves: 3, lacunarity: 2, persistence: 0.5 },
  temperature: { frequency: 1 / 512, octaves: 2, lacunarity: 2, persistence: 0.5 },
  warp: { amplitude: 24, frequency: 1 / 160, octaves: 2 },
};

/** Height/moisture/temperature thresholds (all in 0..1) that turn climate into biomes. */
export const BiomeThresholdsSchema = z.object({
  deepWater: z.number().min(0).max(1),
  seaLevel: z.number().min(0).max(1),
  beach: z.number().min(0).max(1),
  hills: z.number().min(0).max(1),
  mountains: z.number().min(0).max(1),
  snowLine: z.number().min(0).max(1),
  /** Temperature below which high ground (≥ hills) is snow. */
  snowTemperature: z.number().min(0).max(1),
  /** Temperature above which dry lowland is desert. */
  desertTemperature: z.number().min(0).max(1),
  /** Moisture below which hot lowland is desert. */
  desertMoisture: z.number().min(0).max(1),
  /** Moisture above which low, wet land is swamp. */
  swampMoisture: z.number().min(0).max(1),
  /** Moisture above which lowland is forest. */
  forestMoisture: z.number().min(0).max(1),
  /** How much temperature drops from sea level to height 1 (lapse rate, 0..1). */
  lapse: z.number().min(0).max(1),
}).strict().superRefine((t, ctx) => {
  const order: (keyof typeof t)[] = ['deepWater', 'seaLevel', 'beach', 'hills', 'mountains', 'snowLine'];
  for (let i = 1; i < order.length; i++) {
    const a = order[i - 1] as keyof typeof t;
    const b = order[i] as keyof typeof t;
    if (t[b] < t[a]) ctx.addIssue({ code: 'custom', path: [b], message: `must be >= ${a} (${t[a]}), got ${t[b]}` });
  }
});

const defaultBiomes = {
  deepWater: 0.3, seaLevel: 0.38, beach: 0.41, hills: 0.62, mountains: 0.7, snowLine: 0.86,
  snowTemperature: 0.12, desertTemperature: 0.6, desertMoisture: 0.38, swampMoisture: 0.68,
  forestMoisture: 0.52, lapse: 0.35,
};

/** Per-biome probability (0..1) of each tile feature. */
export const FeatureDensitySchema = z.object({
  trees: z.number().min(0).max(1),
  rocks: z.number().min(0).max(1),
  ruins: z.number().min(0).max(1),
}).strict();

/** Lair placement: the world is cut into square regions, each holding at most one lair. */
export const LairParamsSchema = z.object({
  /** Side of a lair region in tiles (lairs never cross region borders). */
  regionSize: z.number().int().min(64).max(1024),
  /** Probability (0..1) that a region tries to place a lair. */
  chance: z.number().min(0).max(1),
  /** Candidate spots tried per region before giving up. */
  attempts: z.number().int().min(1).max(64),
  /** Rooms per dungeon [min, max]. */
  rooms: z.tuple([z.number().int().min(1).max(40), z.number().int().min(1).max(40)]),
}).strict().refine((l) => l.rooms[0] <= l.rooms[1], { path: ['rooms'], message: 'rooms[0] must be <= rooms[1]' });

/** Everything that shapes a world besides its seed. Parse with {@link parseWorldParams}. */
export const WorldParamsSchema = z.object({
  /** World seed: the same seed and parameters always give the same world. */
  seed: z.union([z.string().min(1).max(256), z.number().int().safe()]),
  /** Chunk side in tiles, 16..256. */
  chunkSize: z.number().int().min(16).max(256).default(64),
  /** Size of a tile in world units. */
  tileSize: z.number().positive().max(1024).default(1),
  noise: z.object({
    height: NoiseLayerSchema.default(defaultNoise.height),
    moisture: NoiseLayerSchema.default(defaultNoise.moisture),
    temperature: NoiseLayerSchema.default(defaultNoise.temperature),
    warp: WarpSchema.default(defaultNoise.warp),
    /**
     * Moisture, temperature and warp vary slowly; they are sampled every `coarseStep` tiles on a global
     * lattice and interpolated bilinearly (1 = exact per tile). Must divide `chunkSize`.
     */
    coarseStep: z.number().int().min(1).max(16).default(4),
  }).strict().default({ ...defaultNoise, coarseStep: 4 }),
  biomes: BiomeThresholdsSchema.default(defaultBiomes),
  /** Per-biome overrides of the feature probabilities (missing biomes keep the built-in table). */
  features: z.partialRecord(z.enum(BIOME_NAMES), FeatureDensitySchema).default({}),
  lairs: LairParamsSchema.default({ regionSize: 128, chance: 0.75, attempts: 12, rooms: [4, 8] }),
  spawns: z.object({
    /** Multiplies every biome's pack density from the species table (0 disables wild spawns). */
    densityScale: z.number().min(0).max(100).default(1),
    /** Maximum distance in tiles of a pack member from its anchor. */
    packRadius: z.number().int().min(1).max(16).default(4),
  }).strict().default({ densityScale: 1, packRadius: 4 }),
  cache: z.object({
    /** Most chunks kept in memory; the least recently used is evicted beyond this. */
    maxChunks: z.number().int().min(1).max(1_000_000).default(256),
  }).strict().default({ maxChunks: 256 }),
}).strict().superRefine((p, ctx) => {
  if (p.chunkSize % p.noise.coarseStep !== 0) {
    ctx.addIssue({ code: 'custom', path: ['noise', 'coarseStep'], message: `must divide chunkSize (${p.chunkSize})` });
  }
});

/** World parameters as written by a user (most fields optional). */
export type WorldParamsInput = z.input<typeof WorldParamsSchema>;
/** Validated world parameters with every default filled in. */
export type WorldParams = z.output<typeof WorldParamsSchema>;
/** One fractal noise layer's settings. */
export type NoiseLayer = z.output<typeof NoiseLayerSchema>;
/** Biome thresholds. */
export type BiomeThresholds = z.output<typeof BiomeThresholdsSchema>;

/**
 * Validate world parameters and fill defaults. Throws a `ValidationError` whose message names every
 * bad field, e.g. `invalid world params: noise.height.octaves: Too big: expected number to be <=12`.
 */
export function parseWorldParams(input: unknown): WorldParams {
  return parseWith(WorldParamsSchema, input, 'world params');
}
