import { z } from 'zod';
import type { CategoryColumn } from '../../../core/frame/column.js';
import { asCategorical, internCategories } from '../columns/category-codes.js';
import { insertAfter } from '../columns/replace-columns.js';
import { stepColumn } from '../columns/step-column.js';
import type { StepDefinition } from './step-definition.js';
import { columnName } from './step-fields.js';

/**
 * Crosses two category or string columns into a category column `name` (default `<a>*<b>`) whose value is
 * `<value of a>*<value of b>`, inserted after the second input; both inputs stay. A null in either input gives null.
 * The output dictionary lists the pairs in order of first appearance, so encode it with a later step (one-hot,
 * hashing, target encoding), which matches categories by value. Nothing is learned: the fitted state is the spec.
 */
export interface CrossSpec {
  readonly kind: 'cross';
  readonly columns: readonly [string, string];
  readonly name: string;
}

/** A fitted cross: identical to its spec. */
export type FittedCross = CrossSpec;

const fitted = z.strictObject({ kind: z.literal('cross'), columns: z.tuple([columnName, columnName]), name: columnName });

/** The category-cross step. */
export const CROSS_STEP: StepDefinition<CrossSpec, FittedCross> = {
  kind: 'cross',
  specSchema: z
    .strictObject({ kind: z.literal('cross'), columns: z.tuple([columnName, columnName]), name: columnName.optional() })
    .refine((s) => s.columns[0] !== s.columns[1], { message: 'cross two different columns', path: ['columns'] })
    .transform((s): CrossSpec => ({ kind: 'cross', columns: s.columns, name: s.name ?? `${s.columns[0]}*${s.columns[1]}` })),
  fittedSchema: fitted,
  reads: (step) => step.columns,
  fitTransform(spec, frame, context) {
    for (const name of spec.columns) asCategorical(stepColumn(frame, name, context.label, 'fit'), context.label);
    return { fitted: spec, frame: CROSS_STEP.transform(spec, frame, context.label) };
  },
  transform(spec, frame, label) {
    const a = internCategories(asCategorical(stepColumn(frame, spec.columns[0], label, 'transform'), label));
    const b = internCategories(asCategorical(stepColumn(frame, spec.columns[1], label, 'transform'), label));
    const n = frame.length;
    const width = b.dictionary.length;
    const pairCode = new Map<number, number>();
    const dictionary: string[] = [];
    const codes = new Int32Array(n);
    let validity: Uint8Array | null = null;
    for (let i = 0; i < n; i++) {
      const ca = a.codes[i];
      const cb = b.codes[i];
      if (ca < 0 || cb < 0) {
        codes[i] = -1;
        validity ??= new Uint8Array((n + 7) >> 3).fill(0xff);
        validity[i >> 3] &= ~(1 << (i & 7));
        continue;
      }
      const key = ca * width + cb;
      let code = pairCode.get(key);
      if (code === undefined) {
        code = dictionary.length;
        dictionary.push(`${a.dictionary[ca]}*${b.dictionary[cb]}`);
        pairCode.set(key, code);
      }
      codes[i] = code;
    }
    const column: CategoryColumn = { type: 'category', name: spec.name, length: n, codes, dictionary: Object.freeze(dictionary), validity, tags: [] };
    return insertAfter(frame, spec.columns[1], [column], label);
  },
};
