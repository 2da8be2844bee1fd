import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { openEventLog, type EventLog, type EventRecord } from '../../src/storage/events/index.js';
import { connectJetStream } from '../../src/storage/events/nats/jetstream-connection.js';
import { parseNatsUri } from '../../src/storage/events/nats/nats-event-log.js';
import { SERVICES, serviceSkip } from '../support/services.js';

// One test list, run on every EventLog backend. A fixture is a fresh, empty log; `open()` and `uri` reach the same
// log again (from this process or a child), except for the private in-memory SQLite log.

const ROOT = resolve(import.meta.dirname, '../..');
const EVENTS_MODULE = new URL('../../src/storage/events/index.ts', import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), 'loom-events-'));
const natsNamespaces: string[] = [];

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (natsNamespaces.length > 0) await dropNatsNamespaces(natsNamespaces);
});

interface Fixture {
  readonly log: EventLog;
  readonly uri: string;
  /** Another connection to the same log, closed when the test ends. */
  open(): Promise<EventLog>;
}

interface Backend {
  readonly name: string;
  readonly skip: () => Promise<string | false>;
  freshUri(): string;
  /** True when `freshUri()` names a log that other connections and processes can open. */
  readonly shared: boolean;
}

const BACKENDS: readonly Backend[] = [
  { name: 'sqlite (memory)', skip: async () => false, shared: false, freshUri: () => 'sqlite://:memory:' },
  { name: 'sqlite (file)', skip: async () => false, shared: true, freshUri: () => `sqlite://${join(dir, randomBytes(6).toString('hex'), 'events.db')}` },
  {
    name: 'nats',
    skip: () => serviceSkip('nats'),
    shared: true,
    freshUri: () => {
      const namespace = `t${randomBytes(6).toString('hex')}`;
      natsNamespaces.push(namespace);
      return `${SERVICES.nats.uri}?namespace=${namespace}`;
    },
  },
];

for (const backend of BACKENDS) runEventLogConformance(backend);

