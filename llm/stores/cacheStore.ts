/** Where cached responses live: an LRU in memory, or Redis when configured. Values are JSON text. */
export interface CacheStore {
  get(key: string): Promise<string | undefined>;
  /** Store `value` for `ttlMs` ms. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
}
