import { F64, get, I32, i32, mem, OP, set, tee, uleb, vec, VOID_BLOCK, kernelModule, memoryLimits } from '../wasm/assembler.js';

/**
 * The tree walk of batch and single-row prediction as a WebAssembly function, assembled here from its opcodes.
 *
 * `walk(firstTree, endTree, numOutputs, numRows, rowStride, values, out, roots, nodes, leaves, catStart, catWords)`
 * adds, for trees t in [firstTree, endTree) and rows r in [0, numRows), tree t's leaf value for row r to the double
 * at `out + 8·(r·numOutputs + t % numOutputs)`. Row r's value of column c is the double at `values + r·rowStride + 8c`.
 * `walkRow(…)`, with the same parameters, does it for one row (row 0), four trees at a time (see walkRowBody).
 * All pointers are byte addresses in the instance's memory. Tables (see CompiledTrees):
 * - `roots`: Int32 per tree, a node index or `~leaf`;
 * - `nodes`: a 24-byte record per node: threshold f64 @0, `column << 2 | kind` i32 @8, left i32 @12, right i32 @16,
 *   categorical bitset index i32 @20; a child is a node index or `~leaf`;
 * - `leaves`: f64 per leaf; `catStart`: Int32 word offsets of each bitset (one more than there are bitsets);
 *   `catWords`: the Uint32 bitset words.
 * Node kinds: 0 goes right iff !(v <= threshold), 1 iff v > threshold (so NaN goes right at kind 0, left at kind 1),
 * 2 is categorical: left iff v > -1 and bit trunc(v) of its bitset is set (trunc saturates at 2^31 - 1, which is
 * past every bitset, so larger codes go right as in LightGBM on x86).
 *
 * Why WebAssembly: the numerical decision becomes a comparison result used as an index (no branch to mispredict), and
 * the code V8 emits for it does not depend on what the JIT happened to see first. The same walk in JavaScript measured
 * anywhere from 150k to 200k rows/s on Adult from one process to the next. Leaf values are added in tree order, the
 * same IEEE additions as a plain loop, so predictions are bit-identical to the tree-by-tree definition.
 */

/** Parameters, then locals, by index. */
const FIRST_TREE = 0, END_TREE = 1, NUM_OUTPUTS = 2, NUM_ROWS = 3, ROW_STRIDE = 4, VALUES = 5, OUT = 6;
const ROOTS = 7, NODES = 8, LEAVES = 9, CAT_START = 10, CAT_WORDS = 11;
const T = 12, R = 13, NODE = 14, ROW_BASE = 15, REC = 16, FK = 17, RIGHT = 18, CODE = 19, WORD = 20, OUT_ADDR = 21, ROOT = 22, OUT_STEP = 23, CS = 24;
const V = 25;
const NUM_PARAMS = 12;
const NUM_I32_LOCALS = 13;

/** The node record size in bytes. */
export const NODE_RECORD_BYTES = 24;

