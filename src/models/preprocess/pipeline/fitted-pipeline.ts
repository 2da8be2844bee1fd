import { canonicalJson } from '../../../core/hashing.js';
import { Frame } from '../../../core/frame/frame.js';
import type { FeatureMatrix } from '../model-input/feature-matrix.js';
import { STEP_DEFINITIONS } from '../steps/step-registry.js';
import { checkSignature } from './column-signature.js';
import { parseFittedPipelineState, type FittedPipelineState } from './fitted-pipeline-state.js';
import { frameToMatrix } from './frame-to-matrix.js';

/**
 * A fitted preprocessing pipeline: `transform` applies exactly the steps fitted on the training data, deterministically,
 * so serving computes the features training saw. The state is plain data (`state`); `toJSON()` returns it, and
 * `FittedPipeline.fromJSON(canonicalJson(p.state))` restores an identical pipeline.
 *
 * @example
 * const fitted = pipeline.fit(train, { target: 'income' });
 * const X = fitted.transformMatrix(test);           // row-major Float64Array plus feature names
 * const again = FittedPipeline.fromJSON(fitted.toCanonicalJson());
 */
export class FittedPipeline {
  readonly state: FittedPipelineState;

  /** Wraps a state, validating it. @throws LOOM_ERR_MODEL_STATE_INVALID */
  constructor(state: unknown) {
    this.state = parseFittedPipelineState(state);
  }

  /** Restores a pipeline from JSON text. @throws LOOM_ERR_MODEL_STATE_INVALID (also for text that is not JSON) */
  static fromJSON(text: string): FittedPipeline {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      return new FittedPipeline({ invalid: String(cause) });
    }
    return new FittedPipeline(json);
  }

  /** Output feature names, in matrix column order. */
  get featureNames(): string[] {
    return this.state.outputs.map((c) => c.name);
  }

  /**
   * Applies the fitted steps. Input columns beyond the fitted inputs are ignored; the target column, when present,
   * is passed through at the end unchanged.
   * @throws LOOM_ERR_PREPROCESS_COLUMN_MISSING, LOOM_ERR_PREPROCESS_COLUMN_TYPE, LOOM_ERR_PREPROCESS_UNSEEN_CATEGORY
   */
  transform(frame: Frame): Frame {
    const { inputs, steps, target } = this.state;
    checkSignature(frame, inputs);
    let out = frame.select(inputs.map((c) => c.name));
    steps.forEach((step, i) => {
      out = STEP_DEFINITIONS.get(step.kind)!.transform(step, out, `${step.kind} (step ${i + 1})`);
    });
    return target !== null && frame.has(target) ? new Frame([...out.columns, frame.column(target)], frame.length) : out;
  }

  /**
   * Transforms `frame` and writes the features into a dense row-major matrix (`out`, caller-owned, when given).
   * @throws as transform, plus LOOM_ERR_PREPROCESS_COLUMN_TYPE for a feature that is still non-numeric
   */
  transformMatrix(frame: Frame, out?: Float64Array): FeatureMatrix {
    return frameToMatrix(this.transform(frame), this.featureNames, out);
  }

  /** The state, for JSON.stringify. */
  toJSON(): FittedPipelineState {
    return this.state;
  }

  /** Canonical JSON of the state (sorted keys): the same pipeline always gives the same bytes. */
  toCanonicalJson(): string {
    return canonicalJson(this.state);
  }
}
