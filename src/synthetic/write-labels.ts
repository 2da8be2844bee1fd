import { jsonText, timestampText } from './cell-text.js';
import type { ChurnWorld } from './generate-churn-world.js';
import { LineFileWriter } from './line-file-writer.js';

/** Fields of each labels.jsonl record, in order. */
export const LABEL_COLUMNS = ['customer_id', 'observed_at', 'churned', 'churn_at', 'label_available_at'] as const;

/**
 * Writes labels.jsonl, one JSON object per customer: whether they churned within the horizon, when they cancelled
 * (null for stayers), and `label_available_at`, when the label became known (always after `observed_at`). Records
 * are in customer order; a consumer that replays time filters on `label_available_at`. Returns the record count.
 */
export function writeLabels(world: ChurnWorld, path: string): number {
  const { customers: c, labels: l } = world;
  const out = new LineFileWriter(path);
  for (let i = 0; i < c.length; i++) {
    out.line(
      `{"customer_id":${JSON.stringify(c.id[i])},"observed_at":${jsonText(timestampText(c.observedAt[i]))},"churned":${l.churned[i] === 1},` +
        `"churn_at":${jsonText(timestampText(l.churnAt[i]))},"label_available_at":${jsonText(timestampText(l.labelAvailableAt[i]))}}`,
    );
  }
  out.close();
  return out.rows;
}