/** Sets RIGHT for a categorical node at REC, given V. */
function categoricalRight(): number[] {
  return [
    ...i32(1), ...set(RIGHT),
    ...get(V), OP.f64Const, ...f64Bytes(-1), OP.f64Gt, OP.if, VOID_BLOCK,
    ...get(V), OP.misc, OP.i32TruncSatF64S, ...set(CODE),
    // CS = catStart + 4·bitset
    ...get(CAT_START), ...get(REC), OP.i32Load, ...mem(2, 20), ...i32(2), OP.i32Shl, OP.i32Add, ...set(CS),
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

/** Moves the node in local `node` (an inner node) to its child for the row whose values start at local `rowBase`. */
function nodeStep(node: number, rowBase: number): number[] {
  return [
    ...get(NODES), ...get(node), ...i32(NODE_RECORD_BYTES), OP.i32Mul, OP.i32Add, ...set(REC),
    ...get(REC), OP.i32Load, ...mem(2, 8), ...set(FK),
    // V = values[rowBase + 8·column]
    ...get(rowBase), ...get(FK), ...i32(2), OP.i32ShrU, ...i32(3), OP.i32Shl, OP.i32Add, OP.f64Load, ...mem(3, 0), ...set(V),
    ...get(FK), ...i32(3), OP.i32And, ...i32(2), OP.i32Eq, OP.if, VOID_BLOCK,
    ...categoricalRight(),
    OP.else,
    // RIGHT = kind ? v > threshold : !(v <= threshold)
    ...get(V), ...get(REC), OP.f64Load, ...mem(3, 0), OP.f64Gt,
    ...get(V), ...get(REC), OP.f64Load, ...mem(3, 0), OP.f64Le, OP.i32Eqz,
    ...get(FK), ...i32(1), OP.i32And, OP.select, ...set(RIGHT),
    OP.end,
    ...get(RIGHT), OP.if, VOID_BLOCK,
    ...get(REC), OP.i32Load, ...mem(2, 16), ...set(node),
    OP.else,
    ...get(REC), OP.i32Load, ...mem(2, 12), ...set(node),
    OP.end,
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
    ...get(NODE), ...i32(0), OP.i32LtS, OP.brIf, 1,
    ...nodeStep(NODE, ROW_BASE),
    OP.br, 0,
    OP.end, OP.end,
    // out[OUT_ADDR] += leaves[~NODE]
    ...get(OUT_ADDR),
    ...get(OUT_ADDR), OP.f64Load, ...mem(3, 0),
    ...get(LEAVES), ...get(NODE), ...i32(-1), OP.i32Xor, ...i32(3), OP.i32Shl, OP.i32Add, OP.f64Load, ...mem(3, 0),
    OP.f64Add, OP.f64Store, ...mem(3, 0),
    ...get(OUT_ADDR), ...get(OUT_STEP), OP.i32Add, ...set(OUT_ADDR),
    ...get(ROW_BASE), ...get(ROW_STRIDE), OP.i32Add, ...set(ROW_BASE),
    ...get(R), ...i32(1), OP.i32Add, ...set(R), OP.br, 0,
    OP.end, OP.end,
    ...get(T), ...i32(1), OP.i32Add, ...set(T), OP.br, 0,
    OP.end, OP.end,
    OP.end,
  ];
  const body = [...vec([[...uleb(NUM_I32_LOCALS), I32], [...uleb(1), F64]]), ...code];
  return [...uleb(body.length), ...body];
}

/** Locals of `walkRow` past walk's: the nodes of the second to fourth tree of a group (the first is NODE), and LIVE. */
const NODE_1 = 26, NODE_2 = 27, NODE_3 = 28, LIVE = 29;
/** Trees walked side by side for one row. */
const ROW_GROUP = 4;

/** One step down from the node in local `node` (for row 0 of `values`) when it is not a leaf; sets LIVE when it moved. */
function stepNode(node: number): number[] {
  return [
    OP.block, VOID_BLOCK,
    ...get(node), ...i32(0), OP.i32LtS, OP.brIf, 0,
    ...nodeStep(node, VALUES),
    ...i32(1), ...set(LIVE),
    OP.end,
  ];
}

/** out[8·(tree % numOutputs)] += leaves[~node], for the tree `offset` after T. */
function addLeaf(node: number, offset: number): number[] {
  return [
    ...get(OUT), ...get(T), ...i32(offset), OP.i32Add, ...get(NUM_OUTPUTS), OP.i32RemU, ...i32(3), OP.i32Shl, OP.i32Add, ...set(OUT_ADDR),
    ...get(OUT_ADDR),
    ...get(OUT_ADDR), OP.f64Load, ...mem(3, 0),
    ...get(LEAVES), ...get(node), ...i32(-1), OP.i32Xor, ...i32(3), OP.i32Shl, OP.i32Add, OP.f64Load, ...mem(3, 0),
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
  const body = [...vec([[...uleb(NUM_I32_LOCALS), I32], [...uleb(1), F64], [...uleb(4), I32]]), ...code];
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
  roots: number, nodes: number, leaves: number, catStart: number, catWords: number,
) => void;
