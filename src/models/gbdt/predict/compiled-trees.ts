import { DECISION_CATEGORICAL, type Tree } from '../tree/tree.js';

/** How a node decides, once its column's values went through normalizeRows. */
const KIND_LESS_EQUAL = 0; // right iff !(v <= threshold): NaN goes right
const KIND_GREATER = 1; // right iff v > threshold: NaN goes left
const KIND_CATEGORICAL = 2; // left iff category trunc(v) (as LightGBM's int cast: -0.5 is 0) is in the node's bitset

/** What normalizeRows does to a column's values so that its nodes only need the kinds above. */
const VALUES_NAN_AS_ZERO = 0; // missing type None: NaN counts as 0
const VALUES_ZERO_AS_NAN = 1; // missing type Zero: 0 (|v| <= 1e-35) and NaN both follow the default direction
const VALUES_AS_IS = 2; // missing type NaN, categorical, or unused

/** The missing-type bits (2–3) of a decision byte. */
const MISSING_NONE_BITS = 0;
const MISSING_ZERO_BITS = 1 << 2;
/** Marks a categorical node where a missing class is expected. */
const CATEGORICAL_CLASS = -1;
/** Category codes at or above this go right (they are no int32, so no bitset can hold them). */
const MAX_CATEGORY = 2 ** 31;
/** LightGBM's kZeroThreshold: |v| at most this counts as zero. */
const ZERO_THRESHOLD = Math.fround(1e-35);

/**
 * Trees flattened into typed arrays for prediction. Node `n` (global over all trees) splits on column `column[n]`;
 * its children are `child[2n]` (left) and `child[2n + 1]` (right), each a node index or `~leaf` for a global leaf
 * whose value is `leafValue[leaf]`. Numerical nodes compare with `threshold[n]`; categorical nodes use bitset
 * `catIndex[n]`, words `catWords[catStart[b] .. catStart[b + 1])`. Tree `t` starts at `root[t]` (a node, or `~leaf`
 * for a one-leaf tree) and adds to output `t % numOutputs`.
 *
 * LightGBM tests a node's missing type (None, Zero, NaN) at every node. Here each column's values are rewritten once
 * per row instead (normalizeRows): NaN becomes 0 where the type is None, and 0 becomes NaN where it is Zero. A
 * numerical node then only compares, with `<=` when missing goes right and `>` when it goes left. A row has one column
 * per model feature, plus a copy of a feature for each further missing type its nodes use (LightGBM never writes such
 * a model, but a hand-edited file may), so every node still sees its own rewrite.
 */
export interface CompiledTrees {
  readonly numTrees: number;
  readonly numOutputs: number;
  /** Model features, then the extra copies. */
  readonly numColumns: number;
  /** Per column: the model feature it holds. */
  readonly columnSource: Int32Array;
  /** Per column: VALUES_*. */
  readonly columnRewrite: Uint8Array;
  readonly root: Int32Array;
  readonly column: Int32Array;
  readonly kind: Uint8Array;
  readonly threshold: Float64Array;
  readonly catIndex: Int32Array;
  readonly child: Int32Array;
  readonly leafValue: Float64Array;
  readonly catStart: Int32Array;
  readonly catWords: Uint32Array;
}

/** The missing class of a node: CATEGORICAL_CLASS, or its missing-type bits. */
function missingClass(decision: number): number {
  return (decision & DECISION_CATEGORICAL) !== 0 ? CATEGORICAL_CLASS : decision & 12;
}

