// Entry of a training worker thread: loads the TypeScript worker through tsx, which a worker does not inherit.
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
