import { LoomError } from '../../../core/errors/index.js';
import type { Column } from '../../../core/frame/column.js';
import { Frame } from '../../../core/frame/frame.js';
import { parseStep } from '../steps/parse-step.js';
import type { FittedStep, PreprocessStep } from '../steps/preprocess-step.js';
import { STEP_DEFINITIONS } from '../steps/step-registry.js';
import type { ColumnSignature } from './column-signature.js';
import { deepFreeze } from './deep-freeze.js';
import { PIPELINE_FORMAT_VERSION, type FittedPipelineState } from './fitted-pipeline-state.js';
import { FittedPipeline } from './fitted-pipeline.js';

/** Options of Pipeline.fit. */
export interface PipelineFitOptions {
  /**
   * The target column: excluded from inputs and features, read by target encoders, passed through by transform.
   * Defaults to the first column tagged `target`; `null` means none.
   */
  readonly target?: string | null;
}

/**
 * An ordered list of preprocessing steps, fitted on training data only. Columns tagged `target` or `id` are not
 * features; every other column passes through the steps that do not name it.
 *
 * @example
 * const pipeline = Pipeline.create([
 *   PreprocessStep.oneHot({ columns: ['workclass', 'sex'] }),
 *   PreprocessStep.standardScale({ columns: ['age', 'hours-per-week'] }),
 * ]);
 * const { fitted, frame } = pipeline.fitTransform(train, { target: 'income' });
 * const testX = fitted.transformMatrix(test);
 */
export class Pipeline {
  readonly steps: readonly PreprocessStep[];

  private constructor(steps: readonly PreprocessStep[]) {
    this.steps = steps;
  }

  /** Validates the steps (built with PreprocessStep or read from JSON). @throws LOOM_ERR_PREPROCESS_STEP_INVALID */
  static create(steps: readonly unknown[]): Pipeline {
    return new Pipeline(Object.freeze(steps.map((step, i) => parseStep(step, `${String((step as { kind?: unknown })?.kind)} (step ${i + 1})`))));
  }

  /** Fits the steps in order on `frame`. See fitTransform. */
  fit(frame: Frame, options: PipelineFitOptions = {}): FittedPipeline {
    return this.fitTransform(frame, options).fitted;
  }

  /**
   * Fits each step on the output of the previous ones and returns the fitted pipeline with the transformed training
   * frame. That frame equals `fitted.transform(frame)` except where a step fits out of fold (the target encoder),
   * whose training rows hold out-of-fold values.
   *
   * @throws LOOM_ERR_PREPROCESS_COLUMN_UNKNOWN, LOOM_ERR_PREPROCESS_COLUMN_TYPE, LOOM_ERR_PREPROCESS_COLUMN_EMPTY,
   *   LOOM_ERR_PREPROCESS_STEP_INVALID (a step reads the target), LOOM_ERR_MODEL_TARGET_INVALID (target encoder)
   */
  fitTransform(frame: Frame, options: PipelineFitOptions = {}): { readonly fitted: FittedPipeline; readonly frame: Frame } {
    const target = options.target === undefined ? (frame.tagged('target')[0] ?? null) : options.target;
    if (target !== null && !frame.has(target)) {
      throw new LoomError('PREPROCESS_COLUMN_UNKNOWN', { step: 'the pipeline (target)', field: target, available: frame.names.join(', ') }, { details: { field: target } });
    }
    const targetColumn: Column | null = target === null ? null : frame.column(target);
    const excluded = new Set(frame.columns.filter((c) => c.name === target || c.tags.includes('id')).map((c) => c.name));
    const input = frame.drop([...excluded]);
    let work = input;
    const fittedSteps: FittedStep[] = [];
    const read = new Set<string>();
    this.steps.forEach((step, i) => {
      const label = `${step.kind} (step ${i + 1})`;
      const definition = STEP_DEFINITIONS.get(step.kind)!;
      for (const name of definition.reads(step)) {
        if (name === target) throw new LoomError('PREPROCESS_STEP_INVALID', { step: label, field: name, problem: 'this is the target column, which steps may not read or change' }, { details: { field: name } });
        read.add(name);
      }
      const result = definition.fitTransform(step, work, { label, target: targetColumn });
      fittedSteps.push(result.fitted as FittedStep);
      work = result.frame;
    });
    const outputs = signatureOf(work.columns);
    const kept = new Set(outputs.map((c) => c.name));
    const inputs = signatureOf(input.columns.filter((c) => read.has(c.name) || kept.has(c.name)));
    const state: FittedPipelineState = deepFreeze({ kind: 'fitted_pipeline', version: PIPELINE_FORMAT_VERSION, target, inputs, outputs, steps: fittedSteps });
    const out = targetColumn === null ? work : new Frame([...work.columns, targetColumn], frame.length);
    return { fitted: new FittedPipeline(state), frame: out };
  }

  /** The steps as JSON. */
  toJSON(): readonly PreprocessStep[] {
    return this.steps;
  }
}

function signatureOf(columns: readonly Column[]): ColumnSignature[] {
  return columns.map((c) => ({ name: c.name, type: c.type }));
}
