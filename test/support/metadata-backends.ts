import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { SERVICES, serviceSkip } from './services.js';

/** A metadata backend a conformance suite runs on. */
export interface MetadataBackend {
  readonly name: 'sqlite' | 'postgres';
  /** false, or why the backend's tests skip (a service that is down outside CI; under CI=true it is required). */
  readonly skip: () => Promise<string | false>;
  /** A fresh, empty store location; every open of the returned URI reaches the same database. */
  readonly freshUri: () => string;
}

/**
 * A temporary folder, and the metadata backends to run a suite on: SQLite files in that folder, and PostgreSQL with
 * a schema of its own per fresh URI. The folder and the schemas are removed when the test file ends.
 */
export function metadataTestBackends(prefix: string): { readonly root: string; readonly backends: readonly MetadataBackend[]; freshPostgresUri(): string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const pgSchemas: string[] = [];
  after(async () => {
    rmSync(root, { recursive: true, force: true });
    if (pgSchemas.length === 0) return;
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: SERVICES.postgres.uri });
    await client.connect();
    for (const schema of pgSchemas) await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });
  const freshPostgresUri = (): string => {
    const schema = `loom_test_${randomBytes(6).toString('hex')}`;
    pgSchemas.push(schema);
    return `${SERVICES.postgres.uri}?schema=${schema}`;
  };
  const backends: MetadataBackend[] = [
    { name: 'sqlite', skip: async () => false, freshUri: () => `sqlite://${join(root, randomBytes(6).toString('hex'), 'loom.db')}` },
    { name: 'postgres', skip: () => serviceSkip('postgres'), freshUri: freshPostgresUri },
  ];
  return { root, backends, freshPostgresUri };
}
