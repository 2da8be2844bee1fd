// Benchmark: experiment tracking on the embedded SQLite metadata store.
//  1. Logging: 100,000 metric points from one process through a run (batched: one transaction per 1000 points),
//     against plain better-sqlite3 insert loops into the same table layout with the same durability settings (WAL,
//     synchronous=FULL): one autocommit INSERT per point (what per-call logging costs), and all points in one
//     transaction (the ceiling of SQLite itself).
//  2. Search: 100,000 runs (10 experiments; params, tags, latest metrics), searchRuns against an equivalent
//     hand-written SQL join returning the same page of ids.
// Run: node --import tsx/esm bench/tracking/tracking-bench.ts [--points 100000] [--runs 100000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Random } from '../../src/core/random.js';
import { openMetadataStore } from '../../src/storage/metadata/index.js';
import { Workspace } from '../../src/storage/workspace.js';
import { searchRuns, startRun } from '../../src/tracking/index.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const POINTS = arg('points', 100_000);
const RUNS = arg('runs', 100_000);
const AUTOCOMMIT_POINTS = Math.min(POINTS, 5000);
const dir = mkdtempSync(join(tmpdir(), 'loom-bench-tracking-'));
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} points/s`;

function openPlain(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table run_metrics (run_id text not null, key text not null, step bigint not null, timestamp bigint not null, value double precision)');
  db.exec('create index run_metrics_by_key on run_metrics (run_id, key, step)');
  return db;
}

async function logging(): Promise<void> {
  const ws = Workspace.open({ overrides: { home: join(dir, 'log') }, env: {} });
  const run = await startRun(ws, { experiment: 'bench', params: { points: POINTS } });
  const t0 = performance.now();
  for (let i = 0; i < POINTS; i++) run.logMetric(i % 2 === 0 ? 'loss' : 'auc', 1 / (i + 1), i >> 1);
  await run.end();
  const loomMs = performance.now() - t0;
  await ws.close();

  const plain = openPlain(join(dir, 'plain-autocommit.db'));
  const insert = plain.prepare('insert into run_metrics (run_id, key, step, timestamp, value) values (?, ?, ?, ?, ?)');
  const t1 = performance.now();
  for (let i = 0; i < AUTOCOMMIT_POINTS; i++) insert.run('r', i % 2 === 0 ? 'loss' : 'auc', i >> 1, Date.now(), 1 / (i + 1));
  const autocommitMs = performance.now() - t1;
  plain.close();

  const one = openPlain(join(dir, 'plain-one-tx.db'));
  const insertOne = one.prepare('insert into run_metrics (run_id, key, step, timestamp, value) values (?, ?, ?, ?, ?)');
  const t2 = performance.now();
  one.transaction(() => {
    for (let i = 0; i < POINTS; i++) insertOne.run('r', i % 2 === 0 ? 'loss' : 'auc', i >> 1, Date.now(), 1 / (i + 1));
  })();
  const oneTxMs = performance.now() - t2;
  one.close();

  const loomRate = POINTS / loomMs;
  console.log(`logging ${POINTS.toLocaleString('en-US')} metric points (SQLite, WAL, synchronous=FULL)`);
  console.log(`  loom run.logMetric + end(), batched:            ${(loomMs / 1000).toFixed(2)} s  ${rate(POINTS, loomMs)} (also maintains latest/min/max per key and the heartbeat)`);
  console.log(`  plain insert loop, one autocommit per point:     ${rate(AUTOCOMMIT_POINTS, autocommitMs)} (measured on ${AUTOCOMMIT_POINTS.toLocaleString('en-US')} points)  ratio loom/plain ${(loomRate / (AUTOCOMMIT_POINTS / autocommitMs)).toFixed(1)}×`);
  console.log(`  plain insert loop, all points in one transaction: ${(oneTxMs / 1000).toFixed(2)} s  ${rate(POINTS, oneTxMs)}  ratio loom/plain ${(loomRate / (POINTS / oneTxMs)).toFixed(2)}×`);
}

async function search(): Promise<void> {
  const path = join(dir, 'search', 'loom.db');
  (await openMetadataStore(`sqlite://${path}`)).close();
  // Populate directly (the bench measures search, not run creation).
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const random = new Random(7);
  const rand = () => random.nextFloat();
  const t0 = performance.now();
  db.transaction(() => {
    const now = Date.UTC(2026, 0, 1);
    const exp = db.prepare('insert into experiments (id, name, description, created_at, updated_at) values (?, ?, ?, ?, ?)');
    for (let e = 0; e < 10; e++) exp.run(`e${e}`, `exp-${e}`, '', now, now);
    const run = db.prepare("insert into runs (id, experiment_id, name, status, status_message, start_time, end_time, heartbeat_at, host, pid, git_sha, git_dirty, seed, system_json) values (?, ?, ?, ?, null, ?, ?, ?, 'bench', 1, null, null, 42, '{}')");
    const param = db.prepare('insert into run_params (run_id, key, value, num_value) values (?, ?, ?, ?)');
    const tag = db.prepare('insert into run_tags (run_id, key, value, num_value) values (?, ?, ?, null)');
    const metric = db.prepare('insert into run_latest_metrics (run_id, key, value, step, timestamp, min_value, max_value, count) values (?, ?, ?, 99, ?, ?, ?, 100)');
    for (let i = 0; i < RUNS; i++) {
      const id = `${(now + i * 1000).toString(16).padStart(12, '0')}${i.toString(16).padStart(20, '0')}`;
      const start = now + i * 1000;
      run.run(id, `e${i % 10}`, `run-${i}`, i % 50 === 0 ? 'failed' : 'finished', start, start + 60_000, start + 60_000);
      const leaves = [15, 31, 63, 127][Math.floor(rand() * 4)];
      const lr = [0.01, 0.05, 0.1][Math.floor(rand() * 3)];
      param.run(id, 'num_leaves', String(leaves), leaves);
      param.run(id, 'learning_rate', String(lr), lr);
      param.run(id, 'optimizer', ['adam', 'sgd', 'lbfgs'][Math.floor(rand() * 3)], null);
      tag.run(id, 'team', ['growth', 'risk', 'search', 'ads', 'core'][Math.floor(rand() * 5)]);
      const auc = 0.7 + rand() * 0.26;
      const loss = 0.2 + rand() * 0.5;
      metric.run(id, 'auc', auc, start, auc - 0.05, auc);
      metric.run(id, 'logloss', loss, start, loss, loss + 0.3);
    }
  })();
  console.log(`\nsearch over ${RUNS.toLocaleString('en-US')} runs (populated in ${((performance.now() - t0) / 1000).toFixed(1)} s; no ANALYZE, as a user's store)`);

  const cases: { name: string; filter: string; orderBy: string[]; experiments?: string[]; pageToken?: number; sql: string; args: unknown[] }[] = [
    {
      name: 'metrics.auc > 0.9 and params.num_leaves = 31, order by auc desc, 50',
      filter: 'metrics.auc > 0.9 and params.num_leaves = 31',
      orderBy: ['metrics.auc desc'],
      sql: "select r.id from runs r join run_latest_metrics m on m.run_id = r.id and m.key = 'auc' join run_params p on p.run_id = r.id and p.key = 'num_leaves' where m.value > 0.9 and p.num_value = 31 order by m.value desc limit 50",
      args: [],
    },
    {
      name: "tags.team = 'growth' and params.learning_rate < 0.1, newest first, 50",
      filter: "tags.team = 'growth' and params.learning_rate < 0.1",
      orderBy: [],
      sql: "select r.id from runs r join run_tags t on t.run_id = r.id and t.key = 'team' join run_params p on p.run_id = r.id and p.key = 'learning_rate' where t.value = 'growth' and p.num_value < 0.1 order by r.start_time desc limit 50",
      args: [],
    },
    {
      name: "experiment exp-3, metrics.auc > 0.95, order by logloss asc, 50",
      filter: 'metrics.auc > 0.95',
      experiments: ['exp-3'],
      orderBy: ['metrics.logloss asc'],
      sql: "select r.id from runs r join run_latest_metrics m on m.run_id = r.id and m.key = 'auc' left join run_latest_metrics o on o.run_id = r.id and o.key = 'logloss' where r.experiment_id = 'e3' and m.value > 0.95 order by o.value asc limit 50",
      args: [],
    },
    {
      name: 'metrics.auc > 0.9595 (rare), newest first, 50',
      filter: 'metrics.auc > 0.9595',
      orderBy: [],
      sql: "select r.id from runs r join run_latest_metrics m on m.run_id = r.id and m.key = 'auc' where m.value > 0.9595 order by r.start_time desc limit 50",
      args: [],
    },
    {
      name: 'all runs, order by auc desc, 50',
      filter: '',
      orderBy: ['metrics.auc desc'],
      sql: "select r.id from runs r left join run_latest_metrics m on m.run_id = r.id and m.key = 'auc' order by m.value desc limit 50",
      args: [],
    },
  ];
  const ws = Workspace.open({ overrides: { home: join(dir, 'search') }, env: {} });
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const c of cases) {
    const loomTimes: number[] = [];
    const sqlTimes: number[] = [];
    let loomIds: string[] = [];
    let sqlIds: string[] = [];
    const statement = db.prepare(c.sql);
    for (let rep = 0; rep < 8; rep++) {
      const a = performance.now();
      const page = await searchRuns(ws, c.filter, { orderBy: c.orderBy, limit: 50, ...(c.experiments ? { experiments: c.experiments } : {}) });
      const b = performance.now();
      const rows = statement.all(...c.args) as { id: string }[];
      const d = performance.now();
      if (rep === 0) {
        loomIds = page.runs.map((r) => r.id);
        sqlIds = rows.map((r) => r.id);
        continue;
      }
      loomTimes.push(b - a);
      sqlTimes.push(d - b);
    }
    const same = loomIds.length === sqlIds.length && loomIds.every((id, i) => id === sqlIds[i]);
    const l = median(loomTimes);
    const s = median(sqlTimes);
    console.log(`  ${c.name}`);
    console.log(`    loom searchRuns (parse, compile, query, load 50 full records): ${l.toFixed(1)} ms   hand-written SQL (ids only): ${s.toFixed(1)} ms   ratio ${(l / s).toFixed(2)}×   same page: ${same}`);
  }
  await ws.close();
  db.close();
}

try {
  await logging();
  await search();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
