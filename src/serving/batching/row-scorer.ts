import type { ColumnSchema } from '../../core/schema/index.js';
import { toEpochMs } from '../../core/frame/column-builders.js';
import type { GbdtModel } from '../../models/gbdt/index.js';
import { predictRow, predictRows } from '../../models/gbdt/index.js';
import { readLightGbmModel } from '../../models/gbdt/io/read-lightgbm-model.js';
import type { LoadedModel } from '../../training/index.js';
import { valueProblem } from '../input-columns.js';
import { RecordsDecoder, type DecodedColumn } from '../loom/records-decoder.js';

/** The GBDT artifact's model file (LightGBM text format), as the gbdt flavor writes it. */
const GBDT_MODEL_FILE = 'model.txt';

/** How one signature column of a record is read and checked. */
interface ColumnCheck {
  readonly spec: ColumnSchema;
  /** The column's model feature (an index into the slots), or -1 when the model does not use it. */
  readonly slot: number;
  /** True when Object.prototype has a member of this name, so a record's own property must be told from it. */
  readonly inherited: boolean;
}

/** How one model feature is read from a JSON record. */
interface FeatureSlot {
  readonly name: string;
  readonly kind: 'float' | 'int' | 'bool' | 'timestamp' | 'category';
  /** Category → code in the model's training dictionary (categories it lacks are -1: unseen, scored as missing). */
  readonly codes: ReadonlyMap<string, number> | null;
}

/**
 * The single-record serving path of a GBDT model: checks one JSON record against the input signature and scores it
 * with `predictRow` into a reused feature vector, without building a Frame, per-column arrays or Maps. It computes,
 * value for value, the feature row the batch path (`buildInputFrame` → `LoadedModel.predict` → `predictBatch`) builds,
 * so both give the same bits (src/serving/batching/row-scorer.test.ts checks this on random records).
 *
 * Built once per served model version (everything about the signature is precomputed). A record with any problem
 * makes `score` return null, and the caller takes the general path, which reports the problems as usual.
 *
 * @example
 * const scorer = RowScorer.forModel(loaded);
 * const out = scorer?.score({ age: 39, workclass: 'Private' }); // Float64Array of outputs, or null
 */
export class RowScorer {
  readonly #model: GbdtModel;
  readonly #checks: readonly ColumnCheck[];
  readonly #slots: readonly FeatureSlot[];
  readonly #row: Float64Array;
  readonly #out: Float64Array;
  #decoder: RecordsDecoder | null | undefined;

  private constructor(model: GbdtModel, signature: readonly ColumnSchema[], slots: readonly FeatureSlot[]) {
    this.#model = model;
    this.#slots = slots;
    this.#checks = signature.map((spec) => ({ spec, slot: slots.findIndex((slot) => slot.name === spec.name), inherited: spec.name in Object.prototype }));
    this.#row = new Float64Array(model.features.length);
    this.#out = new Float64Array(model.numOutputs);
  }

  /**
   * The row scorer of a loaded model, or null when the model is not a GBDT or its features cannot be read one record
   * at a time exactly as the batch path reads them (the general path then serves it, and reports its errors).
   */
  static forModel(loaded: LoadedModel): RowScorer | null {
    const manifest = loaded.artifact.manifest;
    if (manifest.flavor !== 'gbdt') return null;
    const file = loaded.artifact.files.get(GBDT_MODEL_FILE);
    if (file === undefined) return null;
    const model = readLightGbmModel(new TextDecoder().decode(file));
    if (model.numOutputs !== loaded.outputs) return null;
    const signature = manifest.inputSignature.columns;
    const byName = new Map(signature.map((c) => [c.name, c]));
    const slots: FeatureSlot[] = [];
    for (const feature of model.features) {
      const spec = byName.get(feature.name);
      if (spec === undefined) return null;
      if (spec.type === 'category') {
        if (!feature.categorical || feature.dictionary === null) return null;
        slots.push({ name: feature.name, kind: 'category', codes: new Map(feature.dictionary.map((v, i) => [v, i])) });
      } else if (spec.type === 'float' || spec.type === 'int' || spec.type === 'bool' || spec.type === 'timestamp') {
        if (feature.categorical) return null;
        slots.push({ name: feature.name, kind: spec.type, codes: null });
      } else {
        return null;
      }
    }
    return new RowScorer(model, signature, slots);
  }

