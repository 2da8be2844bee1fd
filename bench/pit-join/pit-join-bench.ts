// Benchmark: point-in-time retrieval (getHistoricalFeatures → Parquet) against a hand-written DuckDB ASOF query with
// the same semantics (latest row with entity_ts − ttl ≤ event_ts ≤ entity_ts, ties on created time, input order),
// on the same seeded data: 1,000,000 entity rows × 10,000,000 feature rows (100,000 customers, one year).
// Each side runs in its own child process (peak RSS = its own VmHWM), both with 2 threads, memory_limit 2GB and a
// temp directory to spill to. The sides alternate (raw, loom, loom, raw, …) --repeat times each and the best wall time
// of each side is compared, which damps the noise of a shared machine; every run is printed. The parent checks that
// both outputs hold the same rows in the same order.
// Run: npm run bench:pit-join [-- --entities=1000000 --features=10000000 --repeat=2]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { peakRssMb } from '../gbdt/bench-support.js';

const arg = (name: string, fallback: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const ENTITY_ROWS = arg('entities', 1_000_000);
const FEATURE_ROWS = arg('features', 10_000_000);
const SEED = arg('seed', 42);
const REPEAT = Math.max(1, arg('repeat', 2));
const CUSTOMERS = 100_000;
const MEMORY_LIMIT = '2GB';
const role = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
const dir = process.argv.find((a) => a.startsWith('--dir='))?.slice('--dir='.length) ?? '';

interface Figures {
  readonly side: string;
  readonly rows: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}


async function duck(tempDirectory: string) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: MEMORY_LIMIT, temp_directory: tempDirectory, preserve_insertion_order: 'true' });
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  return { connection, close: () => (connection.closeSync(), instance.closeSync()) };
}

/**
 * Seeded data from DuckDB's hash of (row, seed): the same seed gives the same files. Customer ids of entity rows run
 * 10% past the feature rows' range, so some entities have no history; entity times run a month past the feature
 * rows' year; created times trail event times by up to an hour.
 */
async function generate(): Promise<void> {
  const { connection, close } = await duck(join(dir, 'tmp'));
  try {
    const h = (salt: number) => `hash(i, ${SEED}, ${salt})`;
    await connection.run(`COPY (
      SELECT (${h(1)} % ${CUSTOMERS})::BIGINT AS customer_id,
             TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds((${h(2)} % ${365 * 86400})::BIGINT) AS event_ts,
             TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds((${h(2)} % ${365 * 86400})::BIGINT + (${h(3)} % 3600)::BIGINT) AS created_ts,
             (${h(4)} % 1000000)::DOUBLE / 1000 AS spend,
             (${h(5)} % 1000)::BIGINT AS orders,
             'plan_' || (${h(6)} % 20)::VARCHAR AS plan
      FROM range(${FEATURE_ROWS}) t(i)) TO '${join(dir, 'features.parquet')}' (FORMAT parquet)`);
    await connection.run(`COPY (
      SELECT (${h(11)} % ${Math.round(CUSTOMERS * 1.1)})::BIGINT AS customer_id,
             TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds((${h(12)} % ${395 * 86400})::BIGINT) AS event_timestamp,
             (${h(13)} % 2)::INTEGER AS label
      FROM range(${ENTITY_ROWS}) t(i)) TO '${join(dir, 'entities.parquet')}' (FORMAT parquet)`);
  } finally {
    close();
  }
}

async function runLoom(): Promise<Figures> {
  const { Workspace } = await import('../../src/storage/workspace.js');
  const { applyFeatures, defineConfig, entity, featureView, fileSource, getHistoricalFeatures } = await import('../../src/features/index.js');
  const ws = Workspace.open({ overrides: { home: join(dir, 'loom-home') } });
  try {
    const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
    const stats = featureView({
      name: 'customer_stats',
      entities: [customer],
      source: fileSource(join(dir, 'features.parquet')),
      timestamp: 'event_ts',
      createdTimestamp: 'created_ts',
      features: { spend: 'float', orders: 'int', plan: 'string' },
      ttl: '30d',
    });
    await applyFeatures(ws, defineConfig({ entities: [customer], views: [stats] }));
    const start = performance.now();
    const result = await getHistoricalFeatures(ws, {
      entities: { path: join(dir, 'entities.parquet') },
      features: ['customer_stats:spend', 'customer_stats:orders', 'customer_stats:plan'],
      out: join(dir, 'loom.parquet'),
      memoryLimit: MEMORY_LIMIT,
      tempDirectory: join(dir, 'tmp-loom'),
    });
    const seconds = (performance.now() - start) / 1000;
    return { side: 'loom getHistoricalFeatures (validate, resolve refs, ASOF join, TTL, write Parquet)', rows: result.rows, seconds, peakRssMb: peakRssMb() };
  } finally {
    await ws.close();
  }
}

