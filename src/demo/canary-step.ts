import { LoomError } from '../core/errors/index.js';
import { loadDatasetFrame } from '../data/versions/load-dataset-frame.js';
import { experimentReport, type ExperimentReport } from '../deployment/reports/experiment-report.js';
import { TrafficRouter } from '../deployment/routing/traffic-router.js';
import { DeploymentStore } from '../deployment/store/deployment-store.js';
import { DeploymentStrategy } from '../deployment/strategies/deployment-strategy.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { ModelRepository } from '../serving/model-repository.js';
import { createServingApp } from '../serving/serving-app.js';
import type { DemoContext, DemoStep } from './demo-step.js';
import { DEMO_MODEL } from './register-models-step.js';
import { DEMO_TARGET } from './training-table-builder.js';

/** Customers scored in the replayed day (at most; the current period may hold fewer). */
export const DEMO_CANARY_REQUESTS = 1500;
/** Requests in flight at once during the replay. */
const CONCURRENCY = 8;
/** The canary the demo runs: three steps, each needing 100 canary requests, held to an error budget and a latency p99. */
export const DEMO_CANARY = Object.freeze({
  kind: 'canary',
  steps: [10, 50, 100],
  min_requests: 100,
  guardrails: { error_rate: { max: 0.02, budget: 5 }, latency_p99: { max_ms: 250, min_samples: 100 } },
});

/** What the canary step reports. */
export interface DemoCanary {
  readonly url: string;
  readonly requests: number;
  readonly errors: number;
  readonly replayMs: number;
  readonly experiment: ExperimentReport;
}

/**
 * Step 11 (canary): serves the churn model on 127.0.0.1 (a free port) with a deployment router, deploys a canary of
 * the GBDT against the baseline (steps 10% → 50% → 100%, guardrails on errors and p99 latency), and replays a day
 * of traffic over HTTP: each customer of the current period is scored once (unit = customer id), and its true churn
 * label is posted to /v1/feedback as the delayed outcome. The controller advances (or rolls back) the canary as the
 * requests arrive; the step ends by shutting the server down and reporting the experiment, including each arm's
 * Brier score and log loss against the true labels.
 */
export const canaryStep: DemoStep = Object.freeze({
  name: 'canary',
  title: 'serve, canary the GBDT on a replayed day of traffic, report the experiment',
  async run(ctx: DemoContext) {
    const table = ctx.report.training?.tables.find((t) => t.period === 'current');
    const baseline = ctx.report.models.find((m) => m.role === 'baseline')?.registry;
    const gbdt = ctx.report.models.find((m) => m.role === 'gbdt')?.registry;
    if (table === undefined || baseline == null || gbdt == null) throw new LoomError('CORE_INTERNAL', { problem: 'the canary step needs the features, train and register steps before it' });
    const registry = await ModelRegistry.open(ctx.ws);
    const signature = (await registry.version(DEMO_MODEL, gbdt.version)).signature.input.columns.map((c) => c.name);
    const { frame } = await loadDatasetFrame(ctx.ws, `${table.dataset}@${table.version}`);
    const rows = frame.slice(0, Math.min(DEMO_CANARY_REQUESTS, frame.length)).select([...new Set(['customer_id', DEMO_TARGET, ...signature])]).toRecords();

    const store = new DeploymentStore((await ctx.ws.metadata()).db);
    const deployment = await store.create({ model: DEMO_MODEL, strategy: DeploymentStrategy.create(DEMO_CANARY), versions: [baseline.version, gbdt.version], actor: registry.principal.name, reason: 'loom demo: canary of the GBDT on a replayed day' });
    const repository = new ModelRepository({ registry });
    await repository.serve(`${DEMO_MODEL}@champion`);
    const router = await TrafficRouter.open({ store, actor: registry.principal.name, refreshMs: 0 });
    const app = createServingApp({ repository, deployments: router });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const bar = ctx.progress();
    bar?.start(rows.length, 'replaying a day of traffic');
    const started = performance.now();
    let errors = 0;
    let done = 0;
    const outcomes: { request_id: string; outcome: string; value: number; timestamp: string }[] = [];
    try {
      let next = 0;
      const worker = async () => {
        while (next < rows.length) {
          const row = rows[next++];
          const record = Object.fromEntries(signature.map((name) => [name, row[name] ?? null]));
          const res = await fetch(`${url}/v1/models/${DEMO_MODEL}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: [record], unit_id: String(row.customer_id) }) });
          const body = (await res.json()) as { request_id?: string };
          if (res.status !== 200 || body.request_id === undefined) errors++;
          else outcomes.push({ request_id: body.request_id, outcome: DEMO_TARGET, value: row[DEMO_TARGET] === true ? 1 : 0, timestamp: new Date().toISOString() });
          bar?.update(++done);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      // The labels arrive later, in one batch, acknowledged once stored.
      for (let i = 0; i < outcomes.length; i += 5000) {
        const res = await fetch(`${url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcomes: outcomes.slice(i, i + 5000) }) });
        if (res.status !== 200) throw new LoomError('CORE_INTERNAL', { problem: `feedback was refused (${res.status}): ${await res.text()}` });
      }
    } finally {
      bar?.stop();
      await app.close();
    }
    const replayMs = Math.round(performance.now() - started);
    const experiment = await experimentReport(store, (await store.get(deployment.id))!, Date.now(), { outcome: DEMO_TARGET });
    const report: DemoCanary = { url, requests: rows.length, errors, replayMs, experiment };
    ctx.report.canary = report;
    ctx.report.next = [...ctx.report.next, `loom experiments report ${deployment.id} --outcome ${DEMO_TARGET}`, `loom deploy status ${DEMO_MODEL}`];
  },
});
