import type { z } from 'zod';
import type { Column } from '../../../core/frame/column.js';
import type { Frame } from '../../../core/frame/frame.js';

/** What a step may know while it is fitted, besides its own input columns. */
export interface FitContext {
  /** How errors name the step, e.g. `one_hot (step 2)`. */
  readonly label: string;
  /** The target column of the training frame, or null when the pipeline has none. Only the target encoder reads it. */
  readonly target: Column | null;
}

/** A fitted step and the training frame it produced. */
export interface FitResult<F> {
  readonly fitted: F;
  readonly frame: Frame;
}

/**
 * The implementation of one step kind: its option schema, its fitted-state schema, and its fit and transform. Specs
 * and fitted states are plain data; everything a step does lives here, so a stored pipeline holds no code.
 *
 * `fitTransform` fits on the training frame and returns the training frame transformed as the next step must see it
 * (the target encoder returns out-of-fold encodings there). `transform` applies a fitted state to any frame and must
 * be a pure function of (fitted, frame).
 */
export interface StepDefinition<S extends { readonly kind: string }, F extends { readonly kind: string }> {
  readonly kind: S['kind'];
  /** Validates options (strict: unknown keys are rejected) and fills defaults. */
  readonly specSchema: z.ZodType<S>;
  /** Validates a stored fitted state (strict). */
  readonly fittedSchema: z.ZodType<F>;
  /** The input columns the step reads, in order. */
  reads(step: S | F): readonly string[];
  /** Cross-field checks zod cannot express; returns a problem as [field, message], or null. */
  checkFitted?(fitted: F): readonly [string, string] | null;
  fitTransform(spec: S, frame: Frame, context: FitContext): FitResult<F>;
  transform(fitted: F, frame: Frame, label: string): Frame;
}
