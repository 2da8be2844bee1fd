import type { GbdtFeature, GbdtModel } from '../gbdt-model.js';
import { formatFeatureImportances } from './feature-importances-section.js';
import { formatFeatureInfo } from './feature-info.js';
import { formatLoomSection } from './loom-section.js';
import { formatObjectiveLine } from './objective-line.js';
import { formatPandasCategorical } from './pandas-categorical.js';
import { formatParameterLines } from './parameters-section.js';
import { writeTreeBlock } from './write-tree-block.js';

/**
 * Writes `model` in LightGBM's v4 text format, byte for byte as LightGBM's SaveModelToString lays it out: the header,
 * `tree_sizes`, the trees (thresholds and leaf values with 17 significant digits, so LightGBM and Loom read back the
 * same doubles), `end of trees`, `feature_importances:` (split counts) and `parameters:` (Loom's params). LightGBM's
 * CLI and Python package load the result and predict the same raw scores as Loom.
 *
 * Two lines LightGBM ignores keep what its format cannot hold: a `loom:` section (exact feature names, categorical
 * flags, category dictionaries, class names) and the Python package's `pandas_categorical:` line (the dictionaries).
 * Feature names with whitespace are written with `_` in LightGBM's header (as LightGBM itself renames them) and an
 * empty name as `Column_<i>`; readLightGbmModel restores the originals from the `loom:` section.
 *
 * The text always ends with a line end. Writing the model read from this text gives the same text.
 *
 * @example
 * writeFileSync('model.txt', writeLightGbmModel(model));
 * // lightgbm task=predict input_model=model.txt data=test.csv predict_raw_score=true
 */
export function writeLightGbmModel(model: GbdtModel): string {
  const p = model.params;
  const names = model.features.map(lightGbmFeatureName);
  const blocks = model.trees.map((tree, i) => `Tree=${i}\n${writeTreeBlock(tree)}\n`);
  const lines = [
    'tree',
    'version=v4',
    `num_class=${p.objective === 'multiclass' ? p.num_class : 1}`,
    `num_tree_per_iteration=${model.numOutputs}`,
    'label_index=0',
    `max_feature_idx=${model.features.length - 1}`,
    `objective=${formatObjectiveLine(p)}`,
    `feature_names=${names.join(' ')}`,
  ];
  if (p.monotone_constraints.length > 0) lines.push(`monotone_constraints=${p.monotone_constraints.join(' ')}`);
  lines.push(`feature_infos=${model.features.map(formatFeatureInfo).join(' ')}`, `tree_sizes=${blocks.map((b) => b.length).join(' ')}`, '');
  return [
    lines.join('\n'),
    '\n',
    blocks.join(''),
    'end of trees\n',
    '\nfeature_importances:\n',
    ...formatFeatureImportances(model.trees, names).map((l) => `${l}\n`),
    '\nparameters:\n',
    ...formatParameterLines(p).map((l) => `${l}\n`),
    '\nend of parameters\n',
    '\n',
    ...formatLoomSection(model).map((l) => `${l}\n`),
    '\n',
    `${formatPandasCategorical(model.features)}\n`,
  ].join('');
}

/** The name LightGBM's header can hold: whitespace (which separates names) becomes `_`; an empty name `Column_<i>`. */
function lightGbmFeatureName(feature: GbdtFeature, index: number): string {
  return feature.name === '' ? `Column_${index}` : feature.name.replace(/\s/g, '_');
}
