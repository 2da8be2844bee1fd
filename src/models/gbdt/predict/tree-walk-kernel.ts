import type { CompiledTrees } from './compiled-trees.js';
import { F64, get, I32, i32, mem, OP, set, tee, uleb, vec, VOID_BLOCK, kernelModule, memoryLimits } from '../wasm/assembler.js';

/**
 * The tree walk of batch and single-row prediction as a WebAssembly function, assembled here from its opcodes.
 *
 * `walk(firstTree, endTree, numOutputs, numRows, rowStride, values, out, roots, catStart, catWords)` adds, for trees
 * t in [firstTree, endTree) and rows r in [0, numRows), tree t's leaf value for row r to the double at
 * `out + 8·(r·numOutputs + t % numOutputs)`. Row r's value of column c is the double at `values + r·rowStride + 8c`.
 * `walkRow(…)`, with the same parameters, does it for one row (row 0), four trees at a time (see walkRowBody).
 * All pointers are byte addresses in the instance's memory. Tables (see writeNodeRecords):
 * - `roots`: Int32 per tree, the address of its root record;
 * - records of 16 bytes, one per node and one per leaf: at 0 the threshold (f64), the leaf value (f64) or, for a
 *   categorical node, its bitset index (i32); at 8 `column << 3 | kind` (i32); at 12 the address of the left child's
 *   record (i32). The right child's record follows the left one, so a step is one load at `left + 16·right`.
 * - `catStart`: Int32 word offsets of each bitset (one more than there are bitsets); `catWords`: the Uint32 words.
 * Kinds: 0 goes right iff !(v <= threshold), 1 iff v > threshold (so NaN goes right at kind 0, left at kind 1),
 * 2 is categorical: left iff v > -1 and bit trunc(v) of its bitset is set (trunc saturates at 2^31 - 1, which is
 * past every bitset, so larger codes go right as in LightGBM on x86), 3 is a leaf.
 *
 * Why WebAssembly: the code V8 emits for the walk does not depend on what the JIT happened to see first. The same walk in JavaScript measured
 * anywhere from 150k to 200k rows/s on Adult from one process to the next. Leaf values are added in tree order, the
 * same IEEE additions as a plain loop, so predictions are bit-identical to the tree-by-tree definition.
 *
 * Why this layout: a served model's trees fall out of the processor's caches between two requests, so a single-row
 * walk mostly waits on memory. Records laid out breadth first, siblings side by side and leaves inline, put a tree's
 * first levels in adjacent cache lines, make a step one load, and leave no separate leaf table to visit. With
 * Adult's 100 trees one row went from 5.3 to 3.9 µs with its caches flushed before each row, and batch prediction
 * from 275k to 328k rows/s (bench/RESULTS.md).
 */

/** Parameters, then locals, by index. */
const FIRST_TREE = 0, END_TREE = 1, NUM_OUTPUTS = 2, NUM_ROWS = 3, ROW_STRIDE = 4, VALUES = 5, OUT = 6;
const ROOTS = 7, CAT_START = 8, CAT_WORDS = 9;
const T = 10, R = 11, NODE = 12, ROW_BASE = 13, FK = 14, RIGHT = 15, CODE = 16, WORD = 17, OUT_ADDR = 18, ROOT = 19, OUT_STEP = 20, CS = 21;
const V = 22, THR = 23;
const NUM_PARAMS = 10;
const NUM_I32_LOCALS = 12;
const NUM_F64_LOCALS = 2;

/** The record size in bytes. */
export const NODE_RECORD_BYTES = 16;
/** The kind of a leaf record. */
const KIND_LEAF = 3;

