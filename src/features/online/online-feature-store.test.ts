import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SERVICES, serviceSkip } from '../../../test/support/services.js';
import { isLoomError, type LoomError } from '../../core/errors/index.js';
import { connectJetStream } from '../../storage/events/nats/jetstream-connection.js';
import { parseNatsUri } from '../../storage/events/nats/nats-event-log.js';
import { Workspace } from '../../storage/workspace.js';
import { defineConfig } from '../definitions/define-config.js';
import { entity } from '../definitions/entity.js';
import { fileSource, streamSource } from '../definitions/feature-source.js';
import { featureView } from '../definitions/feature-view.js';
import { applyFeatures } from '../registry/apply-features.js';
import { featureFreshness } from './feature-freshness.js';
import { materializeFeatures } from './materialize-features.js';
import { getOnlineFeatures, OnlineFeatureStore } from './online-feature-store.js';
import { RedisOnlineStore } from './redis-online-store.js';
import { runStreamUpdates, type StreamUpdateStats } from './stream-updater.js';

const home = mkdtempSync(join(tmpdir(), 'loom-online-'));
const natsNamespaces: string[] = [];
after(async () => {
  rmSync(home, { recursive: true, force: true });
  if (natsNamespaces.length > 0) {
    const port = await connectJetStream(SERVICES.nats.uri, parseNatsUri(SERVICES.nats.uri).url);
    try {
      const owners = natsNamespaces.map((ns) => parseNatsUri(`${SERVICES.nats.uri}?namespace=${ns}`).names);
      for (const { name } of await port.listStreams()) if (owners.some((o) => o.owns(name))) await port.deleteStream(name);
    } finally {
      await port.close();
    }
  }
});

const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    if (isLoomError(err)) return err.code;
    throw err;
  }
  return 'no error';
}

describe('getOnlineFeatures: bad input', () => {
  const dir = join(home, 'bad');
  const ws = Workspace.open({ overrides: { home: dir } });
  after(() => ws.close());
  const ready = (async () => {
    writeFileSync(join(home, 'bad.csv'), 'customer_id,ts,spend,item\n1,2024-01-01T00:00:00Z,10,x\n');
    const view = featureView({
      name: 'spend', entities: [customer], source: fileSource(join(home, 'bad.csv')), timestamp: 'ts', features: { spend: 'float' },
      aggregations: [{ fn: 'sum', column: 'spend', window: '1d' }],
    });
    await applyFeatures(ws, defineConfig({ entities: [customer], views: [view] }));
    await materializeFeatures(ws, { end: Date.parse('2024-01-02T00:00:00Z') });
  })();

  test('a value is read back with its event time; a one-shot read opens and closes the store', async () => {
    await ready;
    const res = await getOnlineFeatures(ws, { entities: [{ customer_id: 1 }, { customer_id: '1' }, { customer_id: 1n }], features: ['spend:spend'], now: Date.parse('2024-01-02T00:00:00Z') });
    assert.deepEqual(res.rows.map((r) => [r.values.spend, r.statuses.spend, r.eventTimestamps.spend?.toISOString()]), Array(3).fill([10, 'PRESENT', '2024-01-01T00:00:00.000Z']));
  });
  test('an unknown feature ref is LOOM_ERR_FEATURES_UNKNOWN_FEATURE', async () => {
    await ready;
    assert.equal(await codeOf(() => getOnlineFeatures(ws, { entities: [{ customer_id: 1 }], features: ['spend:spned'] })), 'LOOM_ERR_FEATURES_UNKNOWN_FEATURE');
  });
  test('a malformed ref is LOOM_ERR_FEATURES_INVALID_REF', async () => {
    await ready;
    assert.equal(await codeOf(() => getOnlineFeatures(ws, { entities: [{ customer_id: 1 }], features: ['spend'] })), 'LOOM_ERR_FEATURES_INVALID_REF');
  });
  test('a window aggregate is read as of the request time: the Jan 1 00:00 row leaves the 1d window at Jan 2 00:00', async () => {
    await ready;
    const at = async (iso: string) => (await getOnlineFeatures(ws, { entities: [{ customer_id: 1 }, { customer_id: 2 }], features: ['spend:spend_sum_1d'], now: Date.parse(iso) })).rows.map((r) => [r.values.spend_sum_1d, r.statuses.spend_sum_1d]);
    assert.deepEqual(await at('2024-01-01T12:00:00Z'), [[10, 'PRESENT'], [0, 'NOT_FOUND']]);
    assert.deepEqual(await at('2024-01-02T00:00:00Z'), [[0, 'PRESENT'], [0, 'NOT_FOUND']]);
  });
  test('an entity without the join key is LOOM_ERR_FEATURES_ENTITY_KEY_MISSING', async () => {
    await ready;
    assert.equal(await codeOf(() => getOnlineFeatures(ws, { entities: [{ customer_id: 1 }, { id: 2 }], features: ['spend:spend'] })), 'LOOM_ERR_FEATURES_ENTITY_KEY_MISSING');
  });
  test('a key of the wrong type is LOOM_ERR_FEATURES_ONLINE_INVALID_KEY', async () => {
    await ready;
    assert.equal(await codeOf(() => getOnlineFeatures(ws, { entities: [{ customer_id: 'seven' }], features: ['spend:spend'] })), 'LOOM_ERR_FEATURES_ONLINE_INVALID_KEY');
    assert.equal(await codeOf(() => getOnlineFeatures(ws, { entities: [{ customer_id: 1.5 }], features: ['spend:spend'] })), 'LOOM_ERR_FEATURES_ONLINE_INVALID_KEY');
  });
  test('entities that are not an array are LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST', async () => {
    await ready;
    assert.equal(await codeOf(() => getOnlineFeatures(ws, { entities: { customer_id: 1 } as never, features: ['spend:spend'] })), 'LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST');
  });
  test('materialize with both start and incremental, or start after end, is LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST', async () => {
    await ready;
    assert.equal(await codeOf(() => materializeFeatures(ws, { start: 0, incremental: true })), 'LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST');
    assert.equal(await codeOf(() => materializeFeatures(ws, { start: 10, end: 5 })), 'LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST');
  });
  test('materializing an unknown view is LOOM_ERR_FEATURES_UNKNOWN_FEATURE', async () => {
    await ready;
    assert.equal(await codeOf(() => materializeFeatures(ws, { views: ['nope'] })), 'LOOM_ERR_FEATURES_UNKNOWN_FEATURE');
  });
  test('freshness reports the last materialized time, the high-water mark and the lag in ms', async () => {
    await ready;
    const [f] = await featureFreshness(ws, { now: Date.parse('2024-01-02T01:00:00Z') });
    assert.equal(f.view, 'spend');
    assert.equal(f.highWaterMark, Date.parse('2024-01-02T00:00:00Z'));
    assert.equal(f.lagMs, 3_600_000);
    assert.equal(f.rows, 2, 'one latest-value row and one aggregate state');
    assert.ok(typeof f.lastMaterializedAt === 'number' && Math.abs(f.lastMaterializedAt - Date.now()) < 60_000);
  });
});

