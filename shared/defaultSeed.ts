/**
 * The world seed used when none is given: by the server (`SEED`), its `world` rooms, and every command that builds
 * a world (`serve`, `simulate`, `world preview`), so each draws the same world by default.
 */
export const DEFAULT_SEED = 'lairmind';