/** Sets RIGHT for the categorical node whose record address is in local `node`, given V. */
function categoricalRight(node: number): number[] {
  return [
    ...i32(1), ...set(RIGHT),
    ...get(V), OP.f64Const, ...f64Bytes(-1), OP.f64Gt, OP.if, VOID_BLOCK,
    ...get(V), OP.misc, OP.i32TruncSatF64S, ...set(CODE),
    // CS = catStart + 4·bitset
    ...get(CAT_START), ...get(node), OP.i32Load, ...mem(2, 0), ...i32(2), OP.i32Shl, OP.i32Add, ...set(CS),
    ...get(CS), OP.i32Load, ...mem(2, 0), ...get(CODE), ...i32(5), OP.i32ShrU, OP.i32Add, ...tee(WORD),
    ...get(CS), OP.i32Load, ...mem(2, 4), OP.i32LtS, OP.if, VOID_BLOCK,
    // RIGHT = 1 ^ ((catWords[WORD] >>> (CODE & 31)) & 1)
    ...get(CAT_WORDS), ...get(WORD), ...i32(2), OP.i32Shl, OP.i32Add, OP.i32Load, ...mem(2, 0),
    ...get(CODE), ...i32(31), OP.i32And, OP.i32ShrU, ...i32(1), OP.i32And, ...i32(1), OP.i32Xor, ...set(RIGHT),
    OP.end,
    OP.end,
  ];
}

function f64Bytes(value: number): number[] {
  return Array.from(new Uint8Array(Float64Array.of(value).buffer));
}

/** Records of `compiled`'s trees: one per node and one per leaf. */
export function nodeRecordCount(compiled: CompiledTrees): number {
  return 2 * compiled.column.length + compiled.numTrees;
}

/**
 * Writes the walk's tables for `compiled` into `buffer`: the root record addresses (Int32 per tree) at byte `roots`
 * and nodeRecordCount records at byte `records` (a multiple of 16). Each tree's records are laid out breadth first,
 * a node's two children side by side.
 */
export function writeNodeRecords(compiled: CompiledTrees, buffer: ArrayBufferLike, roots: number, records: number): void {
  const view = new DataView(buffer, records, NODE_RECORD_BYTES * nodeRecordCount(compiled));
  const rootAt = new Int32Array(buffer, roots, compiled.numTrees);
  // Per tree, a queue of (node or ~leaf, record index) in breadth-first order.
  const queue = new Int32Array(2 * nodeRecordCount(compiled));
  let next = 0;
  for (let t = 0; t < compiled.numTrees; t++) {
    let head = 0;
    let tail = 0;
    queue[tail++] = compiled.root[t];
    queue[tail++] = next;
    rootAt[t] = records + NODE_RECORD_BYTES * next++;
    while (head < tail) {
      const ref = queue[head++];
      const at = NODE_RECORD_BYTES * queue[head++];
      if (ref < 0) {
        view.setFloat64(at, compiled.leafValue[~ref], true);
        view.setInt32(at + 8, KIND_LEAF, true);
        continue;
      }
      const kind = compiled.kind[ref];
      if (kind === 2) view.setInt32(at, compiled.catIndex[ref], true);
      else view.setFloat64(at, compiled.threshold[ref], true);
      view.setInt32(at + 8, (compiled.column[ref] << 3) | kind, true);
      view.setInt32(at + 12, records + NODE_RECORD_BYTES * next, true);
      queue[tail++] = compiled.child[2 * ref];
      queue[tail++] = next++;
      queue[tail++] = compiled.child[2 * ref + 1];
      queue[tail++] = next++;
    }
  }
}

/** FK = the `column << 3 | kind` word of the record whose address is in local `node`. */
function loadKind(node: number): number[] {
  return [...get(node), OP.i32Load, ...mem(2, 8), ...set(FK)];
}

/** `br_if depth` when FK is a leaf's. */
function breakIfLeaf(depth: number): number[] {
  return [...get(FK), ...i32(3), OP.i32And, ...i32(KIND_LEAF), OP.i32Eq, OP.brIf, depth];
}

/**
 * Moves local `node` (an inner node's record, FK loaded) to its child's record for the row at local `rowBase`.
 * `branchless` picks the child with arithmetic, otherwise with a branch. A branch lets the processor guess and run
 * ahead into the next level, which pays on one row's chain of nodes (batch walk); arithmetic never mispredicts, which
 * pays where four trees' chains already overlap (walkRow).
 */
