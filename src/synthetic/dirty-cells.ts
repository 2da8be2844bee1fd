import type { ChurnWorldConfig } from './churn-world-config.js';
import { streamRandom } from './stream-random.js';

/**
 * Cells of customers.csv that are dirtied on purpose, as 0/1 masks (one entry per customer, owned by the caller):
 * blank `region`, `age` and `monthly_charges` cells, and `plan` values padded with spaces. The ground truth and
 * the churn function always use the clean values; only the written file is dirty.
 */
export interface DirtyCells {
  readonly regionNull: Uint8Array;
  readonly ageNull: Uint8Array;
  readonly monthlyChargesNull: Uint8Array;
  readonly planPadded: Uint8Array;
}

/**
 * Picks the dirty cells from the `dirty` stream: exactly round(n·nullRate) blank regions and ages,
 * round(n·nullRate/2) blank monthly charges and round(n·paddedRate) padded plans, each at distinct random rows.
 */
export function dirtyCells(config: ChurnWorldConfig): DirtyCells {
  const n = config.customers;
  const rng = streamRandom(config.seed, 'dirty');
  const pick = (count: number): Uint8Array => {
    const mask = new Uint8Array(n);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    rng.shuffle(order);
    for (let k = 0; k < Math.min(count, n); k++) mask[order[k]] = 1;
    return mask;
  };
  return {
    regionNull: pick(Math.round(n * config.nullRate)),
    ageNull: pick(Math.round(n * config.nullRate)),
    monthlyChargesNull: pick(Math.round((n * config.nullRate) / 2)),
    planPadded: pick(Math.round(n * config.paddedRate)),
  };
}