/** The EventLog contract, as tests, against one backend. */
function runEventLogConformance(backend: Backend): void {
  describe(`event log conformance: ${backend.name}`, async () => {
    const skip = await backend.skip();
    // Tests that open the same log twice are registered only for backends that can: an in-memory SQLite log is
    // private to its one connection, so for it they would have nothing to test.
    const logTest = (name: string, fn: (fx: Fixture) => Promise<void>) => test(name, { skip }, () => withLog(fn));
    const sharedTest = (name: string, fn: (fx: Fixture) => Promise<void>) => {
      if (backend.shared) logTest(name, fn);
    };

    async function withLog(run: (fx: Fixture) => Promise<void>): Promise<void> {
      const uri = backend.freshUri();
      const opened = [await openEventLog(uri)];
      const open = async () => opened[opened.push(await openEventLog(uri)) - 1];
      try {
        await run({ log: opened[0], uri, open });
      } finally {
        await Promise.all(opened.map((log) => log.close()));
      }
    }

    logTest('append then read returns the same JSON values with dense offsets and append-time timestamps', async ({ log }) => {
      const values = [{ a: 1, nested: { list: [1, 'two', null] } }, [1, 2, 3], 'text ünïcødé 🚀', 42.5, null, true, false, 0];
      const before = Date.now();
      assert.deepEqual(await log.append('orders.v1', values), { firstOffset: 0, lastOffset: values.length - 1 });
      const after = Date.now();
      const records = await log.read('orders.v1', 0, 100);
      assert.deepEqual(records.map((r) => r.data), values);
      assert.deepEqual(records.map((r) => r.offset), [0, 1, 2, 3, 4, 5, 6, 7]);
      for (const r of records) {
        assert.ok(Number.isInteger(r.timestamp), 'timestamp is integer epoch ms');
        // NATS stamps with the server clock on this same machine: allow 1 s of skew.
        assert.ok(r.timestamp >= before - 1000 && r.timestamp <= after + 1000, `timestamp ${r.timestamp} not in [${before}, ${after}] ± 1 s`);
      }
      assert.deepEqual(await log.append('orders.v1', [{ b: 2 }]), { firstOffset: 8, lastOffset: 8 });
      assert.equal(await log.length('orders.v1'), 9);
    });

    logTest('reads page in offset order, return [] at the end, and an unknown stream is empty', async ({ log }) => {
      for (let batch = 0; batch < 5; batch++) await log.append('pages', Array.from({ length: 7 }, (_, i) => batch * 7 + i));
      const seen: number[] = [];
      for (let from = 0; ; ) {
        const page = await log.read('pages', from, 10);
        if (page.length === 0) break;
        for (const r of page) {
          assert.equal(r.offset, r.data, 'offset and value agree');
          seen.push(r.offset);
        }
        from = page[page.length - 1].offset + 1;
      }
      assert.deepEqual(seen, Array.from({ length: 35 }, (_, i) => i));
      assert.deepEqual((await log.read('pages', 33, 10)).map((r) => r.data), [33, 34]);
      assert.deepEqual(await log.read('pages', 35, 10), []);
      assert.deepEqual(await log.read('pages', 1000, 10), []);
      assert.deepEqual(await log.read('never-written', 0, 10), []);
      assert.equal(await log.length('never-written'), 0);
      assert.equal(await log.committed('c', 'never-written'), 0);
    });

    logTest('streams() lists non-empty streams sorted, and similar names stay separate', async ({ log }) => {
      assert.deepEqual(await log.streams(), []);
      const names = ['b', 'a.b', 'a-b', 'a_b', 'A', 'z.y.x', 'x'.repeat(128)];
      for (const [i, name] of names.entries()) await log.append(name, Array.from({ length: i + 1 }, () => name));
      await log.read('read-only-stream', 0, 1);
      assert.deepEqual(await log.streams(), [...names].sort());
      for (const [i, name] of names.entries()) {
        assert.equal(await log.length(name), i + 1, name);
        assert.deepEqual((await log.read(name, 0, 100)).map((r) => r.data), Array.from({ length: i + 1 }, () => name));
      }
    });

    logTest('consumer offsets: 0 by default, last commit wins, separate per consumer and stream, bounded by length', async ({ log }) => {
      await log.append('s1', [1, 2, 3]);
      await log.append('s2', [1]);
      assert.equal(await log.committed('monitor', 's1'), 0);
      await log.commit('monitor', 's1', 2);
      await log.commit('monitor.v2', 's1', 3);
      await log.commit('monitor', 's2', 1);
      assert.equal(await log.committed('monitor', 's1'), 2);
      assert.equal(await log.committed('monitor.v2', 's1'), 3);
      assert.equal(await log.committed('monitor', 's2'), 1);
      await log.commit('monitor', 's1', 0);
      assert.equal(await log.committed('monitor', 's1'), 0, 'commits may move back (replay)');
      await log.commit('monitor', 'empty', 0);
      assert.equal(await log.committed('monitor', 'empty'), 0);
      for (const [stream, offset] of [['s1', 4], ['s1', -1], ['s1', 1.5], ['s1', Number.NaN], ['empty', 1]] as const) {
        await assert.rejects(log.commit('monitor', stream, offset), { code: 'LOOM_ERR_EVENTS_INVALID_OFFSET' }, `${stream}@${offset}`);
      }
      assert.equal(await log.committed('monitor', 's1'), 0, 'a rejected commit changes nothing');
    });

    logTest('invalid stream names, consumers, offsets, limits and events give their codes', async ({ log }) => {
      for (const bad of ['', 'a b', 'a/b', 'a*', 'a>', 'ü', 'a~b', 'x'.repeat(129), 7 as unknown as string]) {
        await assert.rejects(log.append(bad, [1]), { code: 'LOOM_ERR_EVENTS_INVALID_STREAM' }, JSON.stringify(bad));
        await assert.rejects(log.read(bad, 0, 1), { code: 'LOOM_ERR_EVENTS_INVALID_STREAM' });
        await assert.rejects(log.length(bad), { code: 'LOOM_ERR_EVENTS_INVALID_STREAM' });
        await assert.rejects(log.commit('c', bad, 0), { code: 'LOOM_ERR_EVENTS_INVALID_STREAM' });
        await assert.rejects(log.committed(bad, 's'), { code: 'LOOM_ERR_EVENTS_INVALID_CONSUMER' });
      }
      for (const bad of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, '0' as unknown as number]) {
        await assert.rejects(log.read('s', bad, 1), { code: 'LOOM_ERR_EVENTS_INVALID_OFFSET' }, String(bad));
      }
      for (const bad of [0, -1, 1.5, 10_001]) await assert.rejects(log.read('s', 0, bad), { code: 'LOOM_ERR_EVENTS_INVALID_ARGUMENT' }, String(bad));
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      for (const bad of [[], [undefined], [() => 1], [1, Symbol('x')], [circular], 'not an array' as unknown as unknown[]]) {
        await assert.rejects(log.append('s', bad), { code: 'LOOM_ERR_EVENTS_INVALID_ARGUMENT' });
      }
      assert.equal(await log.length('s'), 0, 'a rejected append stores nothing');
    });

    sharedTest('two connections appending 200 events each in parallel get 400 distinct dense offsets', async ({ log, open }) => {
      const [a, b] = [await open(), await open()];
      const write = (conn: EventLog, writer: string) => Promise.all(Array.from({ length: 200 }, (_, i) => conn.append('shared', [{ writer, i }])));
      const [ra, rb] = await Promise.all([write(a, 'a'), write(b, 'b')]);
      const offsets = [...ra, ...rb].map((r) => r.firstOffset).sort((x, y) => x - y);
      assert.deepEqual(offsets, Array.from({ length: 400 }, (_, i) => i));
      const all = await readAll(log, 'shared');
      assert.deepEqual(all.map((r) => r.offset), offsets);
      assertWriterOrder(all, ['a', 'b'], 200);
    });

    sharedTest('batches from concurrent appenders keep their order (and stay contiguous when atomicAppend)', async ({ log, open }) => {
      const other = await open();
      const batches = (conn: EventLog, writer: string) =>
        Promise.all(Array.from({ length: 20 }, (_, b) => conn.append('batches', Array.from({ length: 10 }, (_, j) => ({ writer, i: b * 10 + j })))));
      const results = (await Promise.all([batches(log, 'a'), batches(other, 'b')])).flat();
      const all = await readAll(log, 'batches');
      assert.equal(all.length, 400);
      assertWriterOrder(all, ['a', 'b'], 200);
      for (const r of results) {
        const span = r.lastOffset - r.firstOffset + 1;
        if (log.capabilities.atomicAppend) assert.equal(span, 10, 'an atomic append is contiguous');
        else assert.ok(span >= 10, `a batch spans at least its own events (${span})`);
      }
    });

    sharedTest('two processes appending 200 events each at the same moment get 400 distinct dense offsets', async ({ log, uri }) => {
      // Each child opens the log, says "ready", and starts appending only when both are ready and told "go".
      const script = (writer: string) => `const { openEventLog } = await import(${JSON.stringify(EVENTS_MODULE)});
const log = await openEventLog(${JSON.stringify(uri)});
process.stdout.write('ready\\n');
await new Promise((go) => process.stdin.once('data', go));
for (let i = 0; i < 200; i++) await log.append('procs', [{ writer: '${writer}', i }]);
await log.close();
process.exit(0);`;
      const children = [startChild(script('a')), startChild(script('b'))];
      await Promise.all(children.map((c) => c.lines(1)));
      for (const { child } of children) child.stdin.write('go\n');
      for (const { done } of children) {
        const { code, stderr } = await done;
        assert.equal(code, 0, stderr);
      }
      const all = await readAll(log, 'procs');
      assert.deepEqual(all.map((r) => r.offset), Array.from({ length: 400 }, (_, i) => i));
      assertWriterOrder(all, ['a', 'b'], 200);
    });

    sharedTest('events and committed offsets survive close and reopen', async ({ log, open }) => {
      await log.append('kept', [{ n: 1 }, { n: 2 }]);
      await log.commit('reader', 'kept', 1);
      const first = await log.read('kept', 0, 10);
      await log.close();
      const again = await open();
      assert.deepEqual(await again.read('kept', 0, 10), first);
      assert.equal(await again.committed('reader', 'kept'), 1);
      assert.deepEqual(await again.streams(), ['kept']);
      assert.deepEqual(await again.append('kept', [{ n: 3 }]), { firstOffset: 2, lastOffset: 2 });
    });

    sharedTest('every acknowledged append survives SIGKILL of the appending process', async ({ uri, open }) => {
      const script = `const { openEventLog } = await import(${JSON.stringify(EVENTS_MODULE)});
const log = await openEventLog(${JSON.stringify(uri)});
for (let i = 0; ; i++) {
const r = await log.append('crash', [{ i, pad: 'x'.repeat(200) }, { i, second: true }]);
process.stdout.write(r.firstOffset + ' ' + i + '\\n');
}`;
      const appender = startChild(script);
      await appender.lines(150);
      appender.child.kill('SIGKILL');
      assert.equal((await appender.done).signal, 'SIGKILL');
      const acked = appender.complete().map((line) => line.split(' ').map(Number));
      assert.ok(acked.length >= 150, `child acknowledged ${acked.length} appends`);
      const all = await readAll(await open(), 'crash');
      assert.ok(all.length >= acked.length * 2, `${all.length} stored events for ${acked.length} acknowledged appends`);
      for (const [offset, i] of acked) {
        assert.deepEqual(all[offset].data, { i, pad: 'x'.repeat(200) }, `acknowledged event at ${offset}`);
        assert.deepEqual(all[offset + 1].data, { i, second: true });
      }
    });

    logTest('subscribe delivers stored then new events in order, and resolves when aborted', async ({ log }) => {
      assert.equal(log.capabilities.live, true);
      await log.append('live', [0, 1, 2]);
      const stop = new AbortController();
      const got: EventRecord[] = [];
      const onEvent = async (event: EventRecord) => {
        got.push(event);
        if (got.length === 2) await log.append('live', [3, 4]);
        if (got.length === 4) stop.abort();
      };
      const done = log.subscribe('live', 1, onEvent, stop.signal);
      await within(done, 5000, 'subscribe');
      assert.deepEqual(got.map((e) => [e.offset, e.data]), [[1, 1], [2, 2], [3, 3], [4, 4]]);

      const late = new AbortController();
      const later: unknown[] = [];
      const waiting = log.subscribe('not-yet', 0, (e) => void (later.push(e.data) === 2 && late.abort()), late.signal);
      await sleep(150);
      await log.append('not-yet', ['x', 'y']);
      await within(waiting, 5000, 'subscribe to a new stream');
      assert.deepEqual(later, ['x', 'y']);

      const aborted = new AbortController();
      aborted.abort();
      const none: unknown[] = [];
      await log.subscribe('live', 0, (e) => void none.push(e), aborted.signal);
      assert.deepEqual(none, [], 'an already aborted signal delivers nothing');

      const boom = new Error('handler failed');
      const failing = log.subscribe('live', 0, () => Promise.reject(boom), new AbortController().signal);
      await assert.rejects(within(failing, 5000, 'failing subscribe'), (err) => err === boom);
      await assert.rejects(log.subscribe('live', -1, () => undefined, new AbortController().signal), { code: 'LOOM_ERR_EVENTS_INVALID_OFFSET' });
    });

    test('close ends subscriptions, is idempotent, and later calls fail with STORAGE_CLOSED', { skip }, async () => {
      const log = await openEventLog(backend.freshUri());
      await log.append('s', [1]);
      const delivered: unknown[] = [];
      const sub = log.subscribe('s', 0, (e) => void delivered.push(e.data), new AbortController().signal);
      await sleep(150);
      await log.close();
      await within(sub, 5000, 'subscribe after close');
      assert.deepEqual(delivered, [1]);
      await log.close();
      await assert.rejects(log.append('s', [2]), { code: 'LOOM_ERR_STORAGE_CLOSED' });
      await assert.rejects(log.read('s', 0, 1), { code: 'LOOM_ERR_STORAGE_CLOSED' });
      await assert.rejects(log.streams(), { code: 'LOOM_ERR_STORAGE_CLOSED' });
    });
  });
}