  /** Number of feature values per record (the model's features). */
  get width(): number {
    return this.#slots.length;
  }

  /** Number of outputs per record. */
  get outputs(): number {
    return this.#out.length;
  }

  /**
   * The model's outputs for one record (a view into a buffer reused by the next call: copy what you keep), or null
   * when the record is not an object or any field fails the signature check.
   */
  score(record: unknown): Float64Array | null {
    if (!this.features(record, this.#row, 0)) return null;
    return this.scoreRow(this.#row);
  }

  /**
   * Checks one record and writes its feature values (`width` of them, in the model's feature order) into `into` at
   * `offset`; false when the record is not an object or any field fails the signature check (what was written to
   * `into` is then meaningless). Each field is read once: checked, then turned into its feature value.
   */
  features(record: unknown, into: Float64Array, offset: number): boolean {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return false;
    const o = record as Record<string, unknown>;
    const checks = this.#checks;
    for (let c = 0; c < checks.length; c++) {
      const check = checks[c];
      const v = check.inherited && !Object.hasOwn(o, check.spec.name) ? undefined : o[check.spec.name];
      // A GBDT model accepts null in every column (it routes missing values natively).
      if (valueProblem(check.spec, v, true) !== null) return false;
      if (check.slot >= 0) into[offset + check.slot] = featureValue(this.#slots[check.slot], v);
    }
    return true;
  }

  /**
   * The decoder of plain predict bodies into this model's feature rows (made on first use), or null when a signature
   * column has a type it does not read (embeddings).
   */
  get decoder(): RecordsDecoder | null {
    if (this.#decoder === undefined) {
      const columns: DecodedColumn[] = [];
      for (const { spec, slot } of this.#checks) {
        if (spec.type === 'embedding') return (this.#decoder = null);
        columns.push({ name: spec.name, type: spec.type, slot, dictionary: slot >= 0 ? this.#model.features[slot].dictionary : null });
      }
      this.#decoder = new RecordsDecoder(columns, this.width);
    }
    return this.#decoder;
  }

  /** The outputs of one row in the model's feature order (`width` values): a view into a buffer reused by the next call. */
  scoreRow(row: Float64Array): Float64Array {
    return predictRow(this.#model, row, this.#out);
  }

  /** Scores one row of missing values, so that what the first prediction builds (generated code) is built now. */
  warm(): void {
    this.#row.fill(Number.NaN);
    predictRow(this.#model, this.#row, this.#out);
  }

  /** The outputs (numRows × `outputs`, row-major) of rows written by `features`, back to back; bit for bit `score`'s. */
  scoreRows(rows: Float64Array, numRows: number): Float64Array {
    return predictRows(this.#model, rows, numRows, new Float64Array(numRows * this.#out.length));
  }
}

/** The value the batch path's Frame column gives the learner for one checked JSON value. */
function featureValue(slot: FeatureSlot, v: unknown): number {
  if (slot.kind === 'category') return v === null ? -1 : (slot.codes!.get(v as string) ?? -1);
  if (v === null) return Number.NaN;
  switch (slot.kind) {
    case 'float':
      return v as number;
    case 'int':
      // One int32-range value is stored in an Int32Array, which turns -0 into 0.
      return (v as number) === 0 ? 0 : (v as number);
    case 'bool':
      return v === true ? 1 : 0;
    case 'timestamp':
      return toEpochMs(v as number | string);
  }
}

/** Row scorers by the artifact they read (a model that is given another artifact gets a scorer of that one). */
const scorers = new WeakMap<LoadedModel['artifact'], RowScorer | null>();

/** The row scorer of a loaded model (built on first use, then kept as long as its artifact), or null (see forModel). */
export function rowScorerFor(loaded: LoadedModel): RowScorer | null {
  let scorer = scorers.get(loaded.artifact);
  if (scorer === undefined) {
    scorer = RowScorer.forModel(loaded);
    scorers.set(loaded.artifact, scorer);
  }
  return scorer;
}
