import type { Frame } from '../../core/frame/frame.js';
import { Pipeline, PreprocessStep } from '../../models/preprocess/index.js';

/** One-hot keeps categories seen at least this often in training; rarer and unseen ones share the "other" column. */
export const ONE_HOT_MIN_FREQUENCY = 10;
/** Hashed features for free-text string columns. */
export const STRING_HASH_FEATURES = 32;

/**
 * The preprocessing a linear or baseline model gets when the user gives none: median imputation with a missing
 * indicator for numeric columns that have nulls, one-hot (with an "other" bucket) for categories, feature hashing for
 * strings, UTC date parts for timestamps, and embeddings dropped. Columns tagged `id` or `target` are not features.
 */
export function defaultPipeline(frame: Frame, target: string): Pipeline {
  const features = frame.columns.filter((c) => c.name !== target && !c.tags.includes('id') && !c.tags.includes('target'));
  const numericWithNulls = features.filter((c) => (c.type === 'float' || c.type === 'int' || c.type === 'bool') && c.validity !== null).map((c) => c.name);
  const categories = features.filter((c) => c.type === 'category').map((c) => c.name);
  const strings = features.filter((c) => c.type === 'string').map((c) => c.name);
  const timestamps = features.filter((c) => c.type === 'timestamp').map((c) => c.name);
  const embeddings = features.filter((c) => c.type === 'embedding').map((c) => c.name);
  const steps = [];
  if (embeddings.length > 0) steps.push(PreprocessStep.drop({ columns: embeddings }));
  if (timestamps.length > 0) steps.push(PreprocessStep.datetimeParts({ columns: timestamps }));
  if (numericWithNulls.length > 0) steps.push(PreprocessStep.impute({ columns: numericWithNulls, strategy: 'median', indicator: true }));
  if (categories.length > 0) steps.push(PreprocessStep.oneHot({ columns: categories, minFrequency: ONE_HOT_MIN_FREQUENCY }));
  if (strings.length > 0) steps.push(PreprocessStep.hash({ columns: strings, nFeatures: STRING_HASH_FEATURES }));
  return Pipeline.create(steps);
}
