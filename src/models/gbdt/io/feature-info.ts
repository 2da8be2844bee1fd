import type { GbdtFeature } from '../gbdt-model.js';
import { formatGeneral } from './format-general.js';
import { modelFormatError } from './model-format-error.js';
import { parseModelInt, parseModelNumber } from './parse-model-number.js';

/**
 * One entry of a model's `feature_infos=` line, which records what binning learned: `none` for a feature no tree
 * can use, `[min:max]` for a numerical feature, or `c0:c1:…` for a categorical one (the category of each bin, bin 0
 * — missing and rare categories — being -1).
 *
 * @internal
 */
export type FeatureInfo =
  | { readonly kind: 'none' }
  | { readonly kind: 'numerical'; readonly min: number; readonly max: number }
  | { readonly kind: 'categorical'; readonly categories: readonly number[] };

/**
 * Parses one feature_infos entry.
 *
 * @throws LOOM_ERR_GBDT_MODEL_FORMAT_INVALID naming `line` and the field `feature_infos`.
 *
 * @internal
 */
export function parseFeatureInfo(token: string, line: number): FeatureInfo {
  if (token === 'none') return { kind: 'none' };
  if (token.startsWith('[')) {
    const colon = token.indexOf(':');
    if (!token.endsWith(']') || colon < 0) throw modelFormatError(line, 'feature_infos', `"${token}" is neither none, [min:max] nor a category list`);
    return { kind: 'numerical', min: parseModelNumber(token.slice(1, colon), line, 'feature_infos'), max: parseModelNumber(token.slice(colon + 1, -1), line, 'feature_infos') };
  }
  return { kind: 'categorical', categories: token.split(':').map((c) => parseModelInt(c, line, 'feature_infos', -1)) };
}

/** The feature_infos entry LightGBM would write for `feature`. @internal */
export function formatFeatureInfo(feature: GbdtFeature): string {
  if (feature.trivial) return 'none';
  if (feature.categorical && feature.binCategories !== null) return feature.binCategories.join(':');
  return `[${formatGeneral(feature.minValue, 17)}:${formatGeneral(feature.maxValue, 17)}]`;
}
