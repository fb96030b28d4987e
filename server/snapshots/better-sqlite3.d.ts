// The part of better-sqlite3's API the snapshot store uses (the package ships no types).
declare module 'better-sqlite3' {
  namespace Database {
    interface Options {
      readonly readonly?: boolean;
      readonly fileMustExist?: boolean;
      /** How long a statement waits for a lock held by another connection before SQLITE_BUSY, ms. */
      readonly timeout?: number;
    }
    interface RunResult {
      readonly changes: number;
      readonly lastInsertRowid: number | bigint;
    }
    interface Statement<Params extends unknown[] = unknown[], Row = unknown> {
      run(...params: Params): RunResult;
      get(...params: Params): Row | undefined;
      all(...params: Params): Row[];
    }
    interface Transaction<F extends (...args: never[]) => unknown> {
      (...args: Parameters<F>): ReturnType<F>;
      deferred(...args: Parameters<F>): ReturnType<F>;
      immediate(...args: Parameters<F>): ReturnType<F>;
      exclusive(...args: Parameters<F>): ReturnType<F>;
    }
    interface Database {
      readonly open: boolean;
      readonly name: string;
      prepare<Params extends unknown[] = unknown[], Row = unknown>(sql: string): Statement<Params, Row>;
      exec(sql: string): this;
      pragma(source: string, options: { simple: true }): unknown;
      pragma(source: string, options?: { simple?: false }): unknown[];
      transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F>;
      close(): this;
    }
    /** The error better-sqlite3 throws for SQLite failures; `code` is the extended result code name, e.g. `SQLITE_FULL`. */
    interface SqliteError extends Error {
      readonly code: string;
    }
  }
  interface DatabaseConstructor {
    new (filename: string, options?: Database.Options): Database.Database;
    readonly SqliteError: new (message: string, code: string) => Database.SqliteError;
  }
  const Database: DatabaseConstructor;
  export default Database;
}