function nodeStep(node: number, rowBase: number, branchless: boolean): number[] {
  return [
    // V = values[rowBase + 8·column]
    ...get(rowBase), ...get(FK), ...i32(-8), OP.i32And, OP.i32Add, OP.f64Load, ...mem(3, 0), ...set(V),
    ...get(FK), ...i32(3), OP.i32And, ...i32(2), OP.i32Eq, OP.if, VOID_BLOCK,
    ...categoricalRight(node),
    OP.else,
    // RIGHT = kind ? v > threshold : !(v <= threshold)
    ...get(node), OP.f64Load, ...mem(3, 0), ...set(THR),
    ...get(V), ...get(THR), OP.f64Gt,
    ...get(V), ...get(THR), OP.f64Le, OP.i32Eqz,
    ...get(FK), ...i32(1), OP.i32And, OP.select, ...set(RIGHT),
    OP.end,
    // node = left + 16·RIGHT
    ...get(node), OP.i32Load, ...mem(2, 12),
    ...(branchless ? [...get(RIGHT), ...i32(4), OP.i32Shl, OP.i32Add] : [...get(RIGHT), OP.if, I32, ...i32(NODE_RECORD_BYTES), OP.else, ...i32(0), OP.end, OP.i32Add]),
    ...set(node),
  ];
}

function walkBody(): number[] {
  const code = [
    ...get(NUM_OUTPUTS), ...i32(3), OP.i32Shl, ...set(OUT_STEP),
    ...get(FIRST_TREE), ...set(T),
    OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK,
    ...get(T), ...get(END_TREE), OP.i32GeS, OP.brIf, 1,
    ...get(ROOTS), ...get(T), ...i32(2), OP.i32Shl, OP.i32Add, OP.i32Load, ...mem(2, 0), ...set(ROOT),
    // OUT_ADDR = out + 8·(t % numOutputs)
    ...get(OUT), ...get(T), ...get(NUM_OUTPUTS), OP.i32RemU, ...i32(3), OP.i32Shl, OP.i32Add, ...set(OUT_ADDR),
    ...get(VALUES), ...set(ROW_BASE),
    ...i32(0), ...set(R),
    OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK,
    ...get(R), ...get(NUM_ROWS), OP.i32GeS, OP.brIf, 1,
    ...get(ROOT), ...set(NODE),
    OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK,
    ...loadKind(NODE),
    ...breakIfLeaf(1),
    ...nodeStep(NODE, ROW_BASE, false),
    OP.br, 0,
    OP.end, OP.end,
    // out[OUT_ADDR] += the leaf's value
    ...get(OUT_ADDR),
    ...get(OUT_ADDR), OP.f64Load, ...mem(3, 0),
    ...get(NODE), OP.f64Load, ...mem(3, 0),
    OP.f64Add, OP.f64Store, ...mem(3, 0),
    ...get(OUT_ADDR), ...get(OUT_STEP), OP.i32Add, ...set(OUT_ADDR),
    ...get(ROW_BASE), ...get(ROW_STRIDE), OP.i32Add, ...set(ROW_BASE),
    ...get(R), ...i32(1), OP.i32Add, ...set(R), OP.br, 0,
    OP.end, OP.end,
    ...get(T), ...i32(1), OP.i32Add, ...set(T), OP.br, 0,
    OP.end, OP.end,
    OP.end,
  ];
  const body = [...vec([[...uleb(NUM_I32_LOCALS), I32], [...uleb(NUM_F64_LOCALS), F64]]), ...code];
  return [...uleb(body.length), ...body];
}

/** Locals of `walkRow` past walk's: the nodes of the second to fourth tree of a group (the first is NODE), and LIVE. */
const NODE_1 = 24, NODE_2 = 25, NODE_3 = 26, LIVE = 27;
/** Trees walked side by side for one row. */
const ROW_GROUP = 4;

