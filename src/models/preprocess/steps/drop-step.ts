import { z } from 'zod';
import { stepColumn } from '../columns/step-column.js';
import type { StepDefinition } from './step-definition.js';
import { columnList } from './step-fields.js';

/** Removes columns, e.g. identifiers or raw inputs that later steps no longer need. Nothing is learned. */
export interface DropSpec {
  readonly kind: 'drop';
  readonly columns: readonly string[];
}

/** A fitted drop: identical to its spec. */
export type FittedDrop = DropSpec;

const schema = z.strictObject({ kind: z.literal('drop'), columns: columnList });

/** The drop step. A column it drops is not required at transform unless an earlier step reads it. */
export const DROP_STEP: StepDefinition<DropSpec, FittedDrop> = {
  kind: 'drop',
  specSchema: schema,
  fittedSchema: schema,
  reads: () => [],
  fitTransform(spec, frame, context) {
    for (const name of spec.columns) stepColumn(frame, name, context.label, 'fit');
    return { fitted: spec, frame: frame.drop(spec.columns) };
  },
  transform: (spec, frame) => frame.drop(spec.columns.filter((name) => frame.has(name))),
};
