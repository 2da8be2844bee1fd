import { LoomError } from '../core/errors/index.js';
import { splitDataset } from '../data/splits/split-dataset.js';
import type { DemoContext, DemoStep } from './demo-step.js';
import { DEMO_DATASETS } from './ingest-world-step.js';

/** Names of the two periods the customers are split into: before the drift switch, and from it on. */
export const DEMO_PERIODS = Object.freeze({ reference: 'churn-customers-reference', current: 'churn-customers-current' });

/**
 * Step 3: a time split of the customers on `observed_at` at the world's drift date, giving the reference period
 * (what a model would be trained and a suite generated on) and the current period (what production sees later).
 */
export const splitCustomersStep: DemoStep = Object.freeze({
  name: 'split',
  title: 'split customers by time at the drift date',
  async run(ctx: DemoContext) {
    const customers = ctx.report.datasets.find((d) => d.role === 'customers');
    const world = ctx.state.world;
    if (customers === undefined || world === undefined) throw new LoomError('CORE_INTERNAL', { problem: 'the split step needs the generate and ingest steps before it' });
    const cutoff = Date.parse(world.manifest.config.drift.at);
    const parts = await splitDataset(
      ctx.ws,
      `${DEMO_DATASETS.customers}@${customers.version}`,
      { kind: 'time', column: world.manifest.files.customers.timestamp, cutoffs: [cutoff] },
      [DEMO_PERIODS.reference, DEMO_PERIODS.current],
      ctx.progress(),
    );
    const roles = ['reference', 'current'] as const;
    ctx.report.datasets = [
      ...ctx.report.datasets,
      ...parts.map((p, k) => ({ role: roles[k], name: p.dataset, version: p.version, rows: p.rows, columns: customers.columns, created: p.created })),
    ];
    ctx.report.next = [...ctx.report.next, `loom data profile ${DEMO_PERIODS.current}`];
  },
});
