import type { ActivityFeatures } from './aggregate-activity.js';
import type { ChurnWorldConfig } from './churn-world-config.js';
import { churnLogits, sigmoid } from './churn-model.js';
import { DAY_MS } from './customer-distributions.js';
import { DriftSwitch } from './drift-switch.js';
import type { CustomerTable } from './generate-customers.js';
import { exponential } from './random-variates.js';
import { streamRandom } from './stream-random.js';

/**
 * Churn outcomes and the ground truth behind them, one entry per customer. Times are epoch ms (UTC, whole seconds);
 * the arrays are owned by the table.
 */
export interface LabelTable {
  /** Index of the churn function used (0 reference, 1 drifted); 1 only with concept drift. */
  readonly conceptRegime: Uint8Array;
  /** True churn logit and probability (ground truth: never part of the training data). */
  readonly logit: Float64Array;
  readonly probability: Float64Array;
  /** 1 when the customer cancels within the horizon after observation. */
  readonly churned: Uint8Array;
  /** Cancellation instant, in (observed, observed + horizon]; NaN for customers who stay. */
  readonly churnAt: Float64Array;
  /**
   * When the label becomes known: the cancellation (churners) or the end of the horizon (stayers), plus an
   * exponential delay with mean `labelDelayDays`. Always after the observation date.
   */
  readonly labelAvailableAt: Float64Array;
}

/**
 * Draws each customer's churn outcome from the true logistic churn function (churn-model.ts) of their regime, from
 * the `labels` stream: churned ~ Bernoulli(p), a cancellation time uniform within the horizon, and a late label.
 */
export function generateLabels(customers: CustomerTable, activity: ActivityFeatures, config: ChurnWorldConfig): LabelTable {
  const n = customers.length;
  const rng = streamRandom(config.seed, 'labels');
  const sw = DriftSwitch.fromConfig(config);
  const conceptRegime = new Uint8Array(n);
  for (let i = 0; i < n; i++) conceptRegime[i] = DriftSwitch.conceptRegime(sw, customers.observedAt[i]);
  const logit = churnLogits(customers, activity, conceptRegime, new Float64Array(n));
  const probability = new Float64Array(n);
  const churned = new Uint8Array(n);
  const churnAt = new Float64Array(n);
  const labelAvailableAt = new Float64Array(n);
  const horizonMs = config.horizonDays * DAY_MS;
  for (let i = 0; i < n; i++) {
    const obs = customers.observedAt[i];
    const p = sigmoid(logit[i]);
    probability[i] = p;
    const churn = rng.nextFloat() < p;
    // Whole seconds in [1 s, horizon], so a cancellation is always strictly after the observation.
    const cancelAt = obs + 1000 + Math.floor((rng.nextFloat() * (horizonMs - 1000)) / 1000) * 1000;
    churned[i] = churn ? 1 : 0;
    churnAt[i] = churn ? cancelAt : Number.NaN;
    const known = churn ? cancelAt : obs + horizonMs;
    labelAvailableAt[i] = known + Math.floor((exponential(rng, config.labelDelayDays) * DAY_MS) / 1000) * 1000;
  }
  return { conceptRegime, logit, probability, churned, churnAt, labelAvailableAt };
}
