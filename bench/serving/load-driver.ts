// The load generator of serving-bench.ts, in its own process so it shares no event loop with the bench or a server.
// Usage: node --import tsx/esm bench/serving/load-driver.ts <url> <body-file> <connections> <seconds> [rate]
// Runs autocannon (C keep-alive connections, no pipelining; `rate` caps the total req/s) and prints one JSON line:
// { rps, requests, p50, p95, p99, errors } with latencies in ms from the per-response times (autocannon's own histogram has 1 ms
// resolution).
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, bodyFile, connections, seconds, rate] = process.argv.slice(2);
const instance = autocannon({
  url,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: readFileSync(bodyFile, 'utf8'),
  connections: Number(connections),
  pipelining: 1,
  duration: Number(seconds),
  ...(rate === undefined ? {} : { overallRate: Number(rate) }),
});
const latencies: number[] = [];
instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
  latencies.push(ms);
});
const result = await instance;
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
process.stdout.write(`${JSON.stringify({ rps: result.requests.total / result.duration, requests: result.requests.total, p50: q(0.5), p95: q(0.95), p99: q(0.99), errors: result.errors + result.non2xx })}\n`);
