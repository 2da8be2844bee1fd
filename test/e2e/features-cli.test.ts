import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { assertCodedFailure, loomCli, ROOT } from '../support/loom-cli.js';
import { loomInProcess } from '../support/loom-in-process.js';

// Drives `loom features …` against a fresh LOOM_HOME with a loom.config.ts, as a user runs it: as a child process, and
// in-process for repeats.

const home = mkdtempSync(join(tmpdir(), 'loom-e2e-features-'));
after(() => rmSync(home, { recursive: true, force: true }));
const loom = loomCli(home);
/**
 * The same CLI in-process (each spawn costs ~1 s of tsx start-up), for repeats and coded errors; one real spawn per
 * command stays (apply, list and show in the first test, training-set in the second and the first coded error).
 * Every apply of a changed loom.config.ts is a real process: in one process the config module stays cached under its
 * path (tsx loads a .ts file outside a "type": "module" package as CommonJS, and require ignores the ?mtime query).
 */
const loomHere = loomInProcess(home);
const file = (name: string, text: string): string => {
  writeFileSync(join(home, name), text);
  return join(home, name);
};
const api = JSON.stringify(join(ROOT, 'src/index.ts'));

file('stats.csv', 'customer_id,ts,spend,plan\n1,2024-01-01T00:00:00Z,10,a\n1,2024-01-05T00:00:00Z,20,b\n2,2024-01-02T00:00:00Z,5,c\n');
file('entities.csv', 'customer_id,event_timestamp,amount\n1,2024-01-06T00:00:00Z,40\n2,2024-01-01T00:00:00Z,1\n1,2024-01-02T00:00:00Z,30\n');

function config(extra: { owner?: string; withVisits?: boolean; duplicate?: boolean } = {}): void {
  file(
    'loom.config.ts',
    `import { defineConfig, entity, featureView, fileSource, onDemandView } from ${api};
const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
const stats = featureView({
  name: 'customer_stats', entities: [customer], source: fileSource('stats.csv'), timestamp: 'ts',
  features: { spend: 'float', plan: 'string' }, ttl: '3d', owner: ${JSON.stringify(extra.owner ?? 'ana')},
  aggregations: [{ fn: 'sum', column: 'spend', window: '7d' }],
});
const share = onDemandView({
  name: 'order_share', request: { amount: 'float' }, inputs: ['customer_stats:spend_sum_7d'], features: { share: 'float' },
  transform: (row) => ({ share: row.spend_sum_7d ? (row.amount as number) / (row.spend_sum_7d as number) : null }),
});
export default defineConfig({ entities: [customer], views: [stats, share${extra.duplicate ? ', stats' : ''}] });
`,
  );
}

async function readParquet(path: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
    return reader.getRowsJS().map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v)));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

test('apply prints a Terraform-style plan, list and show describe the registry, a second apply changes nothing', async () => {
  config();
  const apply = await loom(['features', 'apply']);
  assert.equal(apply.code, 0, apply.stderr);
  assert.match(apply.stdout, /^ {2}\+ entity customer$/m);
  assert.match(apply.stdout, /^ {2}\+ view customer_stats {2}version [0-9a-f]{12}\n {6}\+ feature spend: float\n {6}\+ feature plan: string\n {6}\+ aggregation spend_sum_7d: sum\(spend\) over 7d$/m);
  assert.match(apply.stdout, /^ {2}\+ on-demand view order_share {2}version [0-9a-f]{12}$/m);
  assert.match(apply.stdout, /Plan: 3 to add, 0 to change, 0 to remove\.\n\nApplied\.\n$/);

  const list = await loom(['features', 'list', '--json']);
  assert.deepEqual(
    list.json().views.map((v: any) => [v.name, v.kind, v.features, v.ttl]),
    [
      ['customer_stats', 'feature-view', ['spend:float', 'plan:string', 'spend_sum_7d:float'], '3d'],
      ['order_share', 'on-demand-view', ['share:float'], null],
    ],
  );
  const show = await loom(['features', 'show', 'customer_stats', '--json']);
  assert.equal(show.json().spec.source.path, join(home, 'stats.csv'), 'relative paths resolve from the config folder');
  assert.equal(show.json().versions.length, 1);
  const human = await loomHere(['features', 'show', 'customer_stats']);
  assert.match(human.stdout, /^spend_sum_7d\s+float\s+sum\(spend\) over 7d$/m);

  const again = await loomHere(['features', 'apply', '--json']);
  assert.deepEqual([again.json().applied, again.json().plan.add, again.json().plan.change], [false, 0, 0]);
});

