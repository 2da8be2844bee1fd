// Benchmark: getOnlineFeatures latency (p50/p99) and throughput for 1 entity × 20 features and 100 entities × 20
// features, on the SQLite and the Redis online store, beside raw ioredis calls on the same Redis keys (HMGET for one
// entity, a pipeline of 100 HMGETs for 100), in the same run. Loom's read and the raw read alternate call by call so
// machine noise hits both alike. The ratio printed is Loom p99 / raw p99 (target ≤ 1.3).
// Data: --entities (default 10,000) customers with 20 float features each, materialized from a Parquet file.
// Redis: LOOM_BENCH_REDIS_URI (default redis://127.0.0.1:6379/15); skipped with a note when unreachable.
// Run: npm run bench:online-features [-- --entities=10000 --iterations=2000]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Redis } from 'ioredis';
import { applyFeatures, defineConfig, entity, featureView, fileSource, materializeFeatures, OnlineFeatureStore, openOnlineStore, type OnlineStore } from '../../src/features/index.js';
import { Workspace } from '../../src/storage/workspace.js';

const arg = (name: string, fallback: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const ENTITIES = arg('entities', 10_000);
const ITERATIONS = arg('iterations', 2000);
const FEATURES = 20;
const REDIS_URI = process.env.LOOM_BENCH_REDIS_URI ?? 'redis://127.0.0.1:6379/15';

interface Stats {
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const total = samples.reduce((s, v) => s + v, 0);
  return { p50: at(0.5), p99: at(0.99), perSecond: (samples.length / total) * 1000 };
}

const fmt = (s: Stats, rows: number) => `p50 ${s.p50.toFixed(3)} ms  p99 ${s.p99.toFixed(3)} ms  ${s.perSecond.toFixed(0)} calls/s  ${(s.perSecond * rows).toFixed(0)} entity rows/s`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'loom-bench-online-'));
  const prefix = `bench-online-${process.pid}:`;
  try {
    const path = join(dir, 'stats.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const cols = Array.from({ length: FEATURES }, (_, j) => `random() * 100 AS f${j}`).join(', ');
    await connection.run(`SELECT setseed(0.42)`);
    await connection.run(`COPY (SELECT i AS customer_id, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS ts, ${cols} FROM range(${ENTITIES}) t(i)) TO '${path}' (FORMAT parquet)`);
    connection.closeSync();
    const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
    const view = featureView({ name: 'stats', entities: [customer], source: fileSource(path), timestamp: 'ts', features: Object.fromEntries(Array.from({ length: FEATURES }, (_, j) => [`f${j}`, 'float' as const])) });
    const refs = Array.from({ length: FEATURES }, (_, j) => `stats:f${j}`);
    const fields = Array.from({ length: FEATURES }, (_, j) => `f${j}`);
    const now = Date.parse('2025-01-01T00:00:00Z');
    let seed = 7;
    const pick = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % ENTITIES;
    };

    console.log(`online features bench: ${ENTITIES} entities × ${FEATURES} float features, ${ITERATIONS} calls per case; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const backends: { name: string; uri: string }[] = [{ name: 'sqlite', uri: `sqlite://${join(dir, 'kv.db')}` }, { name: 'redis', uri: `${REDIS_URI}?prefix=${prefix}` }];
    for (const backend of backends) {
      const ws = Workspace.open({ overrides: { home: join(dir, backend.name), kvUri: backend.uri } });
      let store: OnlineStore;
      try {
        store = await openOnlineStore(backend.uri);
      } catch (err) {
        console.log(`${backend.name}: skipped (${(err as Error).message})`);
        await ws.close();
        continue;
      }
      let raw: Redis | null = null;
      try {
        await applyFeatures(ws, defineConfig({ entities: [customer], views: [view] }));
        const started = performance.now();
        const m = await materializeFeatures(ws, { store, end: now });
        console.log(`${backend.name}: materialized ${m.views[0].rows} entities in ${((performance.now() - started) / 1000).toFixed(2)} s`);
        const online = await OnlineFeatureStore.open(ws, { store });
        const table = `stats@${m.views[0].version.slice(0, 16)}`;
        if (backend.name === 'redis') {
          raw = new Redis(REDIS_URI, { commandTimeout: 1000, maxRetriesPerRequest: 0, enableOfflineQueue: true });
        }
        for (const batch of [1, 100]) {
          const loomMs: number[] = [];
          const rawMs: number[] = [];
          const iterations = batch === 1 ? ITERATIONS : Math.max(100, Math.floor(ITERATIONS / 4));
          for (let it = -100; it < iterations; it++) {
            const ids = Array.from({ length: batch }, pick);
            const entities = ids.map((customer_id) => ({ customer_id }));
            let t = performance.now();
            const res = await online.get({ entities, features: refs, now });
            const loom = performance.now() - t;
            if (res.rows[0].statuses.f0 !== 'PRESENT') throw new Error('bench data missing');
            if (it >= 0) loomMs.push(loom);
            if (raw !== null) {
              const keys = ids.map((id) => `${prefix}loom:fs:${table}:[${id}]`);
              t = performance.now();
              if (batch === 1) {
                const reply = await raw.hmget(keys[0], '__ts', '__cr', ...fields);
                if (reply[0] === null) throw new Error('raw read missed');
              } else {
                const p = raw.pipeline();
                for (const k of keys) p.hmget(k, '__ts', '__cr', ...fields);
                await p.exec();
              }
              if (it >= 0) rawMs.push(performance.now() - t);
            }
          }
          const l = stats(loomMs);
          console.log(`  ${backend.name} ${String(batch).padStart(3)} entit${batch === 1 ? 'y  ' : 'ies'} × ${FEATURES}: loom ${fmt(l, batch)}`);
          if (raw !== null) {
            const r = stats(rawMs);
            console.log(`  ${backend.name} ${String(batch).padStart(3)} entit${batch === 1 ? 'y  ' : 'ies'} × ${FEATURES}: raw  ${fmt(r, batch)}   p99 ratio loom/raw ${(l.p99 / r.p99).toFixed(2)}  p50 ratio ${(l.p50 / r.p50).toFixed(2)}`);
          }
        }
        await online.close();
        await store.clear(table);
      } finally {
        raw?.disconnect();
        await store.close();
        await ws.close();
      }
    }
    console.log(`load after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