async function runRaw(): Promise<Figures> {
  const { connection, close } = await duck(join(dir, 'tmp-raw'));
  try {
    const start = performance.now();
    const ttl = `to_microseconds(${30 * 86400 * 1_000_000})`;
    await connection.run(`COPY (
      SELECT e.customer_id, e.event_timestamp, e.label,
             CASE WHEN f.event_ts >= e.event_timestamp - ${ttl} THEN f.spend END AS spend,
             CASE WHEN f.event_ts >= e.event_timestamp - ${ttl} THEN f.orders END AS orders,
             CASE WHEN f.event_ts >= e.event_timestamp - ${ttl} THEN f.plan END AS plan
      FROM read_parquet('${join(dir, 'entities.parquet')}', file_row_number = true) e
      ASOF LEFT JOIN (SELECT *, epoch_us(event_ts)::HUGEINT * 18446744073709551616 + epoch_us(created_ts) AS ord FROM read_parquet('${join(dir, 'features.parquet')}')) f
        ON e.customer_id = f.customer_id AND epoch_us(e.event_timestamp)::HUGEINT * 18446744073709551616 + 9223372036854775807 >= f.ord
      ORDER BY e.file_row_number
    ) TO '${join(dir, 'raw.parquet')}' (FORMAT parquet)`);
    const seconds = (performance.now() - start) / 1000;
    const rows = Number((await connection.runAndReadAll(`SELECT count(*) FROM read_parquet('${join(dir, 'raw.parquet')}')`)).getRows()[0][0]);
    return { side: 'raw DuckDB: hand-written ASOF LEFT JOIN with the same TTL and tie rule, ORDER BY input row, COPY to Parquet', rows, seconds, peakRssMb: peakRssMb() };
  } finally {
    close();
  }
}

/** Both outputs, row by row in file order: equal counts, equal matched counts, and an order-sensitive checksum. */
async function compare(): Promise<{ same: boolean; matched: number }> {
  const { connection, close } = await duck(join(dir, 'tmp'));
  try {
    const digest = async (file: string) =>
      (await connection.runAndReadAll(`SELECT count(*)::VARCHAR, count(spend)::VARCHAR, sum(hash(file_row_number, customer_id, event_timestamp, label, spend, orders, plan) % 1000000007)::VARCHAR FROM read_parquet('${join(dir, file)}', file_row_number = true)`)).getRows()[0].map(String);
    const [a, b] = [await digest('loom.parquet'), await digest('raw.parquet')];
    return { same: a.join() === b.join(), matched: Number(a[1]) };
  } finally {
    close();
  }
}

if (role === 'generate') {
  await generate();
} else if (role === 'loom' || role === 'raw') {
  process.stdout.write(JSON.stringify(role === 'loom' ? await runLoom() : await runRaw()));
} else if (role === 'compare') {
  process.stdout.write(JSON.stringify(await compare()));
} else {
  const work = mkdtempSync(join(tmpdir(), 'loom-bench-pit-'));
  const child = (which: string): string =>
    execFileSync(process.execPath, ['--import', 'tsx/esm', import.meta.filename, `--role=${which}`, `--dir=${work}`, `--entities=${ENTITY_ROWS}`, `--features=${FEATURE_ROWS}`, `--seed=${SEED}`], {
      encoding: 'utf8',
      env: { ...process.env, LOOM_NO_PROGRESS: '1' },
      maxBuffer: 1 << 20,
    });
  try {
    const t0 = performance.now();
    child('generate');
    console.log(`data: ${ENTITY_ROWS.toLocaleString('en-US')} entity rows × ${FEATURE_ROWS.toLocaleString('en-US')} feature rows, seed ${SEED} (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (on ${availableParallelism()} cores)`);
    const runs: Record<string, Figures[]> = { raw: [], loom: [] };
    for (let r = 0; r < REPEAT; r++) for (const side of r % 2 === 0 ? ['raw', 'loom'] : ['loom', 'raw']) runs[side].push(JSON.parse(child(side)) as Figures);
    const check = JSON.parse(child('compare')) as { same: boolean; matched: number };
    const best = (side: string): Figures => runs[side].reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const [loom, raw] = [best('loom'), best('raw')];
    for (const side of ['loom', 'raw']) {
      const f = best(side);
      console.log(`${f.side}\n  rows ${f.rows}  best wall ${f.seconds.toFixed(2)} s (runs: ${runs[side].map((x) => x.seconds.toFixed(2)).join(', ')})  peak RSS ${f.peakRssMb.toFixed(0)} MB (runs: ${runs[side].map((x) => x.peakRssMb.toFixed(0)).join(', ')})`);
    }
    console.log(`ratio loom/raw: best wall ${(loom.seconds / raw.seconds).toFixed(2)}× (target ≤ 1.20×), peak RSS ${(Math.max(...runs.loom.map((x) => x.peakRssMb)) / Math.max(...runs.raw.map((x) => x.peakRssMb))).toFixed(2)}×`);
    console.log(`outputs identical: ${check.same ? 'yes' : 'NO'} (${check.matched.toLocaleString('en-US')} rows matched a feature row within the TTL)`);
    console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    if (!check.same) process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
