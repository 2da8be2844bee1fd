// Benchmark: request throughput and latency of the Loom model server (Fastify) against a bare node:http server that
// returns the same JSON bytes without parsing, validating or predicting (the transport ceiling on this machine).
// Both run in a child process and are driven by autocannon (C keep-alive connections, no pipelining, each sending
// its next request when the previous answer arrives) for D seconds per case, after a 1 s warm-up. Both servers are up
// together and take the load in turns (S slices of D/S seconds each, order ABBA…), so the host's drift falls on both.
// Cases: Loom predict (1 Adult record), V2 infer (1 row, one tensor per column), Loom predict (100 records), and
// Loom predict (1 record) with micro-batching on, and the Redis-enriched cases below. Then the single-record case at a
// fixed 1,000 req/s (autocannon overallRate) for its p95 and p99, the latency a client sees below saturation.
// autocannon runs in a process of its own (load-driver.ts), for Loom and bare alike; on 2 cores it still competes with
// the server for CPU, so read absolute figures as lower bounds and the Loom / bare ratio as the result.
// "Loom 1 record, Fastify path" is the same server with the direct routes off (every request through Fastify).
// "minimal" is not Loom: a node:http server that only parses the body with JSON.parse, scores the record with RowScorer
// and writes the answer from a template, each answer at once (serve-target.ts). It was a ceiling until Loom read plain
// bodies from their bytes and wrote its answers once per event-loop turn; now it shows what a plain hand-written
// server gets on the same host.
// "Loom 1 entity, Redis" sends `{entities: [{customer_id}]}` to a model whose 8 features are read from Redis
// (LOOM_BENCH_REDIS_URI, default redis://127.0.0.1:6379/15, under a prefix removed afterwards); skipped when Redis is
// down. "prediction log" logs every prediction (async acknowledgement) to a SQLite event log. "batching" cases run
// with --max-batch-size 32 and the default --max-wait-ms 0 (a batch is what one event-loop turn read); "batching 2ms"
// waits up to 2 ms for a batch to fill.
// "cpu µs" is the server process's CPU time (user + system, from /proc) per answered request during the measured run.
// Run: node --import tsx/esm bench/serving/serving-bench.ts [--connections 16] [--seconds 5] [--slices 5] [--rate 1000] [--runs 1] [--cases 0,3]
// With LOOM_BENCH_PROF=<dir>, every server process writes a V8 CPU profile there (node --cpu-prof).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { ingestDataset } from '../../src/data/ingest/ingest-dataset.js';
import { loadDatasetFrame } from '../../src/data/versions/load-dataset-frame.js';
import { applyFeatures, buildTrainingSet, defineConfig, entity, featureView, fileSource, materializeFeatures } from '../../src/features/index.js';
import { ModelRegistry } from '../../src/registry/index.js';
import { ModelRepository, OnlineFeatureEnrichment, createServingApp, type ServingApp } from '../../src/serving/index.js';
import { Workspace } from '../../src/storage/workspace.js';
import { trainModel } from '../../src/training/index.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const CONNECTIONS = arg('connections', 16);
const SECONDS = arg('seconds', 5);
/** Turns each side's SECONDS of load is split into (see the cases loop). */
const SLICES = arg('slices', 5);
const FIXED_RATE = arg('rate', 1000);
/** Full passes over every case (one trained model); with more than one, medians per case close the output. */
const RUNS = arg('runs', 1);
/** A subset of the cases by their numbers in the table (0-based, comma-separated), e.g. `--cases 0,3`; all by default. */
const ONLY = process.argv.includes('--cases') ? process.argv[process.argv.indexOf('--cases') + 1].split(',').map(Number) : null;
const ROOT = resolve(import.meta.dirname, '../..');
const DATASETS = process.env.LOOM_DATASETS ?? resolve(ROOT, '../shared/datasets');
const dir = mkdtempSync(join(tmpdir(), 'loom-bench-serving-'));

interface Case {
  readonly name: string;
  readonly path: string;
  readonly body: string;
  /** Extra serve-target arguments for the Loom server (micro-batching). */
  readonly target?: readonly string[];
  /** The server measured against bare: Loom (default), or the minimal server of serve-target.ts. */
  readonly server?: 'loom' | 'minimal';
  /** The app that answers the case's request once (the bare server sends its bytes); the Adult app by default. */
  readonly app?: ServingApp;
}

const REDIS_URI = process.env.LOOM_BENCH_REDIS_URI ?? 'redis://127.0.0.1:6379/15';

/**
 * A workspace whose model `churn` (GBDT, 100 trees over 8 features of one view) reads its features from Redis: 10,000
 * customers materialized under a prefix of their own. Returns the serve-target arguments and an app to make the
 * bare server's answer, or null (with a note) when Redis is unreachable.
 */
