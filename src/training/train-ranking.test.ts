import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { categoryColumn, floatColumn, intColumn } from '../core/frame/index.js';
import { ingestDataset } from '../data/ingest/ingest-dataset.js';
import { Workspace } from '../storage/workspace.js';
import { evaluatePredictions } from './evaluate-predictions.js';
import { inferTask } from './model-task.js';
import { predictToFile } from './predict-to-file.js';
import { trainModel } from './train-model.js';

const home = mkdtempSync(join(tmpdir(), 'loom-ranking-'));
const ws = Workspace.open({ overrides: { home } });
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

test('inferTask: objective lambdarank on a numeric target is a ranking task; on text it is an error', () => {
  assert.deepEqual(inferTask(intColumn('rel', [0, 2, 1]), 'lambdarank'), { task: 'ranking', classes: null });
  assert.throws(() => inferTask(categoryColumn('rel', ['a', 'b']), 'lambdarank'), { code: 'LOOM_ERR_MODEL_TARGET_INVALID' });
});

test('evaluatePredictions for ranking: NDCG@k per query of the group column, rows with no target left out', () => {
  // Query 7: scores rank labels 1, 0 (a missing-target row between them is skipped) → NDCG@1 = 1.
  // Query 8: scores rank labels 0, 2 → DCG@1 0 → 0; DCG@3 = 3/log2 3, best 3.
  const m = evaluatePredictions(
    { task: 'ranking', classes: null },
    floatColumn('rel', [1, null, 0, 0, 2]),
    Float64Array.from([0.9, 0.5, 0.1, 0.8, 0.2]),
    intColumn('q', [7, 7, 7, 8, 8]),
  );
  assert.deepEqual(Object.keys(m), ['rows', 'rows_skipped', 'ndcg@1', 'ndcg@3', 'ndcg@5', 'ndcg@10']);
  assert.equal(m.rows, 4);
  assert.equal(m.rows_skipped, 1);
  assert.equal(m['ndcg@1'], 0.5);
  assert.ok(Math.abs(m['ndcg@3'] - (1 + 1 / Math.log2(3)) / 2) < 1e-15);
  assert.throws(() => evaluatePredictions({ task: 'ranking', classes: null }, floatColumn('rel', [1, 0]), Float64Array.from([1, 0])), { code: 'LOOM_ERR_GBDT_GROUP_MISSING' });
});

test('trainModel with objective lambdarank and group_column: ranking task, held-out NDCG, raw-score predictions', async () => {
  const lines = ['qid,x,noise,rel'];
  for (let q = 0; q < 120; q++) for (let d = 0; d < 6; d++) {
    const x = ((q * 31 + d * 17) % 97) / 97;
    lines.push(`q${q},${x.toFixed(4)},${((q * 7 + d * 13) % 11) / 11},${Math.min(3, Math.floor(x * 4))}`);
  }
  const csv = (name: string, from: number, to: number): string => {
    const path = join(home, `${name}.csv`);
    writeFileSync(path, `${[lines[0], ...lines.slice(1 + from * 6, 1 + to * 6)].join('\n')}\n`);
    return path;
  };
  await ingestDataset(ws, { path: csv('rank-train', 0, 90), name: 'rank-train' });
  await ingestDataset(ws, { path: csv('rank-valid', 90, 120), name: 'rank-valid' });
  const result = await trainModel(ws, { data: 'rank-train', valid: 'rank-valid', target: 'rel', objective: 'lambdarank', params: { query_column: 'qid', num_iterations: 20, min_data_in_leaf: 5 }, out: join(home, 'model') });
  assert.equal(result.task, 'ranking');
  assert.equal(result.metricsOn, 'valid');
  assert.equal(result.metrics.rows, 180);
  // x decides the label, so the model orders every held-out query perfectly.
  assert.equal(result.metrics['ndcg@10'], 1);
  assert.equal(result.manifest.params.group_column, 'qid');
  assert.equal(result.manifest.params.objective, 'lambdarank');
  assert.deepEqual(result.manifest.outputSignature, { task: 'ranking', outputs: [{ name: 'score', type: 'float' }] });
  const model = readFileSync(join(result.modelDir, 'model.txt'), 'utf8');
  assert.match(model, /\nobjective=lambdarank\n/);
  const scored = await predictToFile(ws, { modelDir: result.modelDir, input: 'rank-valid', output: join(home, 'scores.csv') });
  assert.deepEqual(scored.columns, ['row', 'score']);
  const scores = readFileSync(join(home, 'scores.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
  assert.equal(scores.length, 180);
  // Raw scores, not probabilities: some are negative.
  assert.ok(scores.some((s) => s < 0) && scores.some((s) => s > 0));
});
