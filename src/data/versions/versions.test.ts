import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Workspace } from '../../storage/workspace.js';
import { ingestDataset } from '../ingest/ingest-dataset.js';
import { readTableFile } from '../ingest/read-table-file.js';
import { splitDataset } from '../splits/split-dataset.js';
import { listDatasets, listVersions } from './list-datasets.js';
import { loadDatasetFrame } from './load-dataset-frame.js';
import { resolveVersion } from './resolve-version.js';

const root = mkdtempSync(join(tmpdir(), 'loom-versions-'));
const workspaces: Workspace[] = [];
after(async () => {
  await Promise.all(workspaces.map((ws) => ws.close()));
  rmSync(root, { recursive: true, force: true });
});

function workspace(name: string): Workspace {
  const ws = Workspace.open({ overrides: { home: join(root, name) } });
  workspaces.push(ws);
  return ws;
}

function file(name: string, text: string): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}

const CSV = 'id,city,amount,when\n1,Oslo,2.5,2024-01-01\n2,Rome,3,2024-01-02\n3,Oslo,,2024-01-03\n4,Oslo,7.25,2024-01-04\n';

test('identical content gives the same id and the same blob in any workspace; re-ingest stores nothing', async () => {
  const a = workspace('a');
  const b = workspace('b');
  const path = file('sales.csv', CSV);
  const first = await ingestDataset(a, { path, name: 'sales', timestamp: 'when' });
  const other = await ingestDataset(b, { path, name: 'sales', timestamp: 'when' });
  assert.equal(first.created, true);
  assert.equal(other.version, first.version, 'deterministic Parquet bytes, so the same id');
  assert.equal(other.details.blobHash, first.details.blobHash);
  const again = await ingestDataset(a, { path, name: 'sales', timestamp: 'when' });
  assert.deepEqual([again.version, again.created], [first.version, false]);
  assert.equal((await listVersions(a, 'sales')).length, 1);
  assert.deepEqual(first.details.source.kind === 'file' && first.details.source.options.timestamp, 'when');
});

test('resolveVersion by name, full id and prefix; coded errors otherwise', async () => {
  const ws = workspace('resolve');
  const { version } = await ingestDataset(ws, { path: file('r.csv', CSV), name: 'r' });
  assert.equal((await resolveVersion(ws, 'r')).id, version);
  assert.equal((await resolveVersion(ws, `r@${version}`)).id, version);
  assert.equal((await resolveVersion(ws, `r@${version.slice(0, 6)}`)).id, version);
  await assert.rejects(resolveVersion(ws, 'nope'), { code: 'LOOM_ERR_DATA_DATASET_NOT_FOUND' });
  await assert.rejects(resolveVersion(ws, `r@${version.slice(0, 5)}`), { code: 'LOOM_ERR_DATA_VERSION_NOT_FOUND' });
  await assert.rejects(resolveVersion(ws, 'r@000000000000'), { code: 'LOOM_ERR_DATA_VERSION_NOT_FOUND' });
});

test('loadDatasetFrame returns what readTableFile reads, with tags and category dictionaries', async () => {
  const ws = workspace('load');
  const path = file('l.csv', CSV);
  await ingestDataset(ws, { path, name: 'l', timestamp: 'when', tags: 'city=sensitive' });
  const { frame, version } = await loadDatasetFrame(ws, 'l');
  const direct = await readTableFile(path, { timestamp: 'when', tags: 'city=sensitive' });
  assert.deepEqual(frame.toRecords(), direct.toRecords());
  assert.deepEqual(frame.column('city').tags, ['sensitive']);
  assert.deepEqual(version.schema.columns.map((c) => c.type), ['int', 'category', 'float', 'timestamp']);
  const subset = await loadDatasetFrame(ws, 'l', { columns: ['amount', 'id'] });
  assert.deepEqual(subset.frame.toRecords(0, 1), [{ amount: 2.5, id: 1 }]);
  await assert.rejects(loadDatasetFrame(ws, 'l', { columns: ['nope'] }), { code: 'LOOM_ERR_FRAME_COLUMN_NOT_FOUND' });
});

