import type { CompiledTrees } from './compiled-trees.js';
import { F64, I32, OP, VOID_BLOCK, kernelModule, memoryLimits, sleb, uleb } from '../wasm/assembler.js';

/**
 * The single-row walk of a small model as generated code: WebAssembly in which every node is an `if` on its own
 * comparison, with the threshold, the column's address and the leaf values as constants (in functions of about
 * PART_BYTES each, called in tree order).
 *
 * Why: the record walk (tree-walk-kernel.ts) spends each step decoding a record (load its kind and column, load the
 * threshold, pick a child's address). Here a step is a load at a fixed address, a compare with a constant and a
 * branch. Over Adult's test rows, one row through 100 trees went from 3.5–3.7 to 2.0–2.1 µs (bench/RESULTS.md). The
 * code grows with the model (about 50 bytes per leaf); with the same trees repeated to make larger models, 200 trees
 * still gained (7.1 → 6.9 and 6.2 → 4.6 µs), 300 broke even and 500 lost (13–16 against 20–22 µs), as the code
 * outgrows the processor's instruction caches and branch predictors. So models past ROW_CODE_MAX_LEAVES (200 trees
 * of 31 leaves fit) keep the record walk.
 *
 * The decisions are those of walk and walkRow, on the same normalized row (see tree-walk-kernel.ts for the kinds), and
 * leaf values are added to the same output slots in tree order, so the outputs are theirs bit for bit
 * (predict.test.ts checks all three against a tree-by-tree reference).
 */

/** Most leaves, over all trees, of a model whose single-row walk is generated. */
export const ROW_CODE_MAX_LEAVES = 6400;
/** Deepest tree (in nodes from the root) of such a model; the generator recurses once per level. */
export const ROW_CODE_MAX_DEPTH = 512;

/** Byte addresses, in the scoring block's memory, that the generated code reads and writes. */
export interface RowCodeLayout {
  /** Row 0 of the normalized values (numColumns doubles). */
  readonly values: number;
  /** The numOutputs raw sums the leaf values are added to. */
  readonly raw: number;
  /** The bitset words of categorical nodes (Uint32), as CompiledTrees.catWords. */
  readonly catWords: number;
}

/** The generated walk: adds trees [0, endTree) of the row at `layout.values` into `layout.raw`. */
export type RowCode = (endTree: number) => void;

/** Locals of the generated function, after its parameter END_TREE. */
const END_TREE = 0, V = 1, CODE = 2;
/** i32.lt_u and i32.le_s, which the assembler's OP does not name. */
const I32_LT_U = 0x49, I32_LE_S = 0x4c;
/** The `call` opcode. */
const CALL = 0x10;

/** A growing byte buffer for the function body, which reaches hundreds of kilobytes. */
class CodeWriter {
  #bytes = new Uint8Array(1 << 16);
  #length = 0;
  readonly #f64 = new Float64Array(1);
  readonly #f64Bytes = new Uint8Array(this.#f64.buffer);

  #room(n: number): void {
    if (this.#length + n <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.#bytes.length, this.#length + n));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }

  op(...bytes: number[]): this {
    this.#room(bytes.length);
    for (const b of bytes) this.#bytes[this.#length++] = b;
    return this;
  }

  /** An unsigned LEB128 immediate (local index, memory offset). */
  u32(value: number): this {
    return this.op(...uleb(value));
  }

  /** `i32.const value`. */
  i32(value: number): this {
    return this.op(OP.i32Const, ...sleb(value));
  }

  f64(value: number): this {
    this.#room(9);
    this.#bytes[this.#length++] = OP.f64Const;
    this.#f64[0] = value;
    this.#bytes.set(this.#f64Bytes, this.#length);
    this.#length += 8;
    return this;
  }

  /** `f64.load offset=address` (or store), from address operand 0 pushed first. */
  memF64(op: number, address: number): this {
    return this.op(op, 3).u32(address);
  }

  get bytes(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }
}

/** The depth of the deepest tree, counting nodes from the root (a one-leaf tree is depth 0). */
function maxDepth(c: CompiledTrees): number {
  let deepest = 0;
  const stack: number[] = [];
  for (let t = 0; t < c.numTrees; t++) {
    if (c.root[t] < 0) continue;
    stack.push(c.root[t], 1);
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const node = stack.pop()!;
      deepest = Math.max(deepest, depth);
      for (const next of [c.child[2 * node], c.child[2 * node + 1]]) if (next >= 0) stack.push(next, depth + 1);
    }
  }
  return deepest;
}

/** Code bytes per generated function, about: smaller functions reach optimized code sooner (see rowCodeBytes). */
const PART_BYTES = 16_384;

