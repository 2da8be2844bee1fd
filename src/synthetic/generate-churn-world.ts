import type { Progress } from '../cli/progress.js';
import { aggregateActivity, type ActivityFeatures } from './aggregate-activity.js';
import { churnWorldConfig, type ChurnWorldConfig } from './churn-world-config.js';
import { churnTruth, type ChurnTruth } from './churn-truth.js';
import { dirtyCells, type DirtyCells } from './dirty-cells.js';
import { EventTableBuilder, type EventTable } from './event-table.js';
import { generateCustomers, type CustomerTable } from './generate-customers.js';
import { generateFutureEvents, generateHistoryEvents } from './generate-events.js';
import { generateLabels, type LabelTable } from './generate-labels.js';

/** The ground truth of a world: over everyone, and per observation period (before and from the drift switch). */
export interface WorldTruth {
  readonly all: ChurnTruth;
  readonly reference: ChurnTruth;
  readonly drifted: ChurnTruth;
}

/** A generated world, in memory, as typed arrays. Nothing is written until writeChurnWorld. */
export interface ChurnWorld {
  readonly config: ChurnWorldConfig;
  readonly customers: CustomerTable;
  readonly activity: ActivityFeatures;
  readonly labels: LabelTable;
  readonly events: EventTable;
  readonly dirty: DirtyCells;
  readonly truth: WorldTruth;
}

/**
 * Generates the seeded synthetic churn world: customers, their event history, activity features counted from that
 * history as of each observation date, churn outcomes from the true logistic churn function, the events after the
 * observation date (up to cancellation or the horizon), the dirty cells and the ground-truth summary. Fully
 * deterministic: the same config gives the same arrays, whatever the machine.
 *
 * @throws LOOM_ERR_DATA_SYNTHETIC_CONFIG_INVALID for a bad option (see churnWorldConfig)
 * @example
 * const world = generateChurnWorld({ seed: 42, customers: 5000 });
 * world.truth.reference.expectedAuc; // the best AUC a model can expect before the drift
 */
export function generateChurnWorld(input: unknown = {}, progress?: Progress): ChurnWorld {
  const config = churnWorldConfig(input);
  progress?.start(5, 'generate world');
  try {
    const customers = generateCustomers(config);
    progress?.update(1);
    const builder = new EventTableBuilder();
    generateHistoryEvents(customers, config, builder);
    const history = builder.build();
    progress?.update(2);
    const activity = aggregateActivity(customers, history);
    const labels = generateLabels(customers, activity, config);
    progress?.update(3);
    generateFutureEvents(customers, labels, config, builder);
    const events = builder.build();
    progress?.update(4);
    const dirty = dirtyCells(config);
    const reference = new Uint8Array(customers.length);
    for (let i = 0; i < customers.length; i++) reference[i] = customers.period[i] === 0 ? 1 : 0;
    const drifted = reference.map((r) => 1 - r);
    const truth = {
      all: churnTruth(labels.probability, labels.churned),
      reference: churnTruth(labels.probability, labels.churned, reference),
      drifted: churnTruth(labels.probability, labels.churned, drifted),
    };
    progress?.update(5);
    return { config, customers, activity, labels, events, dirty, truth };
  } finally {
    progress?.stop();
  }
}
