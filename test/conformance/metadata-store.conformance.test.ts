import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { MIGRATIONS, openMetadataStore, runMigrations, type MetadataStore } from '../../src/storage/metadata/index.js';
import { metadataTestBackends } from '../support/metadata-backends.js';

const { root, backends: BACKENDS } = metadataTestBackends('loom-metadata-');

const NOW = 1_732_600_000_123;
const STORE_MODULE = new URL('../../src/storage/metadata/index.ts', import.meta.url).href;

/** Opens the store in a child process and inserts a dataset named `name`. */
function openInChild(uri: string, name: string): Promise<{ code: number | null; stderr: string }> {
  const script = `const { openMetadataStore } = await import(${JSON.stringify(STORE_MODULE)});
const s = await openMetadataStore(${JSON.stringify(uri)});
await s.db.insertInto('datasets').values({ name: ${JSON.stringify(name)}, description: '', latest_version: null, created_at: 1, updated_at: 1 }).execute();
await s.close();`;
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolvePromise({ code, stderr }));
  });
}

async function addDataset(store: MetadataStore, name: string): Promise<void> {
  await store.db.insertInto('datasets').values({ name, description: 'd', latest_version: null, created_at: NOW, updated_at: NOW }).execute();
}

for (const backend of BACKENDS) {
  describe(`metadata store conformance: ${backend.name}`, async () => {
    const skip = await backend.skip();

    test('opening migrates to the newest version, and reopening applies nothing twice', { skip }, async () => {
      const uri = backend.freshUri();
      const first = await openMetadataStore(uri);
      assert.equal(first.backend, backend.name);
      assert.deepEqual(first.migrations, MIGRATIONS.map((m) => m.name));
      await addDataset(first, 'kept');
      await first.close();
      const again = await openMetadataStore(uri);
      assert.deepEqual(again.migrations, MIGRATIONS.map((m) => m.name));
      const rows = await again.db.selectFrom('datasets').select('name').execute();
      assert.deepEqual(rows, [{ name: 'kept' }]);
      await again.close();
    });

    test('two processes opening one fresh database at once both migrate, and each migration runs once', { skip }, async () => {
      const uri = backend.freshUri();
      const results = await Promise.all(['p1', 'p2'].map((name) => openInChild(uri, name)));
      assert.deepEqual(results.map((r) => r.code), [0, 0], results.map((r) => r.stderr).join('\n'));
      const store = await openMetadataStore(uri);
      const names = (await store.db.selectFrom('datasets').select('name').orderBy('name').execute()).map((r) => r.name);
      assert.deepEqual(names, ['p1', 'p2']);
      await store.close();
    });

    test('bigint times and counts read back as exact numbers; JSON text round-trips', { skip }, async () => {
      const store = await openMetadataStore(backend.freshUri());
      await addDataset(store, 'a');
      await store.db
        .insertInto('dataset_versions')
        .values({ dataset: 'a', id: 'v1', parent_id: null, blob_hash: 'b'.repeat(64), rows: 2 ** 40 + 3, schema_json: '{"columns":[]}', profile_json: '{}', source_json: '{"kind":"file"}', created_at: NOW })
        .execute();
      const row = await store.db.selectFrom('dataset_versions').selectAll().executeTakeFirstOrThrow();
      assert.equal(row.rows, 2 ** 40 + 3);
      assert.equal(row.created_at, NOW);
      assert.deepEqual(JSON.parse(row.source_json), { kind: 'file' });
      const { n } = await store.db.selectFrom('dataset_versions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n), 1);
      await store.close();
    });

    test('a failed transaction leaves nothing behind', { skip }, async () => {
      const store = await openMetadataStore(backend.freshUri());
      await assert.rejects(
        store.db.transaction().execute(async (trx) => {
          await trx.insertInto('datasets').values({ name: 'ghost', description: '', latest_version: null, created_at: NOW, updated_at: NOW }).execute();
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal((await store.db.selectFrom('datasets').selectAll().execute()).length, 0);
      await store.close();
    });

    test('primary keys and foreign keys are enforced', { skip }, async () => {
      const store = await openMetadataStore(backend.freshUri());
      await addDataset(store, 'a');
      await assert.rejects(addDataset(store, 'a'));
      await assert.rejects(
        store.db
          .insertInto('dataset_versions')
          .values({ dataset: 'missing', id: 'v', parent_id: null, blob_hash: 'x', rows: 0, schema_json: '{}', profile_json: '{}', source_json: '{}', created_at: NOW })
          .execute(),
      );
      await store.close();
    });

    test('auto-increment ids on validation results', { skip }, async () => {
      const store = await openMetadataStore(backend.freshUri());
      const values = { suite: 's', suite_hash: 'h', target: 't', success: 1, result_json: '{}', created_at: NOW };
      await store.db.insertInto('validation_results').values(values).execute();
      await store.db.insertInto('validation_results').values(values).execute();
      const ids = (await store.db.selectFrom('validation_results').select('id').orderBy('id').execute()).map((r) => r.id);
      assert.equal(ids.length, 2);
      assert.ok(ids[1] > ids[0]);
      await store.close();
    });

    test('a failing migration rolls back and names itself; the database stays at the previous version', { skip }, async () => {
      const uri = backend.freshUri();
      const store = await openMetadataStore(uri);
      const schema = new URL(uri).searchParams.get('schema') ?? undefined;
      const broken = {
        name: '9999-broken',
        async up({ db }: { db: Kysely<unknown> }) {
          await db.schema.createTable('half_made').addColumn('x', 'integer').execute();
          await sql`select * from table_that_does_not_exist`.execute(db);
        },
      };
      await assert.rejects(
        runMigrations(store.db as Kysely<unknown>, store.backend, [...MIGRATIONS, broken], schema),
        (err: { code?: string; message?: string }) => err.code === 'LOOM_ERR_STORAGE_MIGRATION_FAILED' && /9999-broken/.test(err.message ?? ''),
      );
      const tables = (await store.db.introspection.getTables()).filter((t) => schema === undefined || t.schema === schema).map((t) => t.name);
      assert.ok(!tables.includes('half_made'), `half_made should have been rolled back, tables: ${tables.join(',')}`);
      await store.close();
    });
  });
}

test('an unknown scheme is LOOM_ERR_CONFIG_UNKNOWN_BACKEND listing the known ones', async () => {
  await assert.rejects(openMetadataStore('mysql://127.0.0.1/x'), (err: { code?: string; message?: string }) => {
    assert.equal(err.code, 'LOOM_ERR_CONFIG_UNKNOWN_BACKEND');
    assert.match(err.message ?? '', /sqlite:\/\//);
    return true;
  });
});

test('an unreachable PostgreSQL is LOOM_ERR_STORAGE_UNREACHABLE, fast, with the password redacted', async () => {
  const started = Date.now();
  await assert.rejects(openMetadataStore('postgres://loom:s3cret@127.0.0.1:1/x'), (err: { code?: string; message?: string }) => {
    assert.equal(err.code, 'LOOM_ERR_STORAGE_UNREACHABLE');
    assert.doesNotMatch(err.message ?? '', /s3cret/);
    return true;
  });
  assert.ok(Date.now() - started < 5000);
});
