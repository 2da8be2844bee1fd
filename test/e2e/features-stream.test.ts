import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Workspace } from '../../src/storage/workspace.js';
import { assertCodedFailure, loomCli, ROOT } from '../support/loom-cli.js';
import { loomInProcess } from '../support/loom-in-process.js';

// `loom features stream` end to end: drain once (values, a 1h count and a distinct count), a bad event (no join key)
// dead-lettered with its code while the consumer goes on, a follow run stopped by SIGINT, and bad options.

const home = mkdtempSync(join(tmpdir(), 'loom-e2e-features-stream-'));
after(() => rmSync(home, { recursive: true, force: true }));
const loom = loomCli(home);
/**
 * The same CLI in-process (each spawn costs ~1 s of tsx start-up), for apply, the reads of the online store (polled
 * while the follow run works), repeats and coded errors; the first `stream --once` and the follow run are real processes.
 */
const loomHere = loomInProcess(home);
const api = JSON.stringify(join(ROOT, 'src/index.ts'));
writeFileSync(
  join(home, 'loom.config.ts'),
  `import { defineConfig, entity, featureView, streamSource } from ${api};
const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
const clicks = featureView({
  name: 'clicks', entities: [customer], source: streamSource('clicks'), timestamp: 'ts',
  features: { page: 'string' }, aggregations: [{ fn: 'count', window: '1h' }, { fn: 'distinct', column: 'page', window: '1h' }],
});
export default defineConfig({ entities: [customer], views: [clicks] });
`,
);

async function append(events: unknown[]): Promise<void> {
  const ws = Workspace.open({ overrides: { home } });
  try {
    await (await ws.events()).append('clicks', events);
  } finally {
    await ws.close();
  }
}

const AT = '2024-01-01T01:00:00Z';
const get = async () => {
  const run = await loomHere(['features', 'get', 'clicks', '--entity', 'customer_id=1', '--entity', 'customer_id=2', '--at', AT, '--json']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  return run.json().rows.map((r: { values: Record<string, unknown> }) => r.values);
};

test('stream --once drains the log, dead-letters a bad event and goes on; a follow run stops on SIGINT', async () => {
  assert.equal((await loomHere(['features', 'apply', '--json'])).code, 0);
  await append([
    { customer_id: 1, ts: '2024-01-01T00:10:00Z', page: 'home' },
    { ts: '2024-01-01T00:15:00Z', page: 'lost' }, // no join key
    { customer_id: 1, ts: '2024-01-01T00:20:00Z', page: 'cart' },
    { customer_id: 1, ts: '2024-01-01T00:00:00Z', page: 'home' }, // exactly 1h before AT: outside the window, an older value
    { customer_id: 2, ts: '2024-01-01T00:30:00Z', page: 'home' },
  ]);
  const once = await loom(['features', 'stream', '--once', '--json']);
  assert.equal(once.code, 0, once.stdout + once.stderr);
  const body = once.json();
  assert.deepEqual([body.events, body.written, body.skipped, body.aggregates, body.stoppedBy], [5, 3, 1, 2, 'drained']);
  assert.deepEqual(body.skips.map((s: { offset: number; code: string; field: string }) => [s.offset, s.code, s.field]), [[1, 'LOOM_ERR_FEATURES_STREAM_EVENT_INVALID', 'customer_id']]);
  assert.deepEqual(await get(), [
    { page: 'cart', count_1h: 2, page_distinct_1h: 2 },
    { page: 'home', count_1h: 1, page_distinct_1h: 1 },
  ]);
  const ws = Workspace.open({ overrides: { home } });
  try {
    const dead = await (await ws.events()).read('features.dead-letter', 0, 10);
    assert.deepEqual(dead.map((d) => [(d.data as { offset: number }).offset, (d.data as { code: string }).code, (d.data as { event: unknown }).event]), [[1, 'LOOM_ERR_FEATURES_STREAM_EVENT_INVALID', { ts: '2024-01-01T00:15:00Z', page: 'lost' }]]);
  } finally {
    await ws.close();
  }

  // Again: nothing new. --from-beginning replays without counting anything twice.
  const again = await loomHere(['features', 'stream', '--once', '--json']);
  assert.deepEqual([again.json().events, again.json().aggregates], [0, 0]);
  const replay = await loomHere(['features', 'stream', 'clicks', '--once', '--from-beginning', '--json']);
  assert.deepEqual([replay.json().events, replay.json().aggregates], [5, 0]);
  assert.deepEqual((await get())[0], { page: 'cart', count_1h: 2, page_distinct_1h: 2 });

  // Follow mode: a new event is applied while the command runs; SIGINT stops it with a summary.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx/esm'), join(ROOT, 'src/cli/main.ts'), 'features', 'stream', '--poll-ms', '20', '--json'], {
    cwd: home,
    env: { ...process.env, LOOM_HOME: home, LOOM_NO_PROGRESS: '1' },
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  await append([{ customer_id: 2, ts: '2024-01-01T00:40:00Z', page: 'search' }]);
  const deadline = Date.now() + 30_000;
  while ((await get())[1].page !== 'search') {
    assert.ok(Date.now() < deadline, 'the follow run did not apply the event within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual((await get())[1], { page: 'search', count_1h: 2, page_distinct_1h: 2 });
  child.kill('SIGINT');
  assert.equal(await exited, 0);
  const summary = JSON.parse(stdout);
  assert.deepEqual([summary.events, summary.stoppedBy], [1, 'signal']);

  assertCodedFailure(await loomHere(['features', 'stream', 'nope', '--once', '--json']), 'LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST');
  assertCodedFailure(await loomHere(['features', 'stream', '--poll-ms', '0', '--json']), 'LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST');
});
