import duckdb from '@duckdb/node-bindings';
import { LoomError } from '../../core/errors/index.js';
import type { Column } from '../../core/frame/column.js';
import { isValid } from '../../core/frame/validity.js';
import { viewAs, type VectorSink } from './vector-sink.js';

// @internal One sink per DuckDB physical layout. Each copies a chunk with typed-array `set` or one tight loop.

const T = duckdb.Type;
const TWO_32 = 4294967296;

/** DOUBLE (width 8) or FLOAT (width 4) → float. */
export class FloatSink implements VectorSink {
  validity: Uint8Array | null = null;
  readonly #values: Float64Array;
  constructor(readonly name: string, rows: number, readonly width: 4 | 8) {
    this.#values = new Float64Array(rows);
  }
  read(vector: duckdb.Vector, size: number, offset: number): void {
    const bytes = duckdb.vector_get_data(vector, size * this.width);
    this.#values.set(this.width === 8 ? viewAs(Float64Array, bytes, size) : viewAs(Float32Array, bytes, size), offset);
  }
  finish(): Column {
    return { type: 'float', name: this.name, length: this.#values.length, values: this.#values, validity: this.validity, tags: [] };
  }
}

/** Integers of at most 16 bits, or signed 32 → Int32Array. */
export class IntSink implements VectorSink {
  validity: Uint8Array | null = null;
  readonly #values: Int32Array;
  readonly #width: number;
  constructor(readonly name: string, rows: number, readonly typeId: number) {
    this.#values = new Int32Array(rows);
    this.#width = typeId === T.INTEGER ? 4 : typeId === T.SMALLINT || typeId === T.USMALLINT ? 2 : 1;
  }
  read(vector: duckdb.Vector, size: number, offset: number): void {
    const bytes = duckdb.vector_get_data(vector, size * this.#width);
    switch (this.typeId) {
      case T.INTEGER:
        this.#values.set(viewAs(Int32Array, bytes, size), offset);
        break;
      case T.SMALLINT:
        this.#values.set(viewAs(Int16Array, bytes, size), offset);
        break;
      case T.USMALLINT:
        this.#values.set(viewAs(Uint16Array, bytes, size), offset);
        break;
      case T.TINYINT:
        this.#values.set(new Int8Array(bytes.buffer, bytes.byteOffset, size), offset);
        break;
      default:
        this.#values.set(bytes.subarray(0, size), offset);
    }
  }
  finish(): Column {
    return { type: 'int', name: this.name, length: this.#values.length, values: this.#values, validity: this.validity, tags: [] };
  }
}

/**
 * 64-bit and wider integers (BIGINT, UBIGINT, UINTEGER, HUGEINT) → int. Read as 32-bit halves, so no BigInt per
 * row; the column narrows to Int32Array at the end when every valid value fits.
 */
export class Int64Sink implements VectorSink {
  validity: Uint8Array | null = null;
  readonly #values: Float64Array;
  #fits32 = true;
  constructor(readonly name: string, rows: number, readonly typeId: number) {
    this.#values = new Float64Array(rows);
  }
  read(vector: duckdb.Vector, size: number, offset: number): void {
    const out = this.#values;
    let fits = true;
    if (this.typeId === T.UINTEGER) {
      const words = viewAs(Uint32Array, duckdb.vector_get_data(vector, size * 4), size);
      for (let i = 0; i < size; i++) {
        const v = words[i];
        out[offset + i] = v;
        if (v > 2147483647) fits = false;
      }
    } else {
      const stride = this.typeId === T.HUGEINT ? 4 : 2;
      const words = viewAs(Int32Array, duckdb.vector_get_data(vector, size * stride * 4), size * stride);
      const unsigned = this.typeId === T.UBIGINT;
      for (let i = 0; i < size; i++) {
        const lo = words[i * stride] >>> 0;
        const hi = words[i * stride + 1];
        // HUGEINT is (upper int64) · 2^64 + (lower uint64); precision beyond 2^53 is lost, as for any JS number.
        const v = stride === 4
          ? (words[i * 4 + 3] * TWO_32 + (words[i * 4 + 2] >>> 0)) * TWO_32 * TWO_32 + (hi >>> 0) * TWO_32 + lo
          : (unsigned ? hi >>> 0 : hi) * TWO_32 + lo;
        out[offset + i] = v;
        if (v > 2147483647 || v < -2147483648) fits = false;
      }
    }
    // Invalid slots hold garbage that must not force the wide layout.
    if (!fits && this.validity) fits = this.#validRowsFit(offset, size);
    if (!fits) this.#fits32 = false;
  }
  #validRowsFit(offset: number, size: number): boolean {
    for (let i = offset; i < offset + size; i++) {
      const v = this.#values[i];
      if (isValid(this.validity, i) && (v > 2147483647 || v < -2147483648)) return false;
    }
    return true;
  }
  finish(): Column {
    const values = this.#fits32 ? Int32Array.from(this.#values) : this.#values;
    return { type: 'int', name: this.name, length: values.length, values, validity: this.validity, tags: [] };
  }
}

/** DECIMAL → float, dividing the scaled integer by 10^scale. */
export class DecimalSink implements VectorSink {
  validity: Uint8Array | null = null;
  readonly #values: Float64Array;
  readonly #divisor: number;
  constructor(readonly name: string, rows: number, readonly internal: number, scale: number) {
    this.#values = new Float64Array(rows);
    this.#divisor = 10 ** scale;
  }
  read(vector: duckdb.Vector, size: number, offset: number): void {
    const out = this.#values;
    const d = this.#divisor;
    if (this.internal === T.SMALLINT) {
      const v = viewAs(Int16Array, duckdb.vector_get_data(vector, size * 2), size);
      for (let i = 0; i < size; i++) out[offset + i] = v[i] / d;
    } else if (this.internal === T.INTEGER) {
      const v = viewAs(Int32Array, duckdb.vector_get_data(vector, size * 4), size);
      for (let i = 0; i < size; i++) out[offset + i] = v[i] / d;
    } else {
      const stride = this.internal === T.HUGEINT ? 4 : 2;
      const w = viewAs(Int32Array, duckdb.vector_get_data(vector, size * stride * 4), size * stride);
      for (let i = 0; i < size; i++) {
        let v = w[i * stride + 1] * TWO_32 + (w[i * stride] >>> 0);
        if (stride === 4) v = (w[i * 4 + 3] * TWO_32 + (w[i * 4 + 2] >>> 0)) * TWO_32 * TWO_32 + (w[i * 4 + 1] >>> 0) * TWO_32 + (w[i * 4] >>> 0);
        out[offset + i] = v / d;
      }
    }
  }
  finish(): Column {
    return { type: 'float', name: this.name, length: this.#values.length, values: this.#values, validity: this.validity, tags: [] };
  }
}

/** BOOLEAN → bool (0/1 bytes). */
export class BoolSink implements VectorSink {
  validity: Uint8Array | null = null;
  readonly #values: Uint8Array;
  constructor(readonly name: string, rows: number) {
    this.#values = new Uint8Array(rows);
  }
  read(vector: duckdb.Vector, size: number, offset: number): void {
    this.#values.set(duckdb.vector_get_data(vector, size).subarray(0, size), offset);
  }
  finish(): Column {
    return { type: 'bool', name: this.name, length: this.#values.length, values: this.#values, validity: this.validity, tags: [] };
  }
}

const decoder = new TextDecoder();

/**
 * VARCHAR → string. DuckDB strings are 16-byte records: a length, then either the bytes inline (≤ 12) or a prefix
 * and a pointer. Short ASCII strings decode without TextDecoder, which dominates the cost otherwise.
 */
export class StringSink implements VectorSink {
  validity: Uint8Array | null = null;
  readonly #values: string[];
  constructor(readonly name: string, rows: number) {
    this.#values = new Array<string>(rows).fill('');
  }
  read(vector: duckdb.Vector, size: number, offset: number): void {
    const bytes = duckdb.vector_get_data(vector, size * 16);
    const view = new DataView(bytes.buffer, bytes.byteOffset, size * 16);
    const out = this.#values;
    const validity = this.validity;
    for (let i = 0; i < size; i++) {
      if (validity !== null && !isValid(validity, offset + i)) continue;
      const at = i * 16;
      const length = view.getUint32(at, true);
      if (length <= 12) out[offset + i] = inlineString(bytes, at + 4, length);
      else out[offset + i] = decoder.decode(duckdb.get_data_from_pointer(bytes.buffer as ArrayBuffer, bytes.byteOffset + at + 8, length));
    }
  }
  finish(): Column {
    return { type: 'string', name: this.name, length: this.#values.length, values: this.#values, validity: this.validity, tags: [] };
  }
}

function inlineString(bytes: Uint8Array, start: number, length: number): string {
  let ascii = true;
  for (let k = 0; k < length; k++) if (bytes[start + k] > 0x7f) ascii = false;
  if (!ascii) return decoder.decode(bytes.subarray(start, start + length));
  switch (length) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(bytes[start]);
    case 2:
      return String.fromCharCode(bytes[start], bytes[start + 1]);
    default:
      return String.fromCharCode.apply(null, bytes.subarray(start, start + length) as unknown as number[]);
  }
}

/** ENUM → category: codes are the enum indices; null rows get -1. */
export class EnumSink implements VectorSink {
  validity: Uint8Array | null = null;
  readonly #codes: Int32Array;
  constructor(readonly name: string, rows: number, readonly internal: number, readonly dictionary: readonly string[]) {
    this.#codes = new Int32Array(rows);
  }
  read(vector: duckdb.Vector, size: number, offset: number): void {
    if (this.internal === T.UTINYINT) this.#codes.set(duckdb.vector_get_data(vector, size).subarray(0, size), offset);
    else if (this.internal === T.USMALLINT) this.#codes.set(viewAs(Uint16Array, duckdb.vector_get_data(vector, size * 2), size), offset);
    else this.#codes.set(viewAs(Int32Array, duckdb.vector_get_data(vector, size * 4), size), offset);
  }
  finish(): Column {
    const codes = this.#codes;
    if (this.validity) for (let i = 0; i < codes.length; i++) if (!isValid(this.validity, i)) codes[i] = -1;
    return { type: 'category', name: this.name, length: codes.length, codes, dictionary: Object.freeze([...this.dictionary]), validity: this.validity, tags: [] };
  }
}

/** TIMESTAMP variants (int64 in s, ms, µs or ns) → epoch ms, floored. `msPerUnit` converts one stored unit. */
export class TimestampSink implements VectorSink {
  validity: Uint8Array | null = null;
  readonly #values: Float64Array;
  constructor(readonly name: string, rows: number, readonly msPerUnit: number) {
    this.#values = new Float64Array(rows);
  }
  read(vector: duckdb.Vector, size: number, offset: number): void {
    const w = viewAs(Int32Array, duckdb.vector_get_data(vector, size * 8), size * 2);
    const out = this.#values;
    const unit = this.msPerUnit;
    // Division by an exact power of ten is correctly rounded, multiplication by 1e-3 is not; floor after either.
    const divisor = unit < 1 ? Math.round(1 / unit) : 0;
    for (let i = 0; i < size; i++) {
      const raw = w[2 * i + 1] * TWO_32 + (w[2 * i] >>> 0);
      out[offset + i] = divisor > 0 ? Math.floor(raw / divisor) : raw * unit;
    }
  }
  finish(): Column {
    return { type: 'timestamp', name: this.name, length: this.#values.length, values: this.#values, validity: this.validity, tags: [] };
  }
}

/** DATE (int32 days since 1970-01-01) → epoch ms at midnight UTC. */
export class DateSink implements VectorSink {
  validity: Uint8Array | null = null;
  readonly #values: Float64Array;
  constructor(readonly name: string, rows: number) {
    this.#values = new Float64Array(rows);
  }
  read(vector: duckdb.Vector, size: number, offset: number): void {
    const days = viewAs(Int32Array, duckdb.vector_get_data(vector, size * 4), size);
    for (let i = 0; i < size; i++) this.#values[offset + i] = days[i] * 86_400_000;
  }
  finish(): Column {
    return { type: 'timestamp', name: this.name, length: this.#values.length, values: this.#values, validity: this.validity, tags: [] };
  }
}

/** Shared by the list sinks: row-major Float32 storage, allocated once the dimension is known. */
abstract class EmbeddingSinkBase implements VectorSink {
  validity: Uint8Array | null = null;
  protected values: Float32Array | null = null;
  protected dim = -1;
  constructor(readonly name: string, readonly rows: number, readonly childWidth: 4 | 8) {}
  abstract read(vector: duckdb.Vector, size: number, offset: number): void;
  protected ensure(dim: number): Float32Array {
    if (this.dim === -1) {
      this.dim = dim;
      this.values = new Float32Array(this.rows * dim);
    } else if (dim !== this.dim) {
      throw new LoomError('FRAME_TYPE_MISMATCH', { column: this.name, actual: `a vector of length ${dim}`, expected: `length ${this.dim} (every row of an embedding has one length)` }, { details: { field: this.name } });
    }
    return this.values!;
  }
  protected childValues(child: duckdb.Vector, count: number): Float64Array | Float32Array {
    const bytes = duckdb.vector_get_data(child, count * this.childWidth);
    const values = this.childWidth === 8 ? viewAs(Float64Array, bytes, count) : viewAs(Float32Array, bytes, count);
    // A null inside a vector becomes NaN, which downstream code treats as missing.
    const mask = duckdb.vector_get_validity(child, Math.ceil(count / 64) * 8);
    if (!mask) return values;
    const copy = values.slice();
    for (let i = 0; i < count; i++) if ((mask[i >> 3] & (1 << (i & 7))) === 0) copy[i] = Number.NaN;
    return copy;
  }
  finish(): Column {
    const dim = Math.max(0, this.dim);
    return { type: 'embedding', name: this.name, length: this.rows, dim, values: this.values ?? new Float32Array(0), validity: this.validity, tags: [] };
  }
}

/** LIST of DOUBLE/FLOAT → embedding; every non-null row must have the same length. */
export class ListSink extends EmbeddingSinkBase {
  read(vector: duckdb.Vector, size: number, offset: number): void {
    const entries = viewAs(Uint32Array, duckdb.vector_get_data(vector, size * 16), size * 4);
    const child = duckdb.list_vector_get_child(vector);
    const childValues = this.childValues(child, duckdb.list_vector_get_size(vector));
    for (let i = 0; i < size; i++) {
      if (this.validity !== null && !isValid(this.validity, offset + i)) continue;
      const start = entries[4 * i];
      const length = entries[4 * i + 2];
      const out = this.ensure(length);
      out.set(childValues.subarray(start, start + length), (offset + i) * length);
    }
  }
}

/** ARRAY(n) of DOUBLE/FLOAT → embedding of dimension n. */
export class FixedListSink extends EmbeddingSinkBase {
  constructor(name: string, rows: number, childWidth: 4 | 8, readonly size: number) {
    super(name, rows, childWidth);
  }
  read(vector: duckdb.Vector, size: number, offset: number): void {
    const out = this.ensure(this.size);
    const child = duckdb.array_vector_get_child(vector);
    out.set(this.childValues(child, size * this.size), offset * this.size);
  }
}