/** The module's bytes for `c`, or null when the model is past the limits above (the record walk then serves it). */
export function rowCodeBytes(c: CompiledTrees, layout: RowCodeLayout): Uint8Array | null {
  if (c.leafValue.length > ROW_CODE_MAX_LEAVES || maxDepth(c) > ROW_CODE_MAX_DEPTH) return null;
  // The trees go into parts of about PART_BYTES of code each, called in tree order by the exported `row`. V8 runs a
  // new function on its baseline compiler first and optimizes it once it is hot; one function of 160 kB took about
  // 100,000 calls to get there, parts of 16 kB about 20,000.
  const parts: Uint8Array[] = [];
  let t = 0;
  while (t < c.numTrees) {
    const w = new CodeWriter();
    // locals: V (f64), CODE (i32)
    w.op(2, 1, F64, 1, I32);
    w.op(OP.block, VOID_BLOCK);
    const start = w.bytes.length;
    // Trees in order, each skipped from the first t with endTree <= t on.
    do {
      w.op(OP.localGet, END_TREE).i32(t).op(I32_LE_S, OP.brIf, 0);
      treeCode(w, c, layout, c.root[t], layout.raw + 8 * (t % c.numOutputs));
      t++;
    } while (t < c.numTrees && w.bytes.length - start < PART_BYTES);
    w.op(OP.end, OP.end);
    parts.push(sized(w.bytes));
  }
  // `row` (function 0) calls parts 1…n with its endTree.
  const row = new CodeWriter();
  row.op(0);
  for (let p = 0; p < parts.length; p++) row.op(OP.localGet, END_TREE, CALL).u32(p + 1);
  row.op(OP.end);
  return kernelModule(memoryLimits(1), [
    { name: 'row', params: [I32], results: [], code: sized(row.bytes) },
    ...parts.map((code, p) => ({ name: `part${p}`, params: [I32], results: [], code })),
  ]);
}

/** A function body with its size in front, as the code section holds it. */
function sized(body: Uint8Array): Uint8Array {
  const size = uleb(body.length);
  const code = new Uint8Array(size.length + body.length);
  code.set(size);
  code.set(body, size.length);
  return code;
}

/** Appends the code of the (sub)tree at `ref`, whose leaves add to the double at `outAt`. */
function treeCode(w: CodeWriter, c: CompiledTrees, layout: RowCodeLayout, ref: number, outAt: number): void {
  const leaf = (ref: number): void => {
    // raw[output] += value, at a constant address
    w.i32(0).i32(0).memF64(OP.f64Load, outAt).f64(c.leafValue[~ref]).op(OP.f64Add).memF64(OP.f64Store, outAt);
  };
  const node = (ref: number): void => {
    if (ref < 0) return leaf(ref);
    const left = c.child[2 * ref];
    const right = c.child[2 * ref + 1];
    w.i32(0).memF64(OP.f64Load, layout.values + 8 * c.column[ref]);
    const kind = c.kind[ref];
    if (kind === 0) {
      // right iff !(v <= threshold): NaN goes right
      w.f64(c.threshold[ref]).op(OP.f64Le, OP.if, VOID_BLOCK);
      node(left);
      w.op(OP.else);
      node(right);
    } else if (kind === 1) {
      // right iff v > threshold: NaN goes left
      w.f64(c.threshold[ref]).op(OP.f64Gt, OP.if, VOID_BLOCK);
      node(right);
      w.op(OP.else);
      node(left);
    } else {
      // left iff v > -1 and bit trunc(v) of the node's bitset is set (see categoricalRight in tree-walk-kernel.ts)
      const bitset = c.catIndex[ref];
      const first = c.catStart[bitset];
      const bits = 32 * (c.catStart[bitset + 1] - first);
      w.op(OP.localTee, V).f64(-1).op(OP.f64Gt, OP.if, I32);
      w.op(OP.localGet, V, OP.misc, OP.i32TruncSatF64S, OP.localTee, CODE).i32(bits).op(I32_LT_U, OP.if, I32);
      w.op(OP.localGet, CODE).i32(5).op(OP.i32ShrU).i32(2).op(OP.i32Shl, OP.i32Load, 2).u32(layout.catWords + 4 * first);
      w.op(OP.localGet, CODE).i32(31).op(OP.i32And, OP.i32ShrU).i32(1).op(OP.i32And);
      w.op(OP.else).i32(0).op(OP.end, OP.else).i32(0).op(OP.end);
      w.op(OP.if, VOID_BLOCK);
      node(left);
      w.op(OP.else);
      node(right);
    }
    w.op(OP.end);
  };
  node(ref);
}
