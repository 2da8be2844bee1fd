import type { Schema } from '../../core/schema/index.js';
import { invalidRequest, type RawColumns } from '../input-columns.js';
import { V2_DATATYPES, V2_INTEGER_RANGE, v2Accepts, type V2Datatype } from './v2-datatypes.js';

/** One decoded request tensor. */
interface Tensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly datatype: V2Datatype;
  readonly data: readonly unknown[];
  readonly field: string;
}

/** The largest number of elements one tensor may declare (the body limit bounds real requests far below this). */
const MAX_ELEMENTS = 50_000_000;

/**
 * Decodes the `inputs` of a V2 inference request into raw columns of the model's signature. Two layouts:
 * - one tensor per input column, named after it, of shape `[n]` or `[n, 1]` (`[n, dim]` for embeddings); this is
 *   what MLServer's pandas codec and most V2 clients send for tabular models, with BYTES for strings;
 * - one tensor of shape `[n, columns]` (any name) holding every input column in signature order, row-major.
 * `data` may be flat or nested; it must hold exactly prod(shape) elements of the declared datatype.
 *
 * @throws LOOM_ERR_SERVING_INVALID_REQUEST naming the field (`inputs[1].shape`, …)
 */
export function decodeV2Inputs(signature: Schema, inputs: unknown): { columns: RawColumns; rows: number } {
  if (!Array.isArray(inputs) || inputs.length === 0) throw invalidRequest('inputs', 'it must be a non-empty array of tensors {name, shape, datatype, data}');
  const tensors = inputs.map((input, i) => decodeTensor(input, `inputs[${i}]`));
  const seen = new Set<string>();
  for (const t of tensors) {
    if (seen.has(t.name)) throw invalidRequest(`${t.field}.name`, `the input "${t.name}" appears twice`);
    seen.add(t.name);
  }
  const byColumn = new Map(signature.columns.map((c) => [c.name, c]));
  const named = tensors.filter((t) => byColumn.has(t.name));
  if (named.length === 0 && tensors.length === 1 && tensors[0].shape.length === 2 && signature.columns.length > 0) return decodeMatrix(signature, tensors[0]);
  if (named.length === 0) {
    const expected = signature.columns.map((c) => c.name).join(', ');
    throw invalidRequest('inputs', `no input is named after a model input column; send one tensor per column (${expected}) or one [n, ${signature.columns.length}] tensor`);
  }
  let rows = -1;
  const columns = new Map<string, unknown[]>();
  for (const t of named) {
    const spec = byColumn.get(t.name)!;
    if (!v2Accepts(spec.type, t.datatype)) throw invalidRequest(`${t.field}.datatype`, `it is ${t.datatype}, and the model reads "${t.name}" as ${spec.type}; send ${spec.type === 'category' || spec.type === 'string' ? 'BYTES' : spec.type === 'bool' ? 'BOOL' : spec.type === 'int' ? 'an integer type (INT64)' : 'a numeric type (FP64)'}`);
    const n = t.shape[0];
    if (spec.type === 'embedding') {
      const dim = spec.dim ?? 0;
      if (t.shape.length !== 2 || t.shape[1] !== dim) throw invalidRequest(`${t.field}.shape`, `an embedding input needs shape [n, ${dim}], got [${t.shape.join(', ')}]`);
      columns.set(t.name, Array.from({ length: n }, (_, i) => t.data.slice(i * dim, (i + 1) * dim)));
    } else {
      if (!(t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1))) throw invalidRequest(`${t.field}.shape`, `one column per input needs shape [n] or [n, 1], got [${t.shape.join(', ')}]`);
      columns.set(t.name, [...t.data]);
    }
    if (rows >= 0 && n !== rows) throw invalidRequest(`${t.field}.shape`, `it has ${n} rows, and an earlier input has ${rows}; every input needs the same first dimension`);
    rows = n;
  }
  return { columns, rows };
}

