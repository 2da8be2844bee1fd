import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { assertCodedFailure, loomCli, ROOT } from '../support/loom-cli.js';
import { loomInProcess } from '../support/loom-in-process.js';

// Drives `loom features materialize | get | show` against a fresh LOOM_HOME (SQLite online store), as a child process
// and in-process.

const home = mkdtempSync(join(tmpdir(), 'loom-e2e-features-online-'));
after(() => rmSync(home, { recursive: true, force: true }));
const loom = loomCli(home);
/**
 * The same CLI in-process (each spawn costs ~1 s of tsx start-up), for repeats and coded errors; one real spawn per
 * command stays (materialize, get, and the first coded error).
 */
const loomHere = loomInProcess(home);
const api = JSON.stringify(join(ROOT, 'src/index.ts'));
writeFileSync(join(home, 'stats.csv'), 'customer_id,ts,spend,plan\n1,2024-01-01T00:00:00Z,10,a\n1,2024-01-05T00:00:00Z,20,b\n2,2024-01-02T00:00:00Z,5,c\n');
writeFileSync(
  join(home, 'loom.config.ts'),
  `import { defineConfig, entity, featureView, fileSource } from ${api};
const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
const stats = featureView({
  name: 'customer_stats', entities: [customer], source: fileSource('stats.csv'), timestamp: 'ts',
  features: { spend: 'float', plan: 'string' }, ttl: '3d',
});
export default defineConfig({ entities: [customer], views: [stats] });
`,
);

test('materialize, get and show on the CLI, with --json and coded errors', async () => {
  assert.equal((await loomHere(['features', 'apply', '--json'])).code, 0);

  const first = await loom(['features', 'materialize', '--end', '2024-01-03T00:00:00Z', '--json']);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.deepEqual(first.json().views.map((v: { view: string; rows: number; written: number; highWaterMark: number }) => [v.view, v.rows, v.written, v.highWaterMark]), [['customer_stats', 2, 2, Date.parse('2024-01-03T00:00:00Z')]]);
  const inc = await loomHere(['features', 'materialize', '--incremental', '--end', '2024-01-06T00:00:00Z', '--json']);
  assert.equal(inc.code, 0, inc.stdout + inc.stderr);
  assert.deepEqual(inc.json().views.map((v: { rows: number; start: number }) => [v.rows, v.start]), [[1, Date.parse('2024-01-03T00:00:00Z')]]);

  const got = await loom(['features', 'get', 'customer_stats', '--entity', 'customer_id=1', '--entity', 'customer_id=2', '--entity', 'customer_id=3', '--at', '2024-01-06T00:00:00Z', '--json']);
  assert.equal(got.code, 0, got.stdout + got.stderr);
  const body = got.json();
  assert.deepEqual(body.features, ['spend', 'plan']);
  assert.deepEqual(body.rows.map((r: { values: unknown; statuses: { spend: string } }) => [r.values, r.statuses.spend]), [
    [{ spend: 20, plan: 'b' }, 'PRESENT'],
    [{ spend: null, plan: null }, 'OUTSIDE_TTL'],
    [{ spend: null, plan: null }, 'NOT_FOUND'],
  ]);
  assert.equal(body.rows[0].eventTimestamps.spend, '2024-01-05T00:00:00.000Z');

  const text = await loomHere(['features', 'get', 'customer_stats:plan', '--entity', 'customer_id=1', '--at', '2024-01-06T00:00:00Z']);
  assert.match(text.stdout, /customer_id=1\s+plan\s+b\s+PRESENT\s+2024-01-05T00:00:00.000Z/);

  const show = await loomHere(['features', 'show', 'customer_stats', '--json']);
  assert.equal(show.json().freshness.highWaterMark, Date.parse('2024-01-06T00:00:00Z'));
  assert.equal(show.json().freshness.rows, 3);
  assert.equal(typeof show.json().freshness.lagMs, 'number');

  assertCodedFailure(await loom(['features', 'get', 'customer_stats:nope', '--entity', 'customer_id=1', '--json']), 'LOOM_ERR_FEATURES_UNKNOWN_FEATURE');
  assertCodedFailure(await loomHere(['features', 'get', 'customer_stats', '--entity', 'customer_id', '--json']), 'LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST');
  assertCodedFailure(await loomHere(['features', 'get', 'customer_stats', '--entity', 'id=1', '--json']), 'LOOM_ERR_FEATURES_ENTITY_KEY_MISSING');
  assertCodedFailure(await loomHere(['features', 'materialize', '--start', '2024-01-01', '--json']), 'LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST');
  const failed = await loomHere(['features', 'materialize', 'nope']);
  assert.match(failed.stderr + failed.stdout, /error LOOM_ERR_FEATURES_UNKNOWN_FEATURE/);
});
