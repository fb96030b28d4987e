export { Rng } from './rng.ts';
export type { RngState, Weighted } from './rng.ts';
export { ManualClock, FixedStep } from './clock.ts';
export type { Clock } from './clock.ts';
export { StableHasher, stableHash } from './stableHash.ts';
export { dist, dist2, clamp, headingOf } from './geometry.ts';
export type { TerrainQuery, TerrainBounds } from './terrain.ts';
export { ValidationError, formatIssues, formatPath, parseWith } from './validation.ts';
export type { Issue, SafeParser } from './validation.ts';
