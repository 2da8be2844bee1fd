import { webAssemblyApi, type WasmApi } from '../wasm/assembler.js';
import { addTreesToBlock, type CompiledTrees } from './compiled-trees.js';
import { rowCodeBytes, type RowCode } from './row-code.js';
import { NODE_RECORD_BYTES, nodeRecordCount, treeWalkKernelBytes, writeNodeRecords, type TreeWalk } from './tree-walk-kernel.js';

/** Rows scored at a time; each tree is walked over the whole block. */
export const BLOCK_ROWS = 512;

/**
 * Where prediction stages rows and sums tree outputs: `values` holds up to BLOCK_ROWS rows of `numColumns` values
 * (fill the first numFeatures of each row, then call normalizeRows), `raw` the BLOCK_ROWS × numOutputs sums that
 * `addTrees` adds into. With WebAssembly both live in the tree-walk kernel's memory, beside a copy of the trees.
 * One block per compiled model and thread, reused by every call (prediction is synchronous, so calls cannot interleave).
 */
export interface ScoringBlock {
  readonly values: Float64Array;
  readonly raw: Float64Array;
  addTrees(firstTree: number, endTree: number, numRows: number): void;
  /** How one row is walked: generated code (row-code.ts), the record walk (walkRow), or JavaScript without WebAssembly. */
  readonly rowWalk: 'generated' | 'records' | 'javascript';
}

const blocks = new WeakMap<CompiledTrees, ScoringBlock>();
let compiledKernel: object | null = null;

/** The scoring block of `compiled`, created on first use. */
export function scoringBlock(compiled: CompiledTrees): ScoringBlock {
  let block = blocks.get(compiled);
  if (block === undefined) {
    const wasm = webAssemblyApi();
    block = wasm === null ? javaScriptBlock(compiled) : webAssemblyBlock(wasm, compiled, true);
    blocks.set(compiled, block);
  }
  return block;
}

function javaScriptBlock(c: CompiledTrees): ScoringBlock {
  const values = new Float64Array(BLOCK_ROWS * c.numColumns);
  const raw = new Float64Array(BLOCK_ROWS * c.numOutputs);
  return { values, raw, addTrees: (first, end, rows) => addTreesToBlock(c, first, end, values, rows, raw), rowWalk: 'javascript' };
}

const align8 = (bytes: number): number => Math.ceil(bytes / 8) * 8;
/** Records start on 16 bytes, so four of them share each 64-byte cache line. */
const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/**
 * A block whose single-row walk is always the record walk (walkRow), never generated code; for tests that hold
 * both walks to the same answers. Not cached: each call makes a new one.
 */
export function recordWalkBlock(compiled: CompiledTrees): ScoringBlock {
  const wasm = webAssemblyApi();
  return wasm === null ? javaScriptBlock(compiled) : webAssemblyBlock(wasm, compiled, false);
}

function webAssemblyBlock(wasm: WasmApi, c: CompiledTrees, generated: boolean): ScoringBlock {
  const roots = 0;
  const records = align16(roots + 4 * c.numTrees);
  const catStart = records + NODE_RECORD_BYTES * nodeRecordCount(c);
  const catWords = align8(catStart + 4 * c.catStart.length);
  const values = align8(catWords + 4 * c.catWords.length);
  const raw = values + 8 * BLOCK_ROWS * c.numColumns;
  const end = raw + 8 * BLOCK_ROWS * c.numOutputs;
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(end / 65536)) });
  compiledKernel ??= new wasm.Module(treeWalkKernelBytes());
  const exports = new wasm.Instance(compiledKernel, { env: { memory } }).exports;
  const walk = exports.walk as TreeWalk;
  const walkRow = exports.walkRow as TreeWalk;
  const buffer = memory.buffer;
  writeNodeRecords(c, buffer, roots, records);
  new Int32Array(buffer, catStart, c.catStart.length).set(c.catStart);
  new Uint32Array(buffer, catWords, c.catWords.length).set(c.catWords);
  const rowStride = 8 * c.numColumns;
  // One row (serving, predictRow) of a small model: its generated code (row-code.ts), made on the first such call;
  // null when the model is too large for it (or `generated` is off), undefined until then.
  let rowCode: RowCode | null | undefined = generated ? undefined : null;
  const generatedCode = (): RowCode | null => {
    if (rowCode === undefined) {
      const bytes = rowCodeBytes(c, { values, raw, catWords });
      rowCode = bytes === null ? null : (new wasm.Instance(new wasm.Module(bytes), { env: { memory } }).exports.row as RowCode);
    }
    return rowCode;
  };
  return {
    values: new Float64Array(buffer, values, BLOCK_ROWS * c.numColumns),
    raw: new Float64Array(buffer, raw, BLOCK_ROWS * c.numOutputs),
    // One row: the generated code, else trees side by side (walkRow); more: each tree over all the rows (walk).
    addTrees: (first, endTree, rows) => {
      const code = rows === 1 && first === 0 ? generatedCode() : null;
      if (code !== null) return code(endTree);
      (rows === 1 ? walkRow : walk)(first, endTree, c.numOutputs, rows, rowStride, values, raw, roots, catStart, catWords);
    },
    get rowWalk() {
      return generatedCode() === null ? 'records' : 'generated';
    },
  };
}
