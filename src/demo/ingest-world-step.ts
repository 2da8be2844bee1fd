import { ingestDataset } from '../data/ingest/ingest-dataset.js';
import { LoomError } from '../core/errors/index.js';
import type { DemoContext, DemoStep } from './demo-step.js';

/** Dataset names the demo ingests the world files as, by role. */
export const DEMO_DATASETS = Object.freeze({ customers: 'churn-customers', events: 'churn-events', labels: 'churn-labels' });

/**
 * Step 2: ingests customers, events and labels as datasets, with the tags and timestamp columns the world manifest
 * gives (`email` pii, so it is pseudonymized; ids; the `churned` target). The ground truth is not ingested.
 */
export const ingestWorldStep: DemoStep = Object.freeze({
  name: 'ingest',
  title: 'ingest customers, events and labels',
  async run(ctx: DemoContext) {
    const world = ctx.state.world;
    if (world === undefined) throw new LoomError('CORE_INTERNAL', { problem: 'the ingest step needs the generate step before it' });
    const roles = ['customers', 'events', 'labels'] as const;
    for (const role of roles) {
      const file = world.manifest.files[role];
      const result = await ingestDataset(
        ctx.ws,
        { path: world.paths[role], name: DEMO_DATASETS[role], tags: file.tags, timestamp: file.timestamp, env: ctx.env, description: `synthetic churn world: ${file.description}` },
        ctx.progress(),
      );
      ctx.report.datasets = [
        ...ctx.report.datasets,
        { role, name: result.dataset, version: result.version, rows: result.rows, columns: result.columns, created: result.created },
      ];
    }
    ctx.report.next = [...ctx.report.next, 'loom data list', `loom data show ${DEMO_DATASETS.customers}`, `loom data profile ${DEMO_DATASETS.labels}`];
  },
});
