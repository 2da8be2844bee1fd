import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ingestDataset } from '../data/ingest/ingest-dataset.js';
import { Workspace } from '../storage/workspace.js';
import { predictToFile } from './predict-to-file.js';
import { trainModel } from './train-model.js';

const home = mkdtempSync(join(tmpdir(), 'loom-predict-'));
const ws = Workspace.open({ overrides: { home } });
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

test('scoring in small batches gives exactly the rows and scores of one batch, ids included, in input order', async () => {
  const lines = ['id,x,c,y'];
  for (let i = 0; i < 2500; i++) lines.push(`u${i},${(i * 37) % 101},${['a', 'b', 'c'][i % 3]},${(i * 37) % 101 > 50 ? 1.5 * i : -i}`);
  const csv = join(home, 'rows.csv');
  writeFileSync(csv, `${lines.join('\n')}\n`);
  await ingestDataset(ws, { path: csv, name: 'rows', tags: 'id=id,y=target' });
  const { modelDir } = await trainModel(ws, { data: 'rows', target: 'y', params: { num_iterations: 5, min_data_in_leaf: 5 }, out: join(home, 'model') });
  const one = await predictToFile(ws, { modelDir, input: 'rows', output: join(home, 'one.csv') });
  const many = await predictToFile(ws, { modelDir, input: 'rows', output: join(home, 'many.csv'), batchRows: 333 });
  const fromFile = await predictToFile(ws, { modelDir, input: csv, output: join(home, 'file.csv'), batchRows: 1000 });
  assert.deepEqual(one.columns, ['row', 'id', 'prediction']);
  assert.equal(many.rows, 2500);
  const text = readFileSync(join(home, 'one.csv'), 'utf8');
  assert.equal(readFileSync(join(home, 'many.csv'), 'utf8'), text);
  // A raw file carries no tags, so it has no id column; the scores are the same.
  const scores = (t: string) => t.trim().split('\n').map((l) => { const f = l.split(','); return `${f[0]},${f.at(-1)}`; });
  assert.deepEqual(fromFile.columns, ['row', 'prediction']);
  assert.deepEqual(scores(readFileSync(join(home, 'file.csv'), 'utf8')), scores(text));
  const rows = text.trim().split('\n');
  assert.deepEqual(rows.slice(1, 3).map((r) => r.split(',').slice(0, 2).join(',')), ['0,u0', '1,u1']);
  assert.equal(rows.at(-1)!.split(',').slice(0, 2).join(','), '2499,u2499');
  await assert.rejects(predictToFile(ws, { modelDir, input: 'rows', output: join(home, 'x.csv'), batchRows: 0 }), { code: 'LOOM_ERR_TRAINING_INVALID_OPTION' });
});
