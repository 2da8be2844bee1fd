// Benchmark: `loom predict <name>@<alias>` (batchPredict: one streaming copy of the CSV to a raw Parquet file, ingest's
// normalization applied per chunk read by row range, one chunk in JS at a time, part files, final Parquet) against a
// raw DuckDB read + write of the same CSV (COPY (SELECT * FROM read_csv_auto(…)) TO '….parquet'), on UCI Adult's
// training file repeated ×8 and ×32 (default; `--copies=8,32,64` for the RESULTS.md table). Each side runs in its own child process, so peak RSS (VmHWM) is
// its own; the model is trained and registered beforehand by the parent, outside the measured processes.
// Run: node --import tsx/esm bench/serving/batch-predict-bench.ts [--copies=8,32] [--chunk-rows=50000]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadAverage, peakRssMb } from '../gbdt/bench-support.js';

const DATASETS = resolve(import.meta.dirname, '../../../shared/datasets');
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const role = arg('role');

interface Figures {
  readonly side: string;
  readonly rows: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}

async function runLoom(home: string, input: string, chunkRows: number): Promise<Figures> {
  const { Workspace } = await import('../../src/storage/workspace.js');
  const { batchPredict } = await import('../../src/serving/batch/index.js');
  const ws = Workspace.open({ overrides: { home } });
  try {
    const start = performance.now();
    const result = await batchPredict(ws, { model: 'adult@champion', input, output: join(home, `loom-${chunkRows}.parquet`), chunkRows });
    const seconds = (performance.now() - start) / 1000;
    return { side: `loom batchPredict, --chunk-rows ${chunkRows}`, rows: result.written, seconds, peakRssMb: peakRssMb() };
  } finally {
    await ws.close();
  }
}

async function runDuckDb(home: string, input: string): Promise<Figures> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  // The same settings as Loom's sessions: 2 threads, 2 GB memory limit, insertion order kept.
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '2GB', preserve_insertion_order: 'true' });
  const connection = await instance.connect();
  try {
    const out = join(home, 'duckdb.parquet');
    const start = performance.now();
    await connection.run(`COPY (SELECT * FROM read_csv_auto('${input}')) TO '${out}' (FORMAT parquet, COMPRESSION zstd)`);
    const seconds = (performance.now() - start) / 1000;
    const rows = Number((await connection.runAndReadAll(`SELECT count(*) FROM read_parquet('${out}')`)).getRows()[0][0]);
    return { side: "raw DuckDB COPY (SELECT * FROM read_csv_auto(…)) TO '….parquet'", rows, seconds, peakRssMb: peakRssMb() };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function prepare(home: string): Promise<void> {
  const { Workspace } = await import('../../src/storage/workspace.js');
  const { ingestDataset } = await import('../../src/data/index.js');
  const { trainModel } = await import('../../src/training/index.js');
  const { ModelRegistry } = await import('../../src/registry/index.js');
  const ws = Workspace.open({ overrides: { home } });
  try {
    await ingestDataset(ws, { path: join(DATASETS, 'adult-train.csv.gz'), name: 'adult-train', tags: 'income=target' });
    const trained = await trainModel(ws, { data: 'adult-train', target: 'income', params: { num_iterations: 50 }, seed: 1, out: join(home, 'models/adult') });
    const registry = await ModelRegistry.open(ws);
    await registry.register({ dir: trained.modelDir, name: 'adult' });
    await registry.setAlias('adult', 'champion', 1);
  } finally {
    await ws.close();
  }
}

if (role !== undefined) {
  const home = arg('home')!;
  const input = arg('input')!;
  const figures = role === 'duckdb' ? await runDuckDb(home, input) : await runLoom(home, input, Number(arg('chunk-rows')));
  process.stdout.write(JSON.stringify(figures));
} else {
  const copies = (arg('copies') ?? '8,32').split(',').map(Number);
  const chunkRows = Number(arg('chunk-rows') ?? 50_000);
  const home = mkdtempSync(join(tmpdir(), 'loom-bench-batch-predict-'));
  try {
    await prepare(home);
    const text = gunzipSync(readFileSync(join(DATASETS, 'adult-train.csv.gz'))).toString('utf8').trimEnd();
    const [header, ...lines] = text.split('\n');
    console.log(`load average before: ${loadAverage()}`);
    for (const n of copies) {
      const input = join(home, `adult-x${n}.csv`);
      writeFileSync(input, `${header}\n${Array.from({ length: n }, () => lines.join('\n')).join('\n')}\n`);
      const child = (which: string, extra: string[] = []): Figures =>
        JSON.parse(execFileSync(process.execPath, ['--import', 'tsx/esm', import.meta.filename, `--role=${which}`, `--home=${home}`, `--input=${input}`, ...extra], { encoding: 'utf8', env: { ...process.env, LOOM_NO_PROGRESS: '1' }, maxBuffer: 1 << 20 })) as Figures;
      const duck = child('duckdb');
      const loom = child('loom', [`--chunk-rows=${chunkRows}`]);
      const small = child('loom', [`--chunk-rows=${Math.max(1, Math.floor(chunkRows / 10))}`]);
      console.log(`\ninput: Adult ×${n}, ${(n * lines.length).toLocaleString('en-US')} rows, ${(statSync(input).size / 2 ** 20).toFixed(0)} MiB CSV`);
      for (const f of [loom, small, duck]) {
        console.log(`${f.side}\n  rows ${f.rows}  wall ${f.seconds.toFixed(2)} s  ${Math.round(f.rows / f.seconds).toLocaleString('en-US')} rows/s  peak RSS ${f.peakRssMb.toFixed(0)} MB`);
      }
      console.log(`ratio loom/duckdb: wall ${(loom.seconds / duck.seconds).toFixed(2)}×, peak RSS ${(loom.peakRssMb / duck.peakRssMb).toFixed(2)}×`);
      rmSync(input);
    }
    console.log(`\nload average after: ${loadAverage()}`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
