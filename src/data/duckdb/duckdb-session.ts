import { mkdirSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** Options for an in-memory DuckDB session. */
export interface DuckDbSessionOptions {
  /** Where DuckDB spills when a query outgrows `memoryLimit`. Created if missing. */
  readonly tempDirectory: string;
  /** Worker threads, at most 2 (default 2). Loom shares the machine with its servers and learners. */
  readonly threads?: number;
  /** DuckDB memory limit, e.g. '2GB' (default '2GB'). Work beyond it spills to `tempDirectory`. */
  readonly memoryLimit?: string;
}

/**
 * An in-memory DuckDB instance with one connection, the offline engine of every data step. Time zone is UTC, so
 * TIMESTAMPTZ values convert to UTC instants, and insertion order is preserved, so writes are deterministic.
 * Close it when done; closing twice is harmless.
 */
export interface DuckDbSession {
  readonly connection: DuckDBConnection;
  /** Runs `work` with one thread, for steps whose output must not depend on scheduling (Parquet writes, samples). */
  singleThreaded<T>(work: () => Promise<T>): Promise<T>;
  close(): void;
}

/** Opens a session. The memory limit and temp directory keep large ingests from exhausting RAM. */
export async function openDuckDb(options: DuckDbSessionOptions): Promise<DuckDbSession> {
  mkdirSync(options.tempDirectory, { recursive: true });
  const threads = Math.max(1, Math.min(2, options.threads ?? 2));
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(threads),
    memory_limit: options.memoryLimit ?? '2GB',
    temp_directory: options.tempDirectory,
    preserve_insertion_order: 'true',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'true',
  });
  const connection = await instance.connect();
  // ICU (statically linked) is only ready once a connection exists, so the zone is set here, not in the config.
  await connection.run("SET TimeZone = 'UTC'");
  let closed = false;
  return {
    connection,
    async singleThreaded(work) {
      await connection.run('SET threads = 1');
      try {
        return await work();
      } finally {
        await connection.run(`SET threads = ${threads}`);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      connection.closeSync();
      instance.closeSync();
    },
  };
}