/** Flattens `trees` (tree t belongs to output t % numOutputs) of a model with `numFeatures` features. */
export function compileTrees(trees: readonly Tree[], numOutputs: number, numFeatures: number): CompiledTrees {
  let nodes = 0;
  let leaves = 0;
  let cats = 0;
  let words = 0;
  for (const t of trees) {
    nodes += t.numLeaves - 1;
    leaves += t.numLeaves;
    cats += t.numCat;
    words += t.catThreshold.length;
  }
  // Columns: feature f's first missing class uses column f; each further class gets a new column.
  const columnOf = new Map<string, number>();
  const columnSource: number[] = Array.from({ length: numFeatures }, (_, f) => f);
  const columnClass: number[] = new Array<number>(numFeatures).fill(Number.NaN);
  const columnFor = (feature: number, cls: number): number => {
    const key = `${feature}:${cls}`;
    let col = columnOf.get(key);
    if (col === undefined) {
      col = Number.isNaN(columnClass[feature]) ? feature : columnSource.length;
      if (col !== feature) columnSource.push(feature);
      columnClass[col] = cls;
      columnOf.set(key, col);
    }
    return col;
  };
  const c = {
    numTrees: trees.length,
    numOutputs,
    numColumns: 0,
    columnSource: new Int32Array(0),
    columnRewrite: new Uint8Array(0),
    root: new Int32Array(trees.length),
    column: new Int32Array(nodes),
    kind: new Uint8Array(nodes),
    threshold: new Float64Array(nodes),
    catIndex: new Int32Array(nodes),
    child: new Int32Array(2 * nodes),
    leafValue: new Float64Array(leaves),
    catStart: new Int32Array(cats + 1),
    catWords: new Uint32Array(words),
  };
  let nodeBase = 0;
  let leafBase = 0;
  let catBase = 0;
  let wordBase = 0;
  trees.forEach((t, ti) => {
    const inner = t.numLeaves - 1;
    c.root[ti] = inner === 0 ? ~leafBase : nodeBase;
    for (let n = 0; n < inner; n++) {
      const g = nodeBase + n;
      const d = t.decisionType[n];
      const cls = missingClass(d);
      c.column[g] = columnFor(t.splitFeature[n], cls);
      if (cls === CATEGORICAL_CLASS) {
        c.kind[g] = KIND_CATEGORICAL;
        c.catIndex[g] = catBase + t.threshold[n];
      } else {
        c.kind[g] = cls !== MISSING_NONE_BITS && (d & 2) !== 0 ? KIND_GREATER : KIND_LESS_EQUAL;
        c.threshold[g] = t.threshold[n];
      }
      c.child[2 * g] = t.leftChild[n] >= 0 ? nodeBase + t.leftChild[n] : ~(leafBase + ~t.leftChild[n]);
      c.child[2 * g + 1] = t.rightChild[n] >= 0 ? nodeBase + t.rightChild[n] : ~(leafBase + ~t.rightChild[n]);
    }
    for (let l = 0; l < t.numLeaves; l++) c.leafValue[leafBase + l] = t.leafValue[l];
    for (let k = 0; k < t.numCat; k++) c.catStart[catBase + k] = wordBase + t.catBoundaries[k];
    for (let w = 0; w < t.catThreshold.length; w++) c.catWords[wordBase + w] = t.catThreshold[w];
    nodeBase += inner;
    leafBase += t.numLeaves;
    catBase += t.numCat;
    wordBase += t.catThreshold.length;
  });
  c.catStart[cats] = wordBase;
  c.numColumns = columnSource.length;
  c.columnSource = Int32Array.from(columnSource);
  c.columnRewrite = Uint8Array.from(columnClass, (cls) =>
    cls === MISSING_NONE_BITS ? VALUES_NAN_AS_ZERO : cls === MISSING_ZERO_BITS ? VALUES_ZERO_AS_NAN : VALUES_AS_IS);
  return c;
}

/**
 * Prepares `numRows` rows of a row-major block (row r's column j at `values[r * numColumns + j]`) whose first
 * numFeatures columns hold the model's feature values (NaN = missing): fills the extra columns from their features
 * (before any is rewritten), then rewrites missing values in place (NaN → 0 for missing type None, 0 → NaN for type Zero).
 */
export function normalizeRows(c: CompiledTrees, values: Float64Array, numRows: number): void {
  const { numColumns, columnSource, columnRewrite } = c;
  const end = numRows * numColumns;
  for (let j = 0; j < numColumns; j++) {
    const source = columnSource[j];
    if (source !== j) for (let i = j; i < end; i += numColumns) values[i] = values[i - j + source];
  }
  for (let j = 0; j < numColumns; j++) {
    const rewrite = columnRewrite[j];
    if (rewrite === VALUES_NAN_AS_ZERO) {
      for (let i = j; i < end; i += numColumns) if (values[i] !== values[i]) values[i] = 0;
    } else if (rewrite === VALUES_ZERO_AS_NAN) {
      for (let i = j; i < end; i += numColumns) {
        const v = values[i];
        if (v >= -ZERO_THRESHOLD && v <= ZERO_THRESHOLD) values[i] = NaN;
      }
    }
  }
}

/**
 * Adds the leaf values of trees [firstTree, endTree) for each of `numRows` normalized rows (row r's column j at
 * `values[r * numColumns + j]`) to `out[r * numOutputs + t % numOutputs]`, in tree order. This is the JavaScript walk,
 * used where WebAssembly is unavailable (e.g. `node --jitless`); TreeWalker runs the same decisions as WebAssembly.
 * Allocates nothing.
 */
export function addTreesToBlock(c: CompiledTrees, firstTree: number, endTree: number, values: Float64Array, numRows: number, out: Float64Array): void {
  for (let t = firstTree; t < endTree; t++) addTreeToBlock(c, t, values, numRows, out);
}

/** One tree over the block: walking one tree over many rows keeps its nodes in the fastest cache. */
function addTreeToBlock(c: CompiledTrees, t: number, values: Float64Array, numRows: number, out: Float64Array): void {
  const { column, threshold, kind, catIndex, child, leafValue, catStart, catWords, numOutputs, numColumns } = c;
  const root = c.root[t];
  const output = t % numOutputs;
  for (let r = 0; r < numRows; r++) {
    const offset = r * numColumns;
    let node = root;
    while (node >= 0) {
      const v = values[offset + column[node]];
      const k = kind[node];
      let right: number;
      if (k === KIND_LESS_EQUAL) right = v <= threshold[node] ? 0 : 1;
      else if (k === KIND_GREATER) right = v > threshold[node] ? 1 : 0;
      else {
        right = 1;
        if (v > -1 && v < MAX_CATEGORY) {
          const code = Math.trunc(v);
          const b = catIndex[node];
          const word = catStart[b] + (code >>> 5);
          if (word < catStart[b + 1] && ((catWords[word] >>> (code & 31)) & 1) === 1) right = 0;
        }
      }
      node = child[2 * node + right];
    }
    out[r * numOutputs + output] += leafValue[~node];
  }
}
