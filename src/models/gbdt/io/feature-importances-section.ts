import type { Tree } from '../tree/tree.js';

/**
 * The `name=count` lines LightGBM writes under `feature_importances:`: for each feature, the number of splits with a
 * positive gain (gains compared as the 32-bit floats LightGBM stores), features with none left out, sorted by count,
 * largest first, ties in feature order. LightGBM ignores this section when loading; it is for people.
 *
 * @internal
 */
export function formatFeatureImportances(trees: readonly Tree[], names: readonly string[]): string[] {
  const counts = new Float64Array(names.length);
  for (const tree of trees) {
    for (let n = 0; n < tree.numLeaves - 1; n++) if (Math.fround(tree.splitGain[n]) > 0) counts[tree.splitFeature[n]]++;
  }
  const order = names.map((_, f) => f).filter((f) => counts[f] > 0);
  order.sort((a, b) => counts[b] - counts[a] || a - b);
  return order.map((f) => `${names[f]}=${counts[f]}`);
}
