import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SERVICES, serviceSkip } from '../../../test/support/services.js';
import { RedisOnlineStore } from './redis-online-store.js';
import { SqliteOnlineStore } from './sqlite-online-store.js';
import type { OnlineStore, OnlineWrite } from './online-store.js';

// One test list, run on every OnlineStore backend: the compare-and-set on event time is the contract that keeps
// batch materialization and stream updates from regressing a value, so each backend must pass the same cases.

const dir = mkdtempSync(join(tmpdir(), 'loom-online-'));
const RUN = randomBytes(4).toString('hex');
after(() => rmSync(dir, { recursive: true, force: true }));

interface Backend {
  readonly name: string;
  readonly skip: () => Promise<string | false>;
  /** Two connections to one fresh store (the second for races), and a table name unique to this test. */
  open(): Promise<{ a: OnlineStore; b: OnlineStore; table: string; close(): Promise<void> }>;
}

let n = 0;
const BACKENDS: readonly Backend[] = [
  {
    name: 'sqlite',
    skip: async () => false,
    open: async () => {
      const path = join(dir, `${n++}.db`);
      const a = await SqliteOnlineStore.open(path);
      const b = await SqliteOnlineStore.open(path);
      return { a, b, table: 'v@1', close: async () => void (await Promise.all([a.close(), b.close()])) };
    },
  },
  {
    name: 'redis',
    skip: () => serviceSkip('redis'),
    open: async () => {
      const uri = `${SERVICES.redis.uri}?prefix=test-online-${RUN}:`;
      const a = await RedisOnlineStore.open(uri);
      const b = await RedisOnlineStore.open(uri);
      const table = `v@${n++}`;
      return {
        a,
        b,
        table,
        close: async () => {
          await a.clear(table);
          await Promise.all([a.close(), b.close()]);
        },
      };
    },
  },
];

const row = (entityKey: string, eventTs: number, x: number, createdTs: number | null = null): OnlineWrite => ({ entityKey, eventTs, createdTs, values: { x: JSON.stringify(x), s: JSON.stringify(`s${x}`) } });

for (const backend of BACKENDS) {
  describe(`OnlineStore conformance: ${backend.name}`, async () => {
    const skip = await backend.skip();

    test('reads what was written, null for a missing entity, in request order, only the asked fields', { skip }, async () => {
      const { a, table, close } = await backend.open();
      try {
        assert.equal(await a.write(table, [row('["1"]', 1000, 1), row('["2"]', 2000, 2, 5)]), 2);
        const got = await a.read(table, ['["2"]', '["3"]', '["1"]', '["2"]'], ['x']);
        assert.deepEqual(got, [
          { eventTs: 2000, createdTs: 5, values: { x: '2' } },
          null,
          { eventTs: 1000, createdTs: null, values: { x: '1' } },
          { eventTs: 2000, createdTs: 5, values: { x: '2' } },
        ]);
        assert.deepEqual(await a.read(`${table}-other`, ['["1"]'], ['x']), [null]);
      } finally {
        await close();
      }
    });

    test('compare-and-set: an older event never replaces a newer one; ties go to the later created time', { skip }, async () => {
      const { a, table, close } = await backend.open();
      try {
        await a.write(table, [row('k', 5000, 1)]);
        assert.equal(await a.write(table, [row('k', 4000, 2)]), 0, 'older event skipped');
        assert.deepEqual((await a.read(table, ['k'], ['x']))[0]?.values, { x: '1' });
        assert.equal(await a.write(table, [row('k', 5000, 3, 10)]), 1, 'same event time, a created time beats none');
        assert.equal(await a.write(table, [row('k', 5000, 4, 9)]), 0, 'same event time, earlier created time skipped');
        assert.equal(await a.write(table, [row('k', 5000, 5)]), 0, 'same event time, no created time skipped');
        assert.deepEqual((await a.read(table, ['k'], ['x', 's']))[0], { eventTs: 5000, createdTs: 10, values: { x: '3', s: '"s3"' } });
        assert.equal(await a.write(table, [row('k', 6000, 6)]), 1, 'newer event wins');
        assert.deepEqual((await a.read(table, ['k'], ['x']))[0], { eventTs: 6000, createdTs: null, values: { x: '6' } });
        // Idempotent: writing the same row again leaves the same record.
        await a.write(table, [row('k', 6000, 6)]);
        assert.deepEqual((await a.read(table, ['k'], ['x']))[0], { eventTs: 6000, createdTs: null, values: { x: '6' } });
      } finally {
        await close();
      }
    });

    test('two connections racing writes of shuffled event times end with the newest event of every entity', { skip }, async () => {
      const { a, b, table, close } = await backend.open();
      try {
        const entities = 25;
        const versions = 40;
        const all: OnlineWrite[] = [];
        for (let e = 0; e < entities; e++) for (let v = 0; v < versions; v++) all.push(row(`e${e}`, 1_000_000 + v * 1000, v));
        // A fixed shuffle (LCG), split between the two writers, each writing in batches of 7 concurrently.
        let seed = 12345;
        for (let i = all.length - 1; i > 0; i--) {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          const j = seed % (i + 1);
          [all[i], all[j]] = [all[j], all[i]];
        }
        const writer = async (store: OnlineStore, rows: OnlineWrite[]) => {
          for (let i = 0; i < rows.length; i += 7) await store.write(table, rows.slice(i, i + 7));
        };
        await Promise.all([writer(a, all.filter((_, i) => i % 2 === 0)), writer(b, all.filter((_, i) => i % 2 === 1))]);
        const got = await a.read(table, Array.from({ length: entities }, (_, e) => `e${e}`), ['x']);
        for (const record of got) assert.deepEqual(record, { eventTs: 1_000_000 + (versions - 1) * 1000, createdTs: null, values: { x: String(versions - 1) } });
      } finally {
        await close();
      }
    });

    test('clear removes one table only', { skip }, async () => {
      const { a, table, close } = await backend.open();
      try {
        await a.write(table, [row('1', 1, 1), row('2', 1, 2)]);
        await a.write(`${table}x`, [row('1', 1, 9)]);
        assert.equal(await a.clear(table), 2);
        assert.deepEqual(await a.read(table, ['1', '2'], ['x']), [null, null]);
        assert.deepEqual((await a.read(`${table}x`, ['1'], ['x']))[0]?.values, { x: '9' });
        await a.clear(`${table}x`);
      } finally {
        await close();
      }
    });
  });
}
