// A server under load for serving-bench.ts, in its own process so the load generator does not share its event loop.
// Usage: node --import tsx/esm bench/serving/serve-target.ts <loom|bare|minimal> <model-dir> <response-file> [--max-batch-size N --max-wait-ms T] [--no-direct] [--prediction-log <sqlite-file>] [--features <workspace-home> --kv-uri <uri>]
// `loom`: the Loom serving app on Fastify (V2 + Loom protocol, metrics, validation; prediction log off), with its direct
// routes in front of Fastify unless --no-direct is given. With --prediction-log, every prediction is logged (async
// acknowledgement, all requests sampled) to a SQLite event log in that file. With --features, it serves the workspace's registered model
// `churn` (champion) with its features read from the workspace's online store (`entities` requests).
// `bare`: a bare node:http server that reads the body and answers the same precomputed JSON (the ceiling of
// node:http on this machine: no parsing, no validation, no model).
// `minimal`: a node:http server doing only what any model server must for one /v1 record: JSON.parse of the body,
// RowScorer (the 100-tree walk) and the answer from a template; no validation errors, metrics, routing or logging.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ModelRegistry } from '../../src/registry/index.js';
import { ModelRepository, OnlineFeatureEnrichment, PredictionLog, RowScorer, createServingApp } from '../../src/serving/index.js';
import { openEventLog } from '../../src/storage/events/index.js';
import { Workspace } from '../../src/storage/workspace.js';

const [mode, modelDir, responseFile] = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};

if (mode === 'bare') {
  const body = readFileSync(responseFile, 'utf8');
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
} else if (mode === 'minimal') {
  const repository = new ModelRepository();
  await repository.addDirectory('adult', modelDir);
  const served = await repository.get('adult', {});
  const scorer = RowScorer.forModel(served.model)!;
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { records: unknown[] };
      const out = scorer.score(body.records[0])!;
      const id = randomUUID();
      const text = `{"request_id":"${id}","model":{"name":"adult","version":"1","alias":null,"hash":"${served.modelHash}"},"predictions":[{"p_>50K":${out[0]}}],"errors":[]}`;
      res.writeHead(200, { 'x-request-id': id, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
} else {
  const features = process.argv.includes('--features') ? process.argv[process.argv.indexOf('--features') + 1] : null;
  const kvUri = process.argv.includes('--kv-uri') ? process.argv[process.argv.indexOf('--kv-uri') + 1] : undefined;
  const ws = features === null ? null : Workspace.open({ overrides: { home: features, ...(kvUri === undefined ? {} : { kvUri }) } });
  const repository = ws === null ? new ModelRepository() : new ModelRepository({ registry: await ModelRegistry.open(ws) });
  if (ws === null) await repository.addDirectory('adult', modelDir);
  else await repository.serve('churn@champion');
  const featureStore = ws === null ? null : await OnlineFeatureEnrichment.open(ws);
  const logFile = process.argv.includes('--prediction-log') ? process.argv[process.argv.indexOf('--prediction-log') + 1] : null;
  const predictionLog = logFile === null ? null : new PredictionLog(await openEventLog(`sqlite://${logFile}`));
  const app = createServingApp({ repository, featureStore, predictionLog, batching: { maxBatchSize: arg('max-batch-size', 1), maxWaitMs: arg('max-wait-ms', 0) }, directRoutes: !process.argv.includes('--no-direct') });
  process.stdout.write(`${await app.listen({ port: 0 })}\n`);
}
process.on('SIGTERM', () => process.exit(0));