async function redisFeatures(): Promise<{ target: string[]; app: ServingApp; close: () => Promise<void> } | null> {
  const home = join(dir, 'features');
  const kvUri = `${REDIS_URI}?prefix=bench-serving-${process.pid}:`;
  const ws = Workspace.open({ overrides: { home, kvUri }, env: {} });
  const stats = ['customer_id,ts,' + Array.from({ length: 8 }, (_, j) => `f${j}`).join(',')];
  const labels = ['customer_id,event_timestamp,churned'];
  for (let c = 0; c < 10_000; c++) {
    const f = Array.from({ length: 8 }, (_, j) => ((c * (j + 3) * 2654435761) % 1000) / 10);
    stats.push(`${c},2024-01-01T00:00:00Z,${f.join(',')}`);
    labels.push(`${c},2024-01-02T00:00:00Z,${f[0] + f[1] > 100 === (c % 7 !== 0) ? 1 : 0}`);
  }
  writeFileSync(join(dir, 'stats.csv'), `${stats.join('\n')}\n`);
  writeFileSync(join(dir, 'labels.csv'), `${labels.join('\n')}\n`);
  const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
  const features = Object.fromEntries(Array.from({ length: 8 }, (_, j) => [`f${j}`, 'float' as const]));
  await applyFeatures(ws, defineConfig({ entities: [customer], views: [featureView({ name: 'stats', entities: [customer], source: fileSource(join(dir, 'stats.csv')), timestamp: 'ts', features })] }));
  await buildTrainingSet(ws, { entities: { path: join(dir, 'labels.csv') }, features: Object.keys(features).map((f) => `stats:${f}`), dataset: 'churn-set', tags: 'churned=target', drop: ['event_timestamp', 'customer_id'] });
  const { modelDir } = await trainModel(ws, { data: 'churn-set', target: 'churned', params: { num_iterations: 100 }, out: join(dir, 'churn-model') });
  const registry = await ModelRegistry.open(ws);
  const { version } = await registry.register({ dir: modelDir, name: 'churn' });
  await registry.setAlias('churn', 'champion', version.version);
  try {
    await materializeFeatures(ws, { end: Date.parse('2024-01-03T00:00:00Z') });
  } catch (err) {
    console.log(`Redis feature cases skipped: ${(err as Error).message}`);
    await ws.close();
    return null;
  }
  const repository = new ModelRepository({ registry });
  await repository.serve('churn@champion');
  const featureStore = await OnlineFeatureEnrichment.open(ws);
  const app = createServingApp({ repository, featureStore });
  return {
    target: ['--features', home, '--kv-uri', kvUri],
    app,
    close: async () => {
      await app.close();
      await featureStore.close();
      const redis = new Redis(REDIS_URI);
      const keys = await redis.keys(`bench-serving-${process.pid}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await ws.close();
    },
  };
}

async function startTarget(mode: 'loom' | 'bare' | 'minimal', modelDir: string, responseFile: string, extra: readonly string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...(process.env.LOOM_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.LOOM_BENCH_PROF] : []), '--import', import.meta.resolve('tsx/esm'), join(import.meta.dirname, 'serve-target.ts'), mode, modelDir, responseFile, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) done(out.trim());
    });
    child.on('exit', (code) => fail(new Error(`target exited with ${code}`)));
  });
  return { url, child };
}

/** One autocannon run in its own process (load-driver.ts); `rate` caps the total request rate (req/s, all connections together) when given. */
async function load(url: string, c: Case, seconds: number, rate?: number): Promise<{ rps: number; requests: number; p50: number; p95: number; p99: number; errors: number }> {
  const bodyFile = join(dir, 'request.json');
  writeFileSync(bodyFile, c.body);
  const args = [new URL(c.path, url).href, bodyFile, String(CONNECTIONS), String(seconds), ...(rate === undefined ? [] : [String(rate)])];
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx/esm'), join(import.meta.dirname, 'load-driver.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  if (code !== 0) throw new Error(`load driver exited with ${code}`);
  return JSON.parse(out.trim()) as { rps: number; requests: number; p50: number; p95: number; p99: number; errors: number };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses, are utime and stime in clock ticks (100 Hz).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The median (the lower middle value for an even count). */
function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
}

/** Slices of one server's load as one measurement: total requests over total time, CPU per request over all requests, the slices' median percentiles. */
function combined(slices: readonly Measured[]): Measured {
  const requests = slices.reduce((sum, m) => sum + m.requests, 0);
  const seconds = slices.reduce((sum, m) => sum + m.requests / m.rps, 0);
  return {
    rps: requests / seconds,
    requests,
    p50: median(slices.map((m) => m.p50)),
    p95: median(slices.map((m) => m.p95)),
    p99: median(slices.map((m) => m.p99)),
    errors: slices.reduce((sum, m) => sum + m.errors, 0),
    cpuUs: slices.reduce((sum, m) => sum + m.cpuUs * m.requests, 0) / requests,
  };
}

type Measured = Awaited<ReturnType<typeof measure>>;

/** A load run with the server's CPU time per answered request in µs: steadier than req/s when the load driver shares the cores. */
async function measure(url: string, pid: number, c: Case, seconds: number): Promise<Awaited<ReturnType<typeof load>> & { cpuUs: number }> {
  const before = cpuSeconds(pid);
  const r = await load(url, c, seconds);
  return { ...r, cpuUs: ((cpuSeconds(pid) - before) / r.requests) * 1e6 };
}

try {
  const ws = Workspace.open({ overrides: { home: join(dir, 'ws') }, env: {} });
  await ingestDataset(ws, { path: join(DATASETS, 'adult-train.csv.gz'), name: 'adult-train', tags: 'income=target' });
  await ingestDataset(ws, { path: join(DATASETS, 'adult-test.csv.gz'), name: 'adult-test', tags: 'income=target' });
  const { modelDir } = await trainModel(ws, { data: 'adult-train', target: 'income', params: { num_iterations: 100 }, out: join(dir, 'model') });
  const { frame } = await loadDatasetFrame(ws, 'adult-test');
  await ws.close();
  const features = frame.columns.map((c) => c.name).filter((n) => n !== 'income');
  const records = frame.select(features).toRecords(0, 100);
  const v2 = { inputs: features.map((name) => ({ name, shape: [1, 1], datatype: typeof records[0][name] === 'string' ? 'BYTES' : 'INT64', data: [records[0][name]] })) };
  const allCases: Case[] = [
    { name: 'Loom predict, 1 record', path: '/v1/models/adult/predict', body: JSON.stringify({ records: records.slice(0, 1) }) },
    { name: 'V2 infer, 1 row', path: '/v2/models/adult/infer', body: JSON.stringify(v2) },
    { name: 'Loom predict, 100 records', path: '/v1/models/adult/predict', body: JSON.stringify({ records }) },
    { name: 'Loom 1 record, Fastify path', path: '/v1/models/adult/predict', body: JSON.stringify({ records: records.slice(0, 1) }), target: ['--no-direct'] },
    { name: 'Loom 1 record, batching 2ms', path: '/v1/models/adult/predict', body: JSON.stringify({ records: records.slice(0, 1) }), target: ['--max-batch-size', '32', '--max-wait-ms', '2'] },
    { name: 'minimal: parse+score, 1 rec', path: '/v1/models/adult/predict', body: JSON.stringify({ records: records.slice(0, 1) }), server: 'minimal' },
    { name: 'Loom 1 record, batching', path: '/v1/models/adult/predict', body: JSON.stringify({ records: records.slice(0, 1) }), target: ['--max-batch-size', '32'] },
    { name: 'Loom 1 record, prediction log', path: '/v1/models/adult/predict', body: JSON.stringify({ records: records.slice(0, 1) }), target: ['--prediction-log', join(dir, 'predictions.db')] },
  ];
  const redis = ONLY === null || ONLY.some((i) => i >= allCases.length) ? await redisFeatures() : null;
  if (redis !== null) {
    const body = JSON.stringify({ entities: [{ customer_id: 4242 }] });
    allCases.push(
      { name: 'Loom 1 entity, Redis', path: '/v1/models/churn/predict', body, target: redis.target, app: redis.app },
      { name: 'Loom 1 entity, Redis, batching', path: '/v1/models/churn/predict', body, target: [...redis.target, '--max-batch-size', '32'], app: redis.app },
    );
  }
  const cases = ONLY === null ? allCases : allCases.filter((_, i) => ONLY.includes(i));
  // The bare server answers each case with the bytes Loom answers it with (request id aside).
  const repository = new ModelRepository();
  await repository.addDirectory('adult', modelDir);
  const app = createServingApp({ repository });
  console.log(`serving bench: Adult GBDT (100 trees), autocannon, ${CONNECTIONS} connections, ${SECONDS} s per side and case in ${SLICES} turns, ${RUNS} run(s)`);
  type Load = Awaited<ReturnType<typeof load>>;
  const perCase = new Map<string, { ours: Measured; bare: Measured }[]>(cases.map((c) => [c.name, []]));
  const perFixed: { ours: Load; bare: Load }[] = [];
  const fixed = allCases[0];
  for (let run = 1; run <= RUNS; run++) {
    console.log(`run ${run}, load average ${loadavg()[0].toFixed(2)}`);
    console.log('case                          loom req/s  p50 ms  p95 ms  p99 ms  cpu µs | bare req/s  p50 ms  p95 ms  p99 ms  cpu µs | loom/bare');
    for (const c of cases) {
      const response = await (c.app ?? app).inject({ method: 'POST', url: c.path, payload: c.body });
      if (response.statusCode !== 200) throw new Error(`${c.name}: ${response.body}`);
      const responseFile = join(dir, 'response.json');
      writeFileSync(responseFile, response.body);
      // Both servers run side by side and take the load in turns, SLICES slices each, in the order ABBA…, so the
      // host's drift (on a shared VM, bare alone moved from 31 to 47 µs of CPU per request between two 5 s runs)
      // falls on both sides alike.
      const ourMode = c.server ?? 'loom';
      const started: ChildProcess[] = [];
      const start = async (...args: Parameters<typeof startTarget>) => {
        const target = await startTarget(...args);
        started.push(target.child);
        return target;
      };
      const slices = { ours: [] as Measured[], bare: [] as Measured[] };
      try {
        const targets = { ours: await start(ourMode, modelDir, responseFile, c.target ?? []), bare: await start('bare', modelDir, responseFile) };
        for (const side of ['ours', 'bare'] as const) await load(targets[side].url, c, 1); // warm-up, discarded
        for (let slice = 0; slice < SLICES; slice++) {
          const order = (slice + run) % 2 === 1 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const);
          for (const side of order) slices[side].push(await measure(targets[side].url, targets[side].child.pid!, c, SECONDS / SLICES));
        }
      } finally {
        for (const child of started) child.kill('SIGTERM');
      }
      const ours = combined(slices.ours);
      const bare = combined(slices.bare);
      perCase.get(c.name)!.push({ ours, bare });
      const f = (r: typeof ours) => `${r.rps.toFixed(0).padStart(10)}  ${r.p50.toFixed(2).padStart(6)}  ${r.p95.toFixed(2).padStart(6)}  ${r.p99.toFixed(2).padStart(6)}  ${r.cpuUs.toFixed(1).padStart(6)}`;
      console.log(`${c.name.padEnd(28)}${f(ours)} |${f(bare)} | ${(ours.rps / bare.rps).toFixed(2)}${ours.errors + bare.errors > 0 ? `  (errors: ${ours.errors}/${bare.errors})` : ''}`);
    }
    // Below saturation: the single-record case at a fixed total rate, p99 in ms.
    const fixedResponse = join(dir, 'response.json');
    writeFileSync(fixedResponse, (await app.inject({ method: 'POST', url: fixed.path, payload: fixed.body })).body);
    const tail: string[] = [];
    const fixedResults = new Map<string, Load>();
    for (const mode of run % 2 === 1 ? (['loom', 'bare'] as const) : (['bare', 'loom'] as const)) {
      const { url, child } = await startTarget(mode, modelDir, fixedResponse);
      try {
        await load(url, fixed, 1, FIXED_RATE);
        const r = await load(url, fixed, SECONDS, FIXED_RATE);
        fixedResults.set(mode, r);
        tail.push(`${mode} ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms${r.errors > 0 ? ` (errors: ${r.errors})` : ''}`);
      } finally {
        child.kill('SIGTERM');
      }
    }
    perFixed.push({ ours: fixedResults.get('loom')!, bare: fixedResults.get('bare')! });
    console.log(`${fixed.name} at a fixed ${FIXED_RATE} req/s: ${tail.join(' | ')}`);
  }
  if (RUNS > 1) {
    const range = (xs: number[], digits: number) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
    console.log(`medians of ${RUNS} runs (min–max), load average now ${loadavg()[0].toFixed(2)}`);
    for (const [name, rs] of perCase) {
      console.log(`${name.padEnd(28)} loom ${range(rs.map((r) => r.ours.rps), 0)} req/s | bare ${range(rs.map((r) => r.bare.rps), 0)} req/s | loom/bare ${range(rs.map((r) => r.ours.rps / r.bare.rps), 2)} | server cpu µs/request loom ${range(rs.map((r) => r.ours.cpuUs), 1)}, bare ${range(rs.map((r) => r.bare.cpuUs), 1)} | loom p50/p95/p99 ms ${(['p50', 'p95', 'p99'] as const).map((q) => median(rs.map((r) => r.ours[q])).toFixed(2)).join('/')}`);
    }
    const p = (side: 'ours' | 'bare', q: 'p50' | 'p95' | 'p99') => range(perFixed.map((r) => r[side][q]), 2);
    console.log(`${fixed.name} at a fixed ${FIXED_RATE} req/s: loom p50 ${p('ours', 'p50')} ms, p95 ${p('ours', 'p95')} ms, p99 ${p('ours', 'p99')} ms | bare p50 ${p('bare', 'p50')} ms, p95 ${p('bare', 'p95')} ms, p99 ${p('bare', 'p99')} ms`);
  }
  await app.close();
  await redis?.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