test('training-set writes point-in-time features (with an on-demand view) to Parquet in entity order', async () => {
  const out = join(home, 'train.parquet');
  const run = await loom(['features', 'training-set', '--entities', 'entities.csv', '--features', 'customer_stats:spend,customer_stats:spend_sum_7d,order_share:share', '--out', out, '--json']);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(run.json().columns.map((c: any) => c.name), ['customer_id', 'event_timestamp', 'amount', 'spend', 'spend_sum_7d', 'share']);
  assert.deepEqual(await readParquet(out), [
    [1, '2024-01-06T00:00:00.000Z', 40, 20, 30, 40 / 30],
    [2, '2024-01-01T00:00:00.000Z', 1, null, 0, null], // before customer 2's first row
    [1, '2024-01-02T00:00:00.000Z', 30, 10, 10, 3],
  ]);
  const human = await loomHere(['features', 'training-set', '--entities', 'entities.csv', '--features', 'customer_stats:plan', '--out', 'plan.parquet']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^wrote 3 rows × 4 columns to .*plan\.parquet$/m);
});

test('a dataset works as the entity rows', async () => {
  const ingest = await loomHere(['data', 'ingest', 'entities.csv', '--name', 'labels', '--timestamp', 'event_timestamp', '--json']);
  assert.equal(ingest.code, 0, ingest.stderr);
  const run = await loomHere(['features', 'training-set', '--entities', 'labels', '--features', 'customer_stats:plan', '--out', 'ds.parquet', '--json']);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual((await readParquet(join(home, 'ds.parquet'))).map((r) => r.at(-1)), ['b', null, 'a']);
});

test('a changed config shows ~ lines on a dry run, then applies as a new version', async () => {
  config({ owner: 'bo' });
  const dry = await loom(['features', 'apply', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^ {2}~ view customer_stats {2}\(in place\)\n {6}~ owner: "ana" → "bo"$/m);
  assert.match(dry.stdout, /Dry run: nothing applied\.\n$/);
  const list = await loomHere(['features', 'list', '--json']);
  assert.equal(list.json().views[0].owner, 'ana');
  const apply = await loom(['features', 'apply', '--json']);
  assert.deepEqual([apply.json().applied, apply.json().plan.change], [true, 1]);
});

test('bad input: coded errors with close names, missing and broken configs, duplicate views, bad timestamps', async () => {
  const unknown = await loom(['features', 'training-set', '--entities', 'entities.csv', '--features', 'customer_stats:spnd', '--out', 'x.parquet', '--json']);
  assertCodedFailure(unknown, 'LOOM_ERR_FEATURES_UNKNOWN_FEATURE');
  assert.deepEqual(unknown.json().error.details.suggestions, ['customer_stats:spend']);
  const humanUnknown = await loomHere(['features', 'training-set', '--entities', 'entities.csv', '--features', 'customer_stats:spnd', '--out', 'x.parquet']);
  assert.match(humanUnknown.stderr, /^error LOOM_ERR_FEATURES_UNKNOWN_FEATURE: .*Did you mean "customer_stats:spend"\?/m);

  assertCodedFailure(await loomHere(['features', 'apply', '--config', 'nope.ts', '--json']), 'LOOM_ERR_FEATURES_CONFIG_NOT_FOUND');
  file('broken.config.ts', 'export default (;\n');
  assertCodedFailure(await loomHere(['features', 'apply', '--config', 'broken.config.ts', '--json']), 'LOOM_ERR_FEATURES_CONFIG_LOAD_FAILED');
  config({ duplicate: true });
  assertCodedFailure(await loom(['features', 'apply', '--json']), 'LOOM_ERR_FEATURES_DUPLICATE_NAME');
  config();

  file('no-ts.csv', 'customer_id,amount\n1,2\n');
  assertCodedFailure(await loomHere(['features', 'training-set', '--entities', 'no-ts.csv', '--features', 'customer_stats:spend', '--out', 'x.parquet', '--json']), 'LOOM_ERR_FEATURES_ENTITY_TIMESTAMP_MISSING');
  file('naive.csv', 'customer_id,event_timestamp\n1,2024-01-02 00:00:00\n');
  assertCodedFailure(await loomHere(['features', 'training-set', '--entities', 'naive.csv', '--features', 'customer_stats:spend', '--out', 'x.parquet', '--json']), 'LOOM_ERR_FEATURES_NAIVE_TIMESTAMP');
  file('epoch.csv', 'customer_id,event_timestamp\n1,1704153600\n');
  assertCodedFailure(await loomHere(['features', 'training-set', '--entities', 'epoch.csv', '--features', 'customer_stats:spend', '--out', 'x.parquet', '--json']), 'LOOM_ERR_FEATURES_TIMESTAMP_TYPE');
  assertCodedFailure(await loomHere(['features', 'show', 'customer_stat', '--json']), 'LOOM_ERR_FEATURES_VIEW_NOT_FOUND');
});