describe('openEventLog', async () => {
  test('an unknown scheme gives CONFIG_UNKNOWN_BACKEND', async () => {
    for (const uri of ['kafka://127.0.0.1:9092', 'events.db', '']) {
      await assert.rejects(openEventLog(uri), { code: 'LOOM_ERR_CONFIG_UNKNOWN_BACKEND' }, uri);
    }
  });

  test('an unreachable NATS server gives STORAGE_UNREACHABLE within 3.5 s', async () => {
    const started = Date.now();
    await assert.rejects(openEventLog('nats://127.0.0.1:1'), { code: 'LOOM_ERR_STORAGE_UNREACHABLE' });
    assert.ok(Date.now() - started < 3500, `took ${Date.now() - started} ms`);
  });

  test('a malformed NATS URI gives CONFIG_INVALID', async () => {
    for (const uri of ['nats://127.0.0.1:4222?namespace=has_underscore', 'nats://127.0.0.1:4222?topic=x', 'nats://127.0.0.1:4222/path']) {
      await assert.rejects(openEventLog(uri), { code: 'LOOM_ERR_CONFIG_INVALID' }, uri);
    }
  });

  test('NATS namespaces do not see each other', { skip: await serviceSkip('nats') }, async () => {
    const [one, two] = [BACKENDS[2].freshUri(), BACKENDS[2].freshUri()];
    const [a, b] = await Promise.all([openEventLog(one), openEventLog(two)]);
    try {
      await a.append('same', ['from a']);
      await b.append('same', ['from b', 'again b']);
      await a.commit('c', 'same', 1);
      assert.deepEqual((await a.read('same', 0, 10)).map((r) => r.data), ['from a']);
      assert.deepEqual((await b.read('same', 0, 10)).map((r) => r.data), ['from b', 'again b']);
      assert.equal(await b.committed('c', 'same'), 0);
      assert.deepEqual(await b.streams(), ['same']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

async function readAll(log: EventLog, stream: string): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  for (;;) {
    const page = await log.read(stream, out.length, 1000);
    if (page.length === 0) return out;
    out.push(...page);
  }
}

/** Each writer's events appear once each, in the order that writer appended them. */
function assertWriterOrder(records: readonly EventRecord[], writers: readonly string[], perWriter: number): void {
  for (const writer of writers) {
    const mine = records.map((r) => r.data as { writer: string; i: number }).filter((d) => d.writer === writer);
    assert.deepEqual(mine.map((d) => d.i), Array.from({ length: perWriter }, (_, i) => i), `writer ${writer} in order`);
  }
}

/** Fails instead of hanging when `promise` does not settle within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const timeout = sleep(ms, undefined, { ref: false }).then((): never => assert.fail(`${what} did not finish within ${ms} ms`));
  return Promise.race([promise, timeout]);
}

/** A `node --import tsx/esm` child running `script`; `lines(n)` resolves once it printed n complete lines. */
function startChild(script: string) {
  const child = spawn(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', script], { cwd: ROOT, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((end) => child.on('close', (code, signal) => end({ code, signal, stderr })));
  let exited = false;
  void done.then(() => (exited = true));
  const complete = () => stdout.slice(0, stdout.lastIndexOf('\n') + 1).split('\n').filter((l) => l !== '');
  const lines = async (n: number): Promise<string[]> => {
    for (const started = Date.now(); complete().length < n; await sleep(20)) {
      if (exited || Date.now() - started > 30_000) throw new Error(`child printed ${complete().length} of ${n} lines: ${stderr}`);
    }
    return complete();
  };
  return { child, done, lines, complete };
}

async function dropNatsNamespaces(namespaces: readonly string[]): Promise<void> {
  const { url } = parseNatsUri(SERVICES.nats.uri);
  const port = await connectJetStream(SERVICES.nats.uri, url);
  try {
    const owners = namespaces.map((ns) => parseNatsUri(`${SERVICES.nats.uri}?namespace=${ns}`).names);
    for (const { name } of await port.listStreams()) {
      if (owners.some((o) => o.owns(name))) await port.deleteStream(name);
    }
  } finally {
    await port.close();
  }
}
