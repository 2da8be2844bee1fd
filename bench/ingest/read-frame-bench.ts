// Benchmark: readFrame (raw vector copies into typed arrays) against @duckdb/node-api getColumns() on 500k rows.
// Run: node --import tsx/esm bench/ingest/read-frame-bench.ts
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDb } from '../../src/data/duckdb/duckdb-session.js';
import { readFrame } from '../../src/data/duckdb/read-frame.js';

const session = await openDuckDb({ tempDirectory: join(tmpdir(), 'loom-bench-duckdb') });
const { connection } = session;
await connection.run(
  `CREATE TABLE big AS SELECT random() AS x, CAST(random() * 1000 AS INTEGER) AS n, CAST(random() * 1e12 AS BIGINT) AS b,
     CAST('cat' || (range % 50) AS VARCHAR) AS s, TIMESTAMP '2024-01-01' + to_seconds(range) AS t FROM range(500000)`,
);
const queries = { 'numeric (x, n, b, t)': 'SELECT x, n, b, t FROM big', 'all five incl. VARCHAR': 'SELECT * FROM big' };
const best = async (work: () => Promise<unknown>): Promise<number> => {
  let min = Infinity;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await work();
    min = Math.min(min, performance.now() - start);
  }
  return min;
};
for (const [label, sql] of Object.entries(queries)) {
  const ours = await best(() => readFrame(connection, sql));
  const theirs = await best(async () => (await connection.run(sql)).getColumns());
  console.log(`${label}: readFrame ${ours.toFixed(0)} ms, getColumns ${theirs.toFixed(0)} ms, speed-up ${(theirs / ours).toFixed(1)}× (best of 5, 500,000 rows)`);
}
session.close();
