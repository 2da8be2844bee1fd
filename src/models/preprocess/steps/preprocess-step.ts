import type { CrossSpec, FittedCross } from './cross-step.js';
import type { DatetimePartsSpec, FittedDatetimeParts } from './datetime-parts-step.js';
import type { DropSpec, FittedDrop } from './drop-step.js';
import type { FittedHash, HashSpec } from './hash-step.js';
import type { FittedImpute, ImputeSpec } from './impute-step.js';
import type { FittedOneHot, OneHotSpec } from './one-hot-step.js';
import type { FittedOrdinal, OrdinalSpec } from './ordinal-step.js';
import { parseStep } from './parse-step.js';
import type { FittedRatio, RatioSpec } from './ratio-step.js';
import type { FittedRobustScale, RobustScaleSpec } from './robust-scale-step.js';
import type { FittedStandardScale, StandardScaleSpec } from './standard-scale-step.js';
import { STEP_DEFINITIONS } from './step-registry.js';
import type { FittedTargetEncode, TargetEncodeSpec } from './target-encode-step.js';

/** One preprocessing step as configured (options only, defaults filled). Discriminate on `kind`. Frozen, JSON-safe. */
export type PreprocessStep =
  | ImputeSpec
  | StandardScaleSpec
  | RobustScaleSpec
  | OneHotSpec
  | OrdinalSpec
  | TargetEncodeSpec
  | HashSpec
  | CrossSpec
  | RatioSpec
  | DatetimePartsSpec
  | DropSpec;

/** One fitted step: options plus what was learned from the training data. Data only; discriminate on `kind`. */
export type FittedStep =
  | FittedImpute
  | FittedStandardScale
  | FittedRobustScale
  | FittedOneHot
  | FittedOrdinal
  | FittedTargetEncode
  | FittedHash
  | FittedCross
  | FittedRatio
  | FittedDatetimeParts
  | FittedDrop;

/** A step kind, e.g. `one_hot`. */
export type PreprocessStepKind = PreprocessStep['kind'];

/** Options of a step builder: the `required` keys, and any others (their defaults apply when left out). */
type Options<S, R extends keyof S> = Pick<S, R> & Partial<Omit<S, 'kind' | R>>;

const make = <S extends PreprocessStep>(kind: S['kind'], options: object): S => parseStep({ ...options, kind }, kind) as S;

/**
 * Builders for each step kind (validated, defaults filled, frozen), a parser for steps read from JSON, and a guard.
 * Each builder throws LOOM_ERR_PREPROCESS_STEP_INVALID naming the bad option.
 *
 * @example
 * const steps = [
 *   PreprocessStep.impute({ columns: ['age'], strategy: 'median', indicator: true }),
 *   PreprocessStep.oneHot({ columns: ['workclass'], minFrequency: 20 }),
 *   PreprocessStep.standardScale({ columns: ['age'] }),
 * ];
 */
export const PreprocessStep = {
  impute: (o: Options<ImputeSpec, 'columns'>) => make<ImputeSpec>('impute', o),
  standardScale: (o: Options<StandardScaleSpec, 'columns'>) => make<StandardScaleSpec>('standard_scale', o),
  robustScale: (o: Options<RobustScaleSpec, 'columns'>) => make<RobustScaleSpec>('robust_scale', o),
  oneHot: (o: Options<OneHotSpec, 'columns'>) => make<OneHotSpec>('one_hot', o),
  ordinal: (o: Options<OrdinalSpec, 'columns'>) => make<OrdinalSpec>('ordinal', o),
  targetEncode: (o: Options<TargetEncodeSpec, 'columns'>) => make<TargetEncodeSpec>('target_encode', o),
  hash: (o: Options<HashSpec, 'columns' | 'nFeatures'>) => make<HashSpec>('hash', o),
  cross: (o: Options<CrossSpec, 'columns'>) => make<CrossSpec>('cross', o),
  ratio: (o: Options<RatioSpec, 'numerator' | 'denominator'>) => make<RatioSpec>('ratio', o),
  datetimeParts: (o: Options<DatetimePartsSpec, 'columns'>) => make<DatetimePartsSpec>('datetime_parts', o),
  drop: (o: Options<DropSpec, 'columns'>) => make<DropSpec>('drop', o),
  /** Validates a step given as JSON (with its `kind`). @throws LOOM_ERR_PREPROCESS_STEP_INVALID */
  parse: (json: unknown): PreprocessStep => parseStep(json, typeof (json as { kind?: unknown })?.kind === 'string' ? String((json as { kind: string }).kind) : 'step'),
  /** True when `value` has a registered step kind. It does not validate the options; use `parse` for that. */
  is: (value: unknown): value is PreprocessStep =>
    typeof value === 'object' && value !== null && STEP_DEFINITIONS.has(String((value as { kind?: unknown }).kind)),
  /** Every step kind, in docs order. */
  kinds: (): PreprocessStepKind[] => [...STEP_DEFINITIONS.keys()] as PreprocessStepKind[],
};
