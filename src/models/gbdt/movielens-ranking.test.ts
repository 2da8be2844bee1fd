import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DATASETS_DIR } from '../../../test/support/gbdt-datasets.js';
import { Random } from '../../core/random.js';
import type { Frame } from '../../core/frame/frame.js';
import { openDuckDb, readFrame, sqlString } from '../../data/index.js';
import { NdcgMetric } from './metric/ranking-metrics.js';
import { predictBatch } from './predict/predict-batch.js';
import { trainGbdt } from './train-gbdt.js';

/**
 * MovieLens 100k as a ranking task: each user is a query, their rated movies the documents, the rating (1–5) the
 * relevance. Users with user_id % 5 = 0 are held out (188 users, 19,008 ratings); the model trains on the users with
 * user_id % 5 = 1 or 2 (a smaller training set keeps the test fast). Features: the movie's genres and release year, the
 * user's age and gender, and the movie's rating count and mean over the training users only, so nothing about the
 * held-out users' ratings leaks. Rows are ordered by user, as queries must be contiguous.
 */
async function loadMovielens(): Promise<{ train: Frame; test: Frame }> {
  const session = await openDuckDb({ tempDirectory: join(tmpdir(), 'loom-duckdb'), threads: 1 });
  try {
    const c = session.connection;
    const csv = (name: string): string => sqlString(join(DATASETS_DIR, `movielens-100k-${name}.csv.gz`));
    await c.run(`CREATE TEMP TABLE ratings AS SELECT * FROM read_csv(${csv('ratings')}, header = true)`);
    await c.run(`CREATE TEMP TABLE items AS SELECT * FROM read_csv(${csv('items')}, header = true, quote = '"')`);
    await c.run(`CREATE TEMP TABLE users AS SELECT * FROM read_csv(${csv('users')}, header = true, types = {'zip_code': 'VARCHAR'})`);
    await c.run(`CREATE TEMP TABLE item_stats AS SELECT item_id, count(*)::DOUBLE AS item_count, avg(rating)::DOUBLE AS item_mean
      FROM ratings WHERE user_id % 5 IN (1, 2) GROUP BY item_id`);
    const genres = ['Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'];
    const select = (where: string): string => `SELECT r.user_id::INTEGER AS user_id, r.rating::DOUBLE AS rating,
        s.item_count, s.item_mean, TRY_CAST(right(i.release_date, 4) AS DOUBLE) AS year,
        u.age::DOUBLE AS age, CASE WHEN u.gender = 'F' THEN 1.0 ELSE 0.0 END AS female,
        ${genres.map((g) => `i."${g}"::DOUBLE AS "${g}"`).join(', ')}
      FROM ratings r JOIN items i USING (item_id) JOIN users u USING (user_id) LEFT JOIN item_stats s USING (item_id)
      WHERE ${where} ORDER BY r.user_id, r.item_id`;
    const train = await readFrame(c, select('r.user_id % 5 IN (1, 2)'));
    const test = await readFrame(c, select('r.user_id % 5 = 0'));
    return { train, test };
  } finally {
    session.close();
  }
}

function bounds(frame: Frame): Int32Array {
  const users = frame.column('user_id');
  assert.ok(users.type === 'int');
  const starts: number[] = [];
  for (let i = 0; i < users.length; i++) if (i === 0 || users.values[i] !== users.values[i - 1]) starts.push(i);
  return Int32Array.from([...starts, users.length]);
}

function labels(frame: Frame): Float64Array {
  const rating = frame.column('rating');
  assert.ok(rating.type === 'float');
  return rating.values;
}

test('MovieLens 100k, users as queries: lambdarank beats a random ordering\'s NDCG@10 on held-out users by >= 0.15', async () => {
  const { train, test: holdout } = await loadMovielens();
  assert.deepEqual([train.length, holdout.length], [40049, 19008]);
  const model = trainGbdt(train, { objective: 'lambdarank', group_column: 'user_id', num_iterations: 50, num_leaves: 15, learning_rate: 0.1, min_data_in_leaf: 50, eval_at: '10', seed: 1 }, {
    label: 'rating',
    validSets: [{ name: 'held_out', data: holdout }],
  });
  assert.equal(model.features.some((f) => f.name === 'user_id'), false);
  const q = bounds(holdout);
  const y = labels(holdout);
  const ndcg10 = new NdcgMetric(10, 10, []);
  const modelNdcg = ndcg10.evaluate(predictBatch(model, holdout), y, null, q);
  // The evaluation log of the validation set is the same metric on the same scores.
  assert.equal(model.evalLog.values.held_out['ndcg@10'].at(-1), modelNdcg);
  // A random ordering: the mean over 20 random score vectors.
  const rng = new Random(7);
  let randomNdcg = 0;
  for (let r = 0; r < 20; r++) randomNdcg += ndcg10.evaluate(Float64Array.from(y, () => rng.nextFloat()), y, null, q) / 20;
  // Measured: model 0.7037, random 0.5091 (ordering by the movie's training-user mean rating alone: 0.6969).
  assert.ok(modelNdcg - randomNdcg >= 0.15, `model NDCG@10 ${modelNdcg}, random ${randomNdcg}`);
  assert.ok(modelNdcg >= 0.69, `model NDCG@10 ${modelNdcg}`);
});
