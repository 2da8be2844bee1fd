import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { openKvStore, SqliteKvStore, type KvStore } from '../../src/storage/kv/index.js';
import { SERVICES, serviceSkip } from '../support/services.js';

// One test list, run on every KvStore backend. A fixture is a fresh, empty store with a clock the test can move:
// SQLite takes an injected `now`, Redis really waits.

const dir = mkdtempSync(join(tmpdir(), 'loom-kv-'));
const RUN = randomBytes(4).toString('hex');
let fixtures = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

interface Fixture {
  readonly kv: KvStore;
  /** Opens the same store again (null when the store is private to its connection). */
  readonly reopen: (() => Promise<KvStore>) | null;
  /** Moves the store's clock forward by `ms` (SQLite) or waits `ms` (Redis). */
  advance(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

interface Backend {
  readonly name: string;
  readonly skip: () => Promise<string | false>;
  create(): Promise<Fixture>;
}

/** A SQLite fixture whose clock starts at a fixed instant and moves only when the test says so. */
async function sqliteFixture(path: string, shared: boolean): Promise<Fixture> {
  let now = 1_750_000_000_000;
  const clock = { now: () => now };
  const opened: KvStore[] = [];
  const open = async () => {
    const kv = await SqliteKvStore.open(path, clock);
    opened.push(kv);
    return kv;
  };
  return {
    kv: await open(),
    reopen: shared ? open : null,
    advance: async (ms) => {
      now += ms;
    },
    cleanup: async () => {
      await Promise.all(opened.map((kv) => kv.close()));
    },
  };
}

const BACKENDS: readonly Backend[] = [
  { name: 'sqlite (memory)', skip: async () => false, create: () => sqliteFixture(':memory:', false) },
  { name: 'sqlite (file)', skip: async () => false, create: () => sqliteFixture(join(dir, randomBytes(6).toString('hex'), 'kv.db'), true) },
  {
    name: 'redis',
    skip: () => serviceSkip('redis'),
    create: async () => {
      const uri = `${SERVICES.redis.uri}?prefix=${encodeURIComponent(`loomtest:${RUN}:${++fixtures}:`)}`;
      const opened: KvStore[] = [];
      const open = async () => {
        const kv = await openKvStore(uri);
        opened.push(kv);
        return kv;
      };
      return {
        kv: await open(),
        reopen: open,
        advance: (ms) => sleep(ms),
        cleanup: async () => {
          const janitor = await openKvStore(uri);
          await janitor.delete(await janitor.scan('', { limit: 100_000 }));
          assert.deepEqual(await janitor.scan(''), [], 'test keys removed');
          await janitor.close();
          await Promise.all(opened.map((kv) => kv.close()));
        },
      };
    },
  },
];

for (const backend of BACKENDS) runKvStoreConformance(backend);

/** The KvStore contract, as tests, against one backend. */
function runKvStoreConformance(backend: Backend): void {
  describe(`kv store conformance: ${backend.name}`, async () => {
    const skip = await backend.skip();

    async function withStore(run: (fx: Fixture) => Promise<void>): Promise<void> {
      const fx = await backend.create();
      try {
        await run(fx);
      } finally {
        await fx.cleanup();
      }
    }
    // Tests that open the same store twice run only where that is possible (not for in-memory SQLite).
    const sharedTest = (name: string, fn: (fx: Fixture & { reopen: () => Promise<KvStore> }) => Promise<void>) => {
      if (backend.name !== 'sqlite (memory)') {
        test(name, { skip }, () => withStore((fx) => fn(fx as Fixture & { reopen: () => Promise<KvStore> })));
      }
    };

    test('set then get round-trips strings; missing keys read as null; set overwrites', { skip }, () =>
      withStore(async ({ kv }) => {
        const values = ['', 'plain', 'ünïcødé 🚀', '{"json":[1,2]}', 'x'.repeat(100_000), ' spaces \n newline '];
        for (const [i, value] of values.entries()) await kv.set(`k${i}`, value);
        for (const [i, value] of values.entries()) assert.equal(await kv.get(`k${i}`), value);
        assert.equal(await kv.get('missing'), null);
        await kv.set('k1', 'second');
        assert.equal(await kv.get('k1'), 'second');
        assert.equal(await kv.get('x'.repeat(1024)), null, 'a 1024-byte key is valid');
        await kv.set('é'.repeat(512), 'max bytes');
        assert.equal(await kv.get('é'.repeat(512)), 'max bytes');
      }),
    );

    test('getMany keeps order and length, with null for missing keys and duplicates repeated', { skip }, () =>
      withStore(async ({ kv }) => {
        await kv.setMany([
          { key: 'a', value: '1' },
          { key: 'c', value: '3' },
        ]);
        assert.deepEqual(await kv.getMany(['c', 'missing', 'a', 'c', 'b']), ['3', null, '1', '3', null]);
        assert.deepEqual(await kv.getMany([]), []);
      }),
    );

    test('setMany writes every entry, later duplicates win, and a bad entry writes nothing', { skip }, () =>
      withStore(async ({ kv }) => {
        await kv.setMany([
          { key: 'u:1', value: 'a' },
          { key: 'u:2', value: 'b', ttlMs: 60_000 },
          { key: 'u:1', value: 'a2' },
        ]);
        assert.deepEqual(await kv.getMany(['u:1', 'u:2']), ['a2', 'b']);
        const ttl = await kv.ttlMs('u:2');
        assert.ok(ttl !== null && ttl > 50_000 && ttl <= 60_000, `ttl ${ttl}`);
        await kv.setMany([]);
        await assert.rejects(
          kv.setMany([
            { key: 'v:1', value: 'x' },
            { key: '', value: 'bad key' },
          ]),
          { code: 'LOOM_ERR_KV_INVALID_KEY' },
        );
        await assert.rejects(
          kv.setMany([
            { key: 'v:1', value: 'x' },
            { key: 'v:2', value: 5 as unknown as string },
          ]),
          { code: 'LOOM_ERR_KV_INVALID_ARGUMENT' },
        );
        assert.deepEqual(await kv.getMany(['v:1', 'v:2']), [null, null]);
      }),
    );

    test('delete counts only keys that existed', { skip }, () =>
      withStore(async ({ kv }) => {
        await kv.setMany([
          { key: 'd1', value: '1' },
          { key: 'd2', value: '2' },
          { key: 'd3', value: '3' },
        ]);
        assert.equal(await kv.delete(['d1', 'd3', 'nope']), 2);
        assert.deepEqual(await kv.getMany(['d1', 'd2', 'd3']), [null, '2', null]);
        assert.equal(await kv.delete(['d1']), 0);
        assert.equal(await kv.delete([]), 0);
      }),
    );

    test('incrBy starts at 0, adds signed deltas, keeps a TTL and refuses non-integers', { skip }, () =>
      withStore(async ({ kv }) => {
        assert.equal(await kv.incrBy('n', 5), 5);
        assert.equal(await kv.incrBy('n', -7), -2);
        assert.equal(await kv.incrBy('n', 0), -2);
        assert.equal(await kv.get('n'), '-2');
        await kv.set('manual', '40');
        assert.equal(await kv.incrBy('manual', 2), 42);
        await kv.set('limited', '1', { ttlMs: 60_000 });
        assert.equal(await kv.incrBy('limited', 1), 2);
        const ttl = await kv.ttlMs('limited');
        assert.ok(ttl !== null && ttl > 50_000 && ttl <= 60_000, `incrBy kept the TTL (${ttl})`);
        assert.equal(await kv.ttlMs('n'), Number.POSITIVE_INFINITY, 'a counter created by incrBy has no TTL');
        for (const text of ['abc', '1.5', '', ' 7']) {
          await kv.set('text', text);
          await assert.rejects(kv.incrBy('text', 1), { code: 'LOOM_ERR_KV_VALUE_NOT_INTEGER' }, JSON.stringify(text));
          assert.equal(await kv.get('text'), text, 'a refused increment changes nothing');
        }
        for (const delta of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '1' as unknown as number]) {
          await assert.rejects(kv.incrBy('n', delta), { code: 'LOOM_ERR_KV_INVALID_ARGUMENT' }, String(delta));
        }
        await kv.set('big', String(Number.MAX_SAFE_INTEGER - 1));
        assert.equal(await kv.incrBy('big', 1), Number.MAX_SAFE_INTEGER);
        await assert.rejects(kv.incrBy('big', 1), { code: 'LOOM_ERR_KV_VALUE_NOT_INTEGER' }, 'past 2^53 − 1');
      }),
    );

    test('scan returns sorted keys with a literal prefix, even with glob characters, up to limit', { skip }, () =>
      withStore(async ({ kv }) => {
        const keys = ['p*1', 'p*2', 'pa', 'pb', 'p?x', 'p[a]', 'p]', 'p\\b', 'p^', 'q', 'p', 'z', 'é', 'Ａ', '😀'];
        await kv.setMany(keys.map((key) => ({ key, value: 'v' })));
        assert.deepEqual(await kv.scan('p*'), ['p*1', 'p*2']);
        assert.deepEqual(await kv.scan('p?'), ['p?x']);
        assert.deepEqual(await kv.scan('p['), ['p[a]']);
        assert.deepEqual(await kv.scan('p]'), ['p]']);
        assert.deepEqual(await kv.scan('p\\'), ['p\\b']);
        assert.deepEqual(await kv.scan('p^'), ['p^']);
        assert.deepEqual(await kv.scan('pa'), ['pa']);
        assert.deepEqual(await kv.scan('nothing'), []);
        // Code-point order: 'z' (U+7A) < 'é' (U+E9) < 'Ａ' (U+FF21) < '😀' (U+1F600); UTF-16 order would put 😀 first.
        const all = ['p', 'p*1', 'p*2', 'p?x', 'p[a]', 'p\\b', 'p]', 'p^', 'pa', 'pb', 'q', 'z', 'é', 'Ａ', '😀'];
        assert.deepEqual(await kv.scan(''), all);
        assert.deepEqual(await kv.scan('', { limit: 3 }), all.slice(0, 3));
        assert.deepEqual(await kv.scan('p', { limit: 2 }), ['p', 'p*1']);
        for (const limit of [0, -1, 1.5, 100_001]) await assert.rejects(kv.scan('', { limit }), { code: 'LOOM_ERR_KV_INVALID_ARGUMENT' }, String(limit));
        await assert.rejects(kv.scan('x'.repeat(1025)), { code: 'LOOM_ERR_KV_INVALID_ARGUMENT' });
      }),
    );

    test('keys that are empty, too long, not strings or not encodable give KV_INVALID_KEY everywhere', { skip }, () =>
      withStore(async ({ kv }) => {
        const bad = ['', 'x'.repeat(1025), 'é'.repeat(513), 'a\uD800b', 5 as unknown as string, null as unknown as string];
        for (const key of bad) {
          const label = typeof key === 'string' ? `${key.length} chars` : String(key);
          await assert.rejects(kv.get(key), { code: 'LOOM_ERR_KV_INVALID_KEY' }, label);
          await assert.rejects(kv.getMany(['ok', key]), { code: 'LOOM_ERR_KV_INVALID_KEY' }, label);
          await assert.rejects(kv.set(key, 'v'), { code: 'LOOM_ERR_KV_INVALID_KEY' }, label);
          await assert.rejects(kv.setMany([{ key, value: 'v' }]), { code: 'LOOM_ERR_KV_INVALID_KEY' }, label);
          await assert.rejects(kv.delete([key]), { code: 'LOOM_ERR_KV_INVALID_KEY' }, label);
          await assert.rejects(kv.incrBy(key, 1), { code: 'LOOM_ERR_KV_INVALID_KEY' }, label);
          await assert.rejects(kv.ttlMs(key), { code: 'LOOM_ERR_KV_INVALID_KEY' }, label);
        }
        for (const value of [5, null, undefined, { a: 1 }]) {
          await assert.rejects(kv.set('k', value as unknown as string), { code: 'LOOM_ERR_KV_INVALID_ARGUMENT' }, String(value));
        }
        for (const ttlMs of [0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
          await assert.rejects(kv.set('k', 'v', { ttlMs }), { code: 'LOOM_ERR_KV_INVALID_ARGUMENT' }, String(ttlMs));
        }
        assert.deepEqual(await kv.scan(''), [], 'nothing was written');
      }),
    );

    test('expired keys read as missing everywhere; set without TTL clears one', { skip }, () =>
      withStore(async ({ kv, advance }) => {
        await kv.set('short', 's', { ttlMs: 1000 });
        await kv.set('long', 'l', { ttlMs: 600_000 });
        await kv.set('forever', 'f');
        await kv.set('cleared', 'c', { ttlMs: 1000 });
        await kv.set('cleared', 'c2');
        await kv.set('counter', '10', { ttlMs: 1000 });
        const short = await kv.ttlMs('short');
        assert.ok(short !== null && short > 0 && short <= 1000, `ttl before expiry ${short}`);
        assert.equal(await kv.ttlMs('forever'), Number.POSITIVE_INFINITY);
        assert.equal(await kv.ttlMs('cleared'), Number.POSITIVE_INFINITY);
        assert.equal(await kv.ttlMs('missing'), null);

        await advance(1200); // the only wait on Redis

        assert.equal(await kv.get('short'), null);
        assert.deepEqual(await kv.getMany(['short', 'long', 'forever', 'cleared']), [null, 'l', 'f', 'c2']);
        assert.equal(await kv.ttlMs('short'), null);
        const long = await kv.ttlMs('long');
        assert.ok(long !== null && long > 590_000 && long <= 600_000 - 1200, `long ttl ${long}`);
        assert.deepEqual(await kv.scan(''), ['cleared', 'forever', 'long']);
        assert.equal(await kv.delete(['short', 'forever']), 1, 'an expired key does not count as deleted');
        assert.equal(await kv.incrBy('counter', 1), 1, 'an expired counter starts again from 0');
        assert.equal(await kv.ttlMs('counter'), Number.POSITIVE_INFINITY);
        await kv.set('short', 'again');
        assert.equal(await kv.get('short'), 'again', 'an expired key can be written again');
      }),
    );

    sharedTest('values and TTLs survive close and reopen', async ({ kv, reopen }) => {
      await kv.setMany([
        { key: 'kept', value: 'yes' },
        { key: 'ttl', value: 't', ttlMs: 600_000 },
      ]);
      await kv.incrBy('count', 3);
      await kv.close();
      const again = await reopen();
      assert.deepEqual(await again.getMany(['kept', 'ttl', 'count']), ['yes', 't', '3']);
      const ttl = await again.ttlMs('ttl');
      assert.ok(ttl !== null && ttl > 590_000 && ttl <= 600_000, `ttl ${ttl}`);
    });

    sharedTest('two connections incrementing 100 times each in parallel reach exactly 200', async ({ kv, reopen }) => {
      const other = await reopen();
      const bump = (conn: KvStore) => Promise.all(Array.from({ length: 100 }, () => conn.incrBy('shared', 1)));
      const [a, b] = await Promise.all([bump(kv), bump(other)]);
      assert.deepEqual([...a, ...b].sort((x, y) => x - y), Array.from({ length: 200 }, (_, i) => i + 1), 'every result distinct');
      assert.equal(await kv.get('shared'), '200');
    });

    test('close is idempotent and later calls fail with STORAGE_CLOSED', { skip }, () =>
      withStore(async ({ kv }) => {
        await kv.set('k', 'v');
        await kv.close();
        await kv.close();
        await assert.rejects(kv.get('k'), { code: 'LOOM_ERR_STORAGE_CLOSED' });
        await assert.rejects(kv.set('k', 'v'), { code: 'LOOM_ERR_STORAGE_CLOSED' });
        await assert.rejects(kv.scan(''), { code: 'LOOM_ERR_STORAGE_CLOSED' });
      }),
    );
  });
}

describe('openKvStore', async () => {
  test('an unknown scheme gives CONFIG_UNKNOWN_BACKEND', async () => {
    for (const uri of ['memcached://127.0.0.1:11211', 'kv.db', '']) {
      await assert.rejects(openKvStore(uri), { code: 'LOOM_ERR_CONFIG_UNKNOWN_BACKEND' }, uri);
    }
  });

  test('a sqlite URI creates missing parent folders and the store persists in the file', async () => {
    const path = join(dir, 'deep', 'er', 'kv.db');
    const kv = await openKvStore(`sqlite://${path}`);
    await kv.set('k', 'v');
    await kv.close();
    assert.ok(existsSync(path));
    const again = await openKvStore(`sqlite://${path}`);
    assert.equal(await again.get('k'), 'v');
    await again.close();
  });

  test('an unreachable Redis server gives STORAGE_UNREACHABLE within 3.5 s', async () => {
    const started = Date.now();
    await assert.rejects(openKvStore('redis://127.0.0.1:1'), { code: 'LOOM_ERR_STORAGE_UNREACHABLE' });
    assert.ok(Date.now() - started < 3500, `took ${Date.now() - started} ms`);
  });

  test('a malformed Redis URI gives CONFIG_INVALID', async () => {
    for (const uri of ['redis://127.0.0.1:6379/fifteen', 'redis://127.0.0.1:6379/15?namespace=x', `redis://127.0.0.1:6379/15?prefix=${'p'.repeat(257)}`]) {
      await assert.rejects(openKvStore(uri), { code: 'LOOM_ERR_CONFIG_INVALID' }, uri);
    }
  });

  test('Redis prefixes keep workspaces apart', { skip: await serviceSkip('redis') }, async () => {
    const base = `${SERVICES.redis.uri}?prefix=loomtest:${RUN}:`;
    const a = await openKvStore(`${base}a:`);
    const b = await openKvStore(`${base}b:`);
    try {
      await a.set('same', 'from a');
      await b.set('same', 'from b');
      assert.equal(await a.get('same'), 'from a');
      assert.equal(await b.get('same'), 'from b');
      assert.deepEqual(await a.scan(''), ['same']);
      assert.equal(await b.delete(['same']), 1);
      assert.equal(await a.get('same'), 'from a');
      assert.equal(await a.delete(['same']), 1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
