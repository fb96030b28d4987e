// Snapshots: a world captured on the tick as plain data, encoded off the tick into a compact, versioned,
// checksummed binary form, and restored into a world that steps on exactly as the original would have.
export { captureWorld, restoreWorld, BODY_FIELDS } from './image.ts';
export type { WorldImage, RestoreOptions } from './image.ts';
export { encodeSnapshot, encodeSnapshotNow, decodeSnapshot, readSnapshotHeader, SnapshotError, SNAPSHOT_VERSION, ACTORS_PER_CHUNK } from './codec.ts';
export type { SnapshotHeader } from './codec.ts';
