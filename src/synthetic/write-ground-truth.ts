import { fixedText, timestampText } from './cell-text.js';
import { REGIMES } from './drift-switch.js';
import type { ChurnWorld } from './generate-churn-world.js';
import { LineFileWriter } from './line-file-writer.js';

/** Columns of ground-truth.csv, in file order. */
export const GROUND_TRUTH_COLUMNS = ['customer_id', 'observed_at', 'period', 'feature_regime', 'concept_regime', 'churn_logit', 'churn_probability'] as const;

/**
 * Writes ground-truth.csv: each customer's observation period (`reference` before the drift switch, `drifted` from
 * it), the regimes their features and churn function came from, and the true churn logit and probability (6
 * decimals). It is for checking models (AUC, calibration, drift detection) and must never be used as training
 * data. Returns the data row count.
 */
export function writeGroundTruth(world: ChurnWorld, path: string): number {
  const { customers: c, labels: l } = world;
  const out = new LineFileWriter(path, GROUND_TRUTH_COLUMNS.join(','));
  for (let i = 0; i < c.length; i++) {
    out.line(
      [
        c.id[i],
        timestampText(c.observedAt[i]),
        REGIMES[c.period[i]],
        REGIMES[c.featureRegime[i]],
        REGIMES[l.conceptRegime[i]],
        fixedText(l.logit[i], 6),
        fixedText(l.probability[i], 6),
      ].join(','),
    );
  }
  out.close();
  return out.rows;
}
