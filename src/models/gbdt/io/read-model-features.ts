import type { GbdtFeature } from '../gbdt-model.js';
import type { LoomSection } from './loom-section.js';
import type { ModelHeader } from './read-model-header.js';

/**
 * The model's features from its header (names, feature_infos), refined by Loom's `loom:` section when present (exact
 * names, categorical flags, dictionaries). Without one, a feature is categorical when its feature_infos is a category
 * list, or is `none` (unused) and the parameters' `categorical_feature` names it (LightGBM's `name:a,b` or index
 * syntax); and the Python
 * package's `pandas_categorical` lists become dictionaries when there is one per categorical feature.
 *
 * @internal
 */
export function readModelFeatures(
  header: ModelHeader, loom: LoomSection | null, categoricalParam: string | undefined, pandas: readonly string[][] | null,
): GbdtFeature[] {
  const declared = declaredCategorical(categoricalParam, header.featureNames);
  const categorical = header.featureInfos.map((info, f) => loom?.features?.[f].categorical ?? (info.kind === 'categorical' || (info.kind === 'none' && declared.has(f))));
  const categoricalCount = categorical.filter(Boolean).length;
  const pandasUsable = pandas !== null && pandas.length === categoricalCount;
  let nextPandas = 0;
  return header.featureInfos.map((info, f) => {
    const loomFeature = loom?.features?.[f];
    let dictionary: readonly string[] | null = loomFeature?.dictionary ?? null;
    if (loomFeature === undefined && categorical[f] && pandasUsable) dictionary = pandas[nextPandas++];
    const categories = info.kind === 'categorical' ? info.categories : null;
    let minValue = Number.NaN;
    let maxValue = Number.NaN;
    if (info.kind === 'numerical') {
      minValue = info.min;
      maxValue = info.max;
    } else if (categories !== null) {
      for (const c of categories) {
        if (c < 0) continue;
        if (!(c >= minValue)) minValue = c;
        if (!(c <= maxValue)) maxValue = c;
      }
    }
    return {
      name: loomFeature?.name ?? header.featureNames[f],
      categorical: categorical[f],
      dictionary,
      trivial: info.kind === 'none',
      minValue,
      maxValue,
      binCategories: categories,
    };
  });
}

/** Feature indices named by a LightGBM `categorical_feature` value: `name:a,b` or `0,3,5`. */
function declaredCategorical(value: string | undefined, names: readonly string[]): Set<number> {
  const out = new Set<number>();
  if (value === undefined || value.trim() === '') return out;
  const byName = value.startsWith('name:');
  for (const item of (byName ? value.slice(5) : value).split(',')) {
    const f = byName ? names.indexOf(item.trim()) : Number(item.trim());
    if (Number.isInteger(f) && f >= 0 && f < names.length) out.add(f);
  }
  return out;
}
