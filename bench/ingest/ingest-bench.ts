// Benchmark: `loom data ingest` (ingestDataset) against raw DuckDB read_csv_auto → Parquet on the KDD Cup 99 10%
// file (494,021 rows × 42 columns). Each side runs in its own child process, so peak RSS (VmHWM) is its own.
// Run: node --import tsx/esm bench/ingest/ingest-bench.ts [file]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { peakRssMb } from '../gbdt/bench-support.js';

const FILE = resolve(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : resolve(import.meta.dirname, '../../../shared/datasets/kddcup99-10pct.csv.gz'));
const role = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);

interface Figures {
  readonly side: string;
  readonly rows: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}


async function runLoom(): Promise<Figures> {
  const { Workspace } = await import('../../src/storage/workspace.js');
  const { ingestDataset } = await import('../../src/data/index.js');
  const home = mkdtempSync(join(tmpdir(), 'loom-bench-ingest-'));
  const ws = Workspace.open({ overrides: { home } });
  try {
    const start = performance.now();
    const result = await ingestDataset(ws, { path: FILE, name: 'kdd' });
    const seconds = (performance.now() - start) / 1000;
    return { side: 'loom ingestDataset (read, normalize, schema, parquet, store, profile, commit)', rows: result.rows, seconds, peakRssMb: peakRssMb() };
  } finally {
    await ws.close();
    rmSync(home, { recursive: true, force: true });
  }
}

async function runDuckDb(): Promise<Figures> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const dir = mkdtempSync(join(tmpdir(), 'loom-bench-duckdb-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  try {
    const start = performance.now();
    const out = join(dir, 'x.parquet');
    await connection.run(`COPY (SELECT * FROM read_csv_auto('${FILE}')) TO '${out}' (FORMAT parquet)`);
    const seconds = (performance.now() - start) / 1000;
    const rows = Number((await connection.runAndReadAll(`SELECT count(*) FROM read_parquet('${out}')`)).getRows()[0][0]);
    return { side: "raw DuckDB COPY (SELECT * FROM read_csv_auto(...)) TO 'x.parquet'", rows, seconds, peakRssMb: peakRssMb() };
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (role === 'loom' || role === 'duckdb') {
  const figures = role === 'loom' ? await runLoom() : await runDuckDb();
  process.stdout.write(JSON.stringify(figures));
} else {
  const child = (which: string): Figures =>
    JSON.parse(execFileSync(process.execPath, ['--import', 'tsx/esm', import.meta.filename, FILE, `--role=${which}`], { encoding: 'utf8', env: { ...process.env, LOOM_NO_PROGRESS: '1' } })) as Figures;
  const duck = child('duckdb');
  const loom = child('loom');
  console.log(`file: ${FILE}`);
  for (const f of [loom, duck]) {
    console.log(`${f.side}\n  rows ${f.rows}  wall ${f.seconds.toFixed(2)} s  ${Math.round(f.rows / f.seconds).toLocaleString('en-US')} rows/s  peak RSS ${f.peakRssMb.toFixed(0)} MB`);
  }
  console.log(`ratio loom/duckdb: wall ${(loom.seconds / duck.seconds).toFixed(2)}×, rows/s ${(loom.rows / loom.seconds / (duck.rows / duck.seconds)).toFixed(2)}×, peak RSS ${(loom.peakRssMb / duck.peakRssMb).toFixed(2)}×`);
  console.log('(loom also writes a zstd Parquet, profiles every column and commits metadata; DuckDB only converts.)');
}