describe('Redis unreachable during a read', () => {
  test('a Redis that stops answering fails the read with LOOM_ERR_STORAGE_UNREACHABLE within the command timeout', async () => {
    // A server that answers the connection handshake (HELLO, CLIENT SETINFO) and the opening PING, then goes
    // silent: the read must time out, not hang.
    let silent = false;
    const server: Server = createServer((socket) => {
      socket.on('data', (data) => {
        if (silent) return;
        for (const m of data.toString().matchAll(/\*\d+\r\n\$\d+\r\n([A-Za-z]+)\r\n/g)) {
          const command = m[1].toUpperCase();
          socket.write(command === 'HELLO' ? '%1\r\n$5\r\nproto\r\n:3\r\n' : command === 'PING' ? '+PONG\r\n' : '+OK\r\n');
          if (command === 'PING') silent = true;
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const store = await RedisOnlineStore.open(`redis://127.0.0.1:${port}/0`, { commandTimeoutMs: 300 });
    try {
      const started = Date.now();
      assert.equal(await codeOf(() => store.read('v@1', ['[1]'], ['x'])), 'LOOM_ERR_STORAGE_UNREACHABLE');
      assert.ok(Date.now() - started < 3000, `failed after ${Date.now() - started} ms`);
    } finally {
      await store.close();
      server.close();
    }
  });
  test('a Redis that is down when opening is LOOM_ERR_STORAGE_UNREACHABLE', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    assert.equal(await codeOf(() => RedisOnlineStore.open(`redis://127.0.0.1:${port}/0`)), 'LOOM_ERR_STORAGE_UNREACHABLE');
  });
});

// Streaming on both event logs (SQLite, NATS JetStream) and both online stores (SQLite, Redis).
const STREAM_SETUPS = [
  { name: 'sqlite events, sqlite online', skip: async (): Promise<string | false> => false, events: () => undefined, kv: () => undefined },
  {
    name: 'nats events, redis online',
    skip: async (): Promise<string | false> => (await serviceSkip('nats')) || (await serviceSkip('redis')),
    events: () => {
      const ns = `t${randomBytes(6).toString('hex')}`;
      natsNamespaces.push(ns);
      return `${SERVICES.nats.uri}?namespace=${ns}`;
    },
    kv: () => `${SERVICES.redis.uri}?prefix=test-stream-${randomBytes(4).toString('hex')}:`,
  },
];

for (const setup of STREAM_SETUPS) {
  describe(`stream updates: ${setup.name}`, async () => {
    const skip = await setup.skip();

    test('events update the online store within seconds; bad events are skipped, counted and coded; batch and stream race to the newest', { skip }, async () => {
      const events = setup.events();
      const kvUri = setup.kv();
      const ws = Workspace.open({ overrides: { home: join(home, randomBytes(4).toString('hex')), ...(events ? { eventsUri: events } : {}), ...(kvUri ? { kvUri } : {}) } });
      const stop = new AbortController();
      // Awaited after abort, so the updater's last poll ends before the event log closes under it.
      let running: Promise<unknown> | null = null;
      const online = await OnlineFeatureStore.open(ws, { registryCacheMs: 0 });
      try {
        const view = featureView({ name: 'clicks', entities: [customer], source: streamSource('clicks'), timestamp: 'ts', createdTimestamp: '_logged_at', features: { last_page: 'string', n: 'int' }, ttl: '1h' });
        // The race runs on a stream of valid events only: batch materialization stages a stream the way offline
        // retrieval does, which refuses a stream holding a zone-less time or an uncastable value as a whole.
        const visits = featureView({ name: 'visits', entities: [customer], source: streamSource('visits'), timestamp: 'ts', features: { n: 'int' } });
        const log = await ws.events();
        await log.append('clicks', [{ customer_id: 1, ts: '2024-01-01T00:00:00Z', last_page: 'home', n: 1 }]);
        await log.append('visits', [{ customer_id: 10, ts: '2024-01-01T00:00:00Z', n: -1 }]);
        await applyFeatures(ws, defineConfig({ entities: [customer], views: [view, visits] }));

        const skipped: LoomError[] = [];
        let latest: StreamUpdateStats = { events: 0, written: 0, skipped: 0, aggregates: 0 };
        running = runStreamUpdates(ws, { signal: stop.signal, pollMs: 50, onSkip: (err) => skipped.push(err), onBatch: (s) => (latest = s) });
        const now = Date.parse('2024-01-01T00:30:00Z');
        const read = async (id: number) => (await online.get({ entities: [{ customer_id: id }], features: ['clicks:last_page', 'clicks:n'], now })).rows[0];
        const waitFor = async (what: () => Promise<boolean>) => {
          const deadline = Date.now() + 5000;
          while (!(await what())) {
            if (Date.now() > deadline) throw new Error('the online store was not updated within 5 s');
            await new Promise((r) => setTimeout(r, 25));
          }
        };
        await waitFor(async () => (await read(1)).values.last_page === 'home');

        await log.append('clicks', [
          { ts: '2024-01-01T00:05:00Z', last_page: 'no key' },
          { customer_id: 2, ts: '2024-01-01 00:05:00', last_page: 'naive time' },
          { customer_id: 2, ts: '2024-01-01T00:05:00Z', last_page: 'cart', n: 'x' },
          { customer_id: 2, ts: '2024-01-01T00:06:00Z', last_page: 'cart', n: 2 },
        ]);
        await waitFor(async () => (await read(2)).values.last_page === 'cart');
        assert.deepEqual(skipped.map((e) => [e.code, e.details?.offset, e.details?.field]), [
          ['LOOM_ERR_FEATURES_STREAM_EVENT_INVALID', 1, 'customer_id'],
          ['LOOM_ERR_FEATURES_STREAM_EVENT_INVALID', 2, 'ts'],
          ['LOOM_ERR_FEATURES_STREAM_EVENT_INVALID', 3, 'n'],
        ]);
        assert.deepEqual(await read(2), { values: { last_page: 'cart', n: 2 }, statuses: { last_page: 'PRESENT', n: 'PRESENT' }, eventTimestamps: { last_page: new Date('2024-01-01T00:06:00Z'), n: new Date('2024-01-01T00:06:00Z') } });

        // The race: newer events stream in while a batch materialization of an older window (and a full one) runs.
        const newer = Array.from({ length: 50 }, (_, i) => ({ customer_id: 10 + (i % 5), ts: new Date(Date.parse('2024-01-01T00:10:00Z') + i * 1000).toISOString(), n: i }));
        await Promise.all([
          log.append('visits', newer.slice(0, 25)).then(() => log.append('visits', newer.slice(25))),
          materializeFeatures(ws, { views: ['visits'], end: Date.parse('2024-01-01T00:10:10Z') }),
          materializeFeatures(ws, { views: ['visits'], end: Date.parse('2024-01-01T01:00:00Z') }),
        ]);
        // An older window again after the stream has written newer values: nothing regresses.
        await materializeFeatures(ws, { views: ['visits'], start: Date.parse('2023-12-31T00:00:00Z'), end: Date.parse('2024-01-01T00:10:20Z') });
        await waitFor(async () => latest.events === 56);
        const res = await online.get({ entities: [10, 11, 12, 13, 14].map((customer_id) => ({ customer_id })), features: ['visits:n'], now });
        assert.deepEqual(res.rows.map((r) => r.values.n), [45, 46, 47, 48, 49]);
        assert.equal(latest.skipped, 3);
        // TTL online, at a later request time: 1 h after the last event the value is withheld.
        const late = await online.get({ entities: [{ customer_id: 2 }], features: ['clicks:n'], now: Date.parse('2024-01-01T01:06:00.001Z') });
        assert.deepEqual([late.rows[0].values.n, late.rows[0].statuses.n], [null, 'OUTSIDE_TTL']);
      } finally {
        stop.abort();
        await running?.catch(() => undefined);
        await online.close();
        await ws.close();
      }
    });
  });
}
