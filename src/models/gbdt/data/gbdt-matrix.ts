import { Frame } from '../../../core/frame/frame.js';

/** Numeric arrays the learner reads directly; NaN (in float arrays) is missing. */
export type NumericArray = Float64Array | Float32Array | Int32Array;

/**
 * Raw typed-array input for trainGbdt and prediction, without a Frame: one array per feature (column-major), plus the
 * label (and optional sample weights) for training. Categorical features are named by the `categorical_feature`
 * param and hold non-negative integer codes (negative or NaN = missing).
 *
 * @example
 * const data: GbdtMatrix = { columns: [new Float64Array([1, 2, 3])], label: new Float64Array([0, 1, 1]), featureNames: ['x'] };
 */
export interface GbdtMatrix {
  readonly columns: readonly NumericArray[];
  readonly label?: NumericArray;
  readonly weight?: NumericArray;
  /** Ranking: rows per query, in row order (LightGBM's `group`), e.g. [3, 2] for queries of rows 0–2 and 3–4. */
  readonly group?: ArrayLike<number>;
  /** Defaults to `Column_0`, `Column_1`, … as LightGBM names them. */
  readonly featureNames?: readonly string[];
}

/** True when `data` is a GbdtMatrix rather than a Frame. */
export function isGbdtMatrix(data: Frame | GbdtMatrix): data is GbdtMatrix {
  return !(data instanceof Frame);
}
