import type duckdb from '@duckdb/node-bindings';
import type { Column } from '../../core/frame/column.js';
import { newValidity } from '../../core/frame/validity.js';

/**
 * @internal Accumulates one result column across DuckDB chunks into preallocated typed arrays. `read` copies a chunk
 * of `size` rows to rows [offset, offset + size); `finish` returns the column (owning its memory).
 */
export interface VectorSink {
  validity: Uint8Array | null;
  read(vector: duckdb.Vector, size: number, offset: number): void;
  finish(): Column;
}

/**
 * @internal Copies a chunk's DuckDB validity mask (uint64 words, least significant bit first, which in little-endian
 * bytes is Loom's layout) into the frame bitmap at `offset`, allocating an all-valid bitmap on first use.
 */
export function copyValidity(words: Uint8Array, size: number, offset: number, rows: number, target: Uint8Array | null): Uint8Array {
  const out = target ?? newValidity(rows, true);
  if ((offset & 7) === 0) {
    const fullBytes = size >> 3;
    out.set(words.subarray(0, fullBytes), offset >> 3);
    for (let i = fullBytes << 3; i < size; i++) setBit(out, offset + i, (words[i >> 3] & (1 << (i & 7))) !== 0);
  } else {
    for (let i = 0; i < size; i++) setBit(out, offset + i, (words[i >> 3] & (1 << (i & 7))) !== 0);
  }
  return out;
}

function setBit(bits: Uint8Array, i: number, valid: boolean): void {
  if (valid) bits[i >> 3] |= 1 << (i & 7);
  else bits[i >> 3] &= ~(1 << (i & 7));
}

/** @internal A typed view over native bytes, copied when DuckDB's buffer is not aligned for the element size. */
export function viewAs<A extends Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array>(
  ctor: { new (buffer: ArrayBufferLike, byteOffset: number, length: number): A; readonly BYTES_PER_ELEMENT: number },
  bytes: Uint8Array,
  length: number,
): A {
  if (bytes.byteOffset % ctor.BYTES_PER_ELEMENT === 0) return new ctor(bytes.buffer, bytes.byteOffset, length);
  const copy = bytes.slice(0, length * ctor.BYTES_PER_ELEMENT);
  return new ctor(copy.buffer, 0, length);
}