test('columns named like members of Object.prototype ingest, tag and append like any other', async () => {
  const ws = workspace('proto-names');
  const path = file('p.csv', 'valueOf,constructor,toString\n1,a,x\n2,b,y\n');
  await ingestDataset(ws, { path, name: 'p', tags: 'constructor=sensitive' });
  await ingestDataset(ws, { path, name: 'p', append: true, tags: 'toString=sensitive' });
  const { frame } = await loadDatasetFrame(ws, 'p');
  assert.deepEqual(frame.columns.map((c) => [c.name, c.tags]), [['valueOf', []], ['constructor', ['sensitive']], ['toString', ['sensitive']]]);
  assert.deepEqual(frame.toRecords().map((r) => [r.valueOf, r.constructor, r.toString]), [[1, 'a', 'x'], [2, 'b', 'y'], [1, 'a', 'x'], [2, 'b', 'y']]);
});

test('append: parent link, rows in order, inherited tags; a failure mid-ingest leaves no version', async () => {
  const ws = workspace('append');
  const base = await ingestDataset(ws, { path: file('p1.csv', 'email,n\na@x.io,1\nb@x.io,2\n'), name: 'people', tags: 'email=pii', env: { LOOM_PII_KEY: 'k' } });
  const next = await ingestDataset(ws, { path: file('p2.csv', 'email,n\nc@x.io,3\n'), name: 'people', append: true, env: { LOOM_PII_KEY: 'k' } });
  assert.equal(next.details.parentId, base.version);
  const { frame } = await loadDatasetFrame(ws, 'people');
  assert.deepEqual(frame.toRecords().map((r) => r.n), [1, 2, 3]);
  assert.match(String(frame.toRecords()[2].email), /^[0-9a-f]{64}$/, 'the appended pii column is pseudonymized too');

  const failing = ingestDataset(ws, {
    path: file('p3.csv', 'email,n\nd@x.io,4\n'),
    name: 'people',
    append: true,
    env: { LOOM_PII_KEY: 'k' },
    profile: async () => {
      throw new Error('profile failed');
    },
  });
  await assert.rejects(failing, /profile failed/);
  assert.equal((await listVersions(ws, 'people')).length, 2);
  assert.equal((await resolveVersion(ws, 'people')).id, next.version, 'latest unchanged');
  const fresh = ingestDataset(ws, { path: file('p4.csv', 'a\n1\n'), name: 'never', profile: async () => Promise.reject(new Error('boom')) });
  await assert.rejects(fresh, /boom/);
  assert.ok(!(await listDatasets(ws)).some((d) => d.name === 'never'));
  assert.deepEqual(readdirSync(join(root, 'append', 'tmp')).filter((f) => f.endsWith('.parquet')), [], 'temp Parquet files removed');
});

test('splitDataset stores each part with its lineage, deterministically', async () => {
  const ws = workspace('split');
  let csv = 'id,g,y\n';
  for (let i = 0; i < 40; i++) csv += `${i},g${i % 8},${i % 4 === 0 ? 'pos' : 'neg'}\n`;
  await ingestDataset(ws, { path: file('s.csv', csv), name: 's', tags: 'y=target' });
  const parts = await splitDataset(ws, 's', { kind: 'group', column: 'g', fractions: [0.75, 0.25], seed: 1 }, ['s-a', 's-b']);
  assert.deepEqual(parts.map((p) => p.rows), [30, 10]);
  const a = await loadDatasetFrame(ws, 's-a');
  const b = await loadDatasetFrame(ws, 's-b');
  const groupsA = new Set(a.frame.toRecords().map((r) => r.g));
  for (const r of b.frame.toRecords()) assert.ok(!groupsA.has(r.g));
  assert.equal(a.version.source.kind, 'split');
  const again = await splitDataset(ws, 's', { kind: 'group', column: 'g', fractions: [0.75, 0.25], seed: 1 }, ['s-a', 's-b']);
  assert.deepEqual(again.map((p) => [p.version, p.created]), parts.map((p) => [p.version, false]));
  await assert.rejects(splitDataset(ws, 's', { kind: 'stratified', column: 'nope', fractions: [0.5, 0.5], seed: 1 }, ['x', 'y']), { code: 'LOOM_ERR_FRAME_COLUMN_NOT_FOUND' });
  await assert.rejects(splitDataset(ws, 's', { kind: 'random', fractions: [0.5, 0.5], seed: 1 }, ['x']), { code: 'LOOM_ERR_DATA_INVALID_SPLIT' });
});