/** One step down from the node in local `node` (for row 0 of `values`) when it is not a leaf; sets LIVE when it moved. */
function stepNode(node: number): number[] {
  return [
    OP.block, VOID_BLOCK,
    ...loadKind(node),
    ...breakIfLeaf(0),
    ...nodeStep(node, VALUES, true),
    ...i32(1), ...set(LIVE),
    OP.end,
  ];
}

/** out[8·(tree % numOutputs)] += the value of the leaf record in local `node`, for the tree `offset` after T. */
function addLeaf(node: number, offset: number): number[] {
  return [
    ...get(OUT), ...get(T), ...i32(offset), OP.i32Add, ...get(NUM_OUTPUTS), OP.i32RemU, ...i32(3), OP.i32Shl, OP.i32Add, ...set(OUT_ADDR),
    ...get(OUT_ADDR),
    ...get(OUT_ADDR), OP.f64Load, ...mem(3, 0),
    ...get(node), OP.f64Load, ...mem(3, 0),
    OP.f64Add, OP.f64Store, ...mem(3, 0),
  ];
}

/**
 * `walkRow`: walk's parameters, for one row (numRows and rowStride are not read). The trees are walked four at a
 * time, one step of each in turn until all four reach a leaf: four independent chains of loads for the processor
 * to overlap, where walking one tree after another leaves it one. Leaf values are still added in tree order, so the
 * outputs are walk's, bit for bit.
 */
function walkRowBody(): number[] {
  const nodes = [NODE, NODE_1, NODE_2, NODE_3];
  const code = [
    ...get(FIRST_TREE), ...set(T),
    // Groups of four trees.
    OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK,
    // while T + 4 <= endTree
    ...get(END_TREE), ...get(T), ...i32(ROW_GROUP), OP.i32Add, OP.i32LtS, OP.brIf, 1,
    ...nodes.flatMap((node, j) => [...get(ROOTS), ...get(T), ...i32(j), OP.i32Add, ...i32(2), OP.i32Shl, OP.i32Add, OP.i32Load, ...mem(2, 0), ...set(node)]),
    OP.loop, VOID_BLOCK,
    ...i32(0), ...set(LIVE),
    ...nodes.flatMap((node) => stepNode(node)),
    ...get(LIVE), OP.brIf, 0,
    OP.end,
    ...nodes.flatMap((node, j) => addLeaf(node, j)),
    ...get(T), ...i32(ROW_GROUP), OP.i32Add, ...set(T), OP.br, 0,
    OP.end, OP.end,
    // The last trees, one at a time.
    OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK,
    ...get(T), ...get(END_TREE), OP.i32GeS, OP.brIf, 1,
    ...get(ROOTS), ...get(T), ...i32(2), OP.i32Shl, OP.i32Add, OP.i32Load, ...mem(2, 0), ...set(NODE),
    OP.loop, VOID_BLOCK,
    ...i32(0), ...set(LIVE),
    ...stepNode(NODE),
    ...get(LIVE), OP.brIf, 0,
    OP.end,
    ...addLeaf(NODE, 0),
    ...get(T), ...i32(1), OP.i32Add, ...set(T), OP.br, 0,
    OP.end, OP.end,
    OP.end,
  ];
  const body = [...vec([[...uleb(NUM_I32_LOCALS), I32], [...uleb(NUM_F64_LOCALS), F64], [...uleb(4), I32]]), ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes; it imports `env.memory`. */
export function treeWalkKernelBytes(): Uint8Array {
  const params = new Array<number>(NUM_PARAMS).fill(I32);
  return kernelModule(memoryLimits(1), [
    { name: 'walk', params, results: [], code: walkBody() },
    { name: 'walkRow', params, results: [], code: walkRowBody() },
  ]);
}

/** The walk function bound to one memory. */
export type TreeWalk = (
  firstTree: number, endTree: number, numOutputs: number, numRows: number, rowStride: number, values: number, out: number,
  roots: number, catStart: number, catWords: number,
) => void;