function decodeMatrix(signature: Schema, t: Tensor): { columns: RawColumns; rows: number } {
  const width = signature.columns.length;
  if (t.shape[1] !== width) throw invalidRequest(`${t.field}.shape`, `a single input tensor needs shape [n, ${width}] (the model has ${width} input columns: ${signature.columns.map((c) => c.name).join(', ')}), got [${t.shape.join(', ')}]`);
  const columns = new Map<string, unknown[]>();
  signature.columns.forEach((spec, j) => {
    if (!v2Accepts(spec.type, t.datatype)) throw invalidRequest(`${t.field}.datatype`, `it is ${t.datatype}, and column ${j} ("${spec.name}") is ${spec.type}; send one tensor per column instead`);
    if (spec.type === 'embedding') throw invalidRequest(t.field, `the model has an embedding input ("${spec.name}"); send one tensor per column instead`);
    columns.set(spec.name, Array.from({ length: t.shape[0] }, (_, i) => t.data[i * width + j]));
  });
  return { columns, rows: t.shape[0] };
}

function decodeTensor(input: unknown, field: string): Tensor {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw invalidRequest(field, 'it must be an object {name, shape, datatype, data}');
  const o = input as Record<string, unknown>;
  if (typeof o.name !== 'string' || o.name.length === 0) throw invalidRequest(`${field}.name`, 'it must be a non-empty string');
  if (!Array.isArray(o.shape) || o.shape.length === 0 || o.shape.length > 8) throw invalidRequest(`${field}.shape`, 'it must be an array of 1 to 8 dimensions');
  let elements = 1;
  for (const d of o.shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) throw invalidRequest(`${field}.shape`, `every dimension must be a whole number ≥ 0 (got ${JSON.stringify(d)})`);
    elements *= d;
  }
  if (elements > MAX_ELEMENTS) throw invalidRequest(`${field}.shape`, `it declares ${elements} elements, more than ${MAX_ELEMENTS}`);
  if (typeof o.datatype !== 'string' || !(V2_DATATYPES as readonly string[]).includes(o.datatype)) throw invalidRequest(`${field}.datatype`, `it must be one of ${V2_DATATYPES.join(', ')} (case-sensitive)`);
  if (o.parameters !== undefined && (o.parameters === null || typeof o.parameters !== 'object' || Array.isArray(o.parameters))) throw invalidRequest(`${field}.parameters`, 'it must be an object');
  if (!Array.isArray(o.data)) throw invalidRequest(`${field}.data`, 'it must be an array (flat or nested, row-major)');
  const datatype = o.datatype as V2Datatype;
  const data = flatten(o.data, `${field}.data`, elements);
  if (data.length !== elements) throw invalidRequest(`${field}.data`, `it holds ${data.length} elements, and shape [${o.shape.join(', ')}] needs ${elements}`);
  for (let i = 0; i < data.length; i++) {
    const problem = elementProblem(datatype, data[i]);
    if (problem !== null) throw invalidRequest(`${field}.data[${i}]`, problem);
  }
  return { name: o.name, shape: o.shape as number[], datatype, data, field };
}

function flatten(data: readonly unknown[], field: string, limit: number): unknown[] {
  if (!data.some(Array.isArray)) return data as unknown[];
  const out: unknown[] = [];
  const walk = (a: readonly unknown[], depth: number): void => {
    if (depth > 8) throw invalidRequest(field, 'it is nested deeper than 8 levels');
    for (const x of a) {
      if (Array.isArray(x)) walk(x, depth + 1);
      else out.push(x);
      if (out.length > limit) return;
    }
  };
  walk(data, 0);
  return out;
}

/**
 * Why a JSON element cannot be a value of the datatype, or null. A JSON `null` is a missing value (what pandas-based
 * clients send for None); whether the column may be missing is checked against the signature afterwards.
 */
function elementProblem(datatype: V2Datatype, v: unknown): string | null {
  if (v === null) return null;
  if (datatype === 'BYTES') return typeof v === 'string' ? null : `BYTES elements must be strings (got ${typeof v === 'object' ? String(v) : typeof v})`;
  if (datatype === 'BOOL') return typeof v === 'boolean' ? null : `BOOL elements must be true or false (got ${JSON.stringify(v)})`;
  if (typeof v !== 'number' || !Number.isFinite(v)) return `${datatype} elements must be finite numbers (got ${JSON.stringify(v)})`;
  const range = V2_INTEGER_RANGE[datatype];
  if (range !== undefined && (!Number.isInteger(v) || v < range[0] || v > range[1])) return `${datatype} elements must be integers in [${range[0]}, ${range[1]}] (got ${v})`;
  return null;
}
