import { z } from 'zod';
import type { Frame } from '../../../core/frame/frame.js';
import { asCategorical, internCategories, type CategoricalColumn } from '../columns/category-codes.js';
import { floatOutput } from '../columns/numeric-input.js';
import { replaceColumns } from '../columns/replace-columns.js';
import { stepColumn } from '../columns/step-column.js';
import { murmurHash3String } from '../hashing/murmur-hash3.js';
import type { StepDefinition } from './step-definition.js';
import { columnList } from './step-fields.js';

/** Largest `nFeatures` a hashing step may emit; outputs are dense columns. */
export const MAX_HASH_FEATURES = 65536;

/**
 * Feature hashing of category or string columns into `nFeatures` float columns `<name>_0` … `<name>_{n-1}`, which
 * replace the inputs (at the first input's position). For each non-null value v of column c, h = MurmurHash3
 * x86_32 of the UTF-8 bytes of `c=v` with `seed` (unsigned); the row adds s to column h mod nFeatures, where s is
 * −1 when `alternateSign` and the top bit of h is set, else +1. Nothing is learned, so the fitted state is the spec.
 */
export interface HashSpec {
  readonly kind: 'hash';
  readonly columns: readonly string[];
  readonly nFeatures: number;
  /** Output column prefix. Default `hash`. */
  readonly name: string;
  /** Default 0. */
  readonly seed: number;
  /** Default true: signed hashing, so collisions cancel in expectation. */
  readonly alternateSign: boolean;
}

/** A fitted hashing step: identical to its spec. */
export type FittedHash = HashSpec;

const schema = z.strictObject({
  kind: z.literal('hash'),
  columns: columnList,
  nFeatures: z.number().int().min(1).max(MAX_HASH_FEATURES),
  name: z.string().min(1).default('hash'),
  seed: z.number().int().min(0).max(0xffffffff).default(0),
  alternateSign: z.boolean().default(true),
});

/** The feature-hashing step. */
export const HASH_STEP: StepDefinition<HashSpec, FittedHash> = {
  kind: 'hash',
  specSchema: schema,
  fittedSchema: schema,
  reads: (step) => step.columns,
  fitTransform(spec, frame, context) {
    for (const name of spec.columns) asCategorical(stepColumn(frame, name, context.label, 'fit'), context.label);
    return { fitted: spec, frame: HASH_STEP.transform(spec, frame, context.label) };
  },
  transform(fitted, frame, label) {
    const n = frame.length;
    const outputs: Float64Array[] = [];
    for (let j = 0; j < fitted.nFeatures; j++) outputs.push(new Float64Array(n));
    for (const name of fitted.columns) addHashes(asCategorical(stepColumn(frame, name, label, 'transform'), label), fitted, outputs);
    const columns = outputs.map((values, j) => floatOutput(`${fitted.name}_${j}`, values));
    let out: Frame = frame;
    fitted.columns.forEach((name, c) => (out = replaceColumns(out, name, c === 0 ? columns : [], label)));
    return out;
  },
};

/** Adds one column's signed hash counts; hashes each distinct value once. */
function addHashes(column: CategoricalColumn, spec: HashSpec, outputs: Float64Array[]): void {
  const { codes, dictionary } = internCategories(column);
  const slot = new Int32Array(dictionary.length);
  const sign = new Float64Array(dictionary.length);
  for (let d = 0; d < dictionary.length; d++) {
    const h = murmurHash3String(`${column.name}=${dictionary[d]}`, spec.seed);
    slot[d] = h % spec.nFeatures;
    sign[d] = spec.alternateSign && h >= 0x80000000 ? -1 : 1;
  }
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code >= 0) outputs[slot[code]][i] += sign[code];
  }
}
