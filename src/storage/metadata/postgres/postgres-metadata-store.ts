import { Kysely, PostgresDialect, sql } from 'kysely';
import { LoomError } from '../../../core/errors/index.js';
import { redactUri } from '../../backend-registry.js';
import type { LoomDatabase } from '../database.js';
import type { MetadataStore } from '../metadata-store.js';
import { MIGRATIONS, runMigrations } from '../migrations/index.js';

/** How long opening waits for the server before LOOM_ERR_STORAGE_UNREACHABLE, in ms. */
export const POSTGRES_CONNECT_TIMEOUT_MS = 3000;

/** PostgreSQL type OIDs that Loom reads back as JS numbers: int8 (bigint, counts) and numeric. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Opens the PostgreSQL metadata store (the scale-out backend) from `postgres://user[:password]@host[:port]/db`.
 * An optional `?schema=<name>` query keeps Loom's tables in their own schema (created if missing), so several
 * workspaces can share one database. `bigint` columns hold epoch milliseconds and counts and are parsed as numbers
 * (exact up to 2^53).
 *
 * @throws LOOM_ERR_STORAGE_UNREACHABLE when the server does not answer within 3 s.
 * @throws LOOM_ERR_STORAGE_DRIVER_MISSING when the `pg` package is not installed.
 */
export async function openPostgresMetadataStore(uri: string): Promise<MetadataStore> {
  const url = new URL(uri);
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new LoomError('CONFIG_INVALID', { field: 'metadataUri', problem: `schema "${schema}" must be a lowercase SQL identifier` }, { details: { field: 'metadataUri' } });
  }
  url.searchParams.delete('schema');
  let pg: (typeof import('pg'))['default'];
  try {
    pg = (await import('pg')).default;
  } catch (err) {
    throw new LoomError('STORAGE_DRIVER_MISSING', { kind: 'metadata', pkg: 'pg' }, { cause: err });
  }
  const pool = new pg.Pool({
    connectionString: url.toString(),
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    max: 10,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener that kills the process.
  pool.on('error', () => undefined);
  const db = new Kysely<LoomDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy();
    throw new LoomError(
      'STORAGE_UNREACHABLE',
      { kind: 'PostgreSQL metadata', uri: redactUri(uri), problem: (err as Error).message, env: 'LOOM_METADATA_URI' },
      { cause: err, details: { field: 'metadataUri' } },
    );
  }
  try {
    const migrations = await runMigrations(db as Kysely<unknown>, 'postgres', MIGRATIONS, schema);
    return { db, backend: 'postgres', migrations, close: () => db.destroy() };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}
