import { MISSING_NAN, nanBinOf } from '../binning/bin-mapper.js';
import type { BinnedDataset } from '../binning/binned-dataset.js';
import { buildHistogram, createHistogramScratch, gatherGradients, type HistogramColumns, type HistogramScratch } from '../histogram/build-histogram.js';
import { HistogramPool } from '../histogram/histogram-pool.js';
import { HistogramThreads, threadsFor } from '../histogram/histogram-threads.js';
import { HistogramWorkspace } from '../histogram/histogram-workspace.js';
import { deriveSkippedBin, planSparseRows } from '../histogram/sparse-rows.js';
import { planDenseRows } from '../histogram/dense-rows.js';
import { DenseChoice, type DensePolicy } from '../histogram/dense-choice.js';
import { subtractHistogram } from '../histogram/subtract-histogram.js';
import { HistogramSubtractor } from '../histogram/subtract-kernel.js';
import type { RowSplitter, SharedGradientMemory } from '../objective/gradient-kernel.js';
import { DataPartition } from './data-partition.js';
import { findCategoricalSplit } from './find-categorical-split.js';
import { findNumericalSplit, isPlainScan, type SplitScan } from './find-numerical-split.js';
import { LeafConstraints, monotonePenaltyFactor } from './leaf-constraints.js';
import { leafGain, leafOutput } from './leaf-output.js';
import { NumericalScan } from './numerical-scan-kernel.js';
import { scanFeatureRange, SplitScanArea, StoredScan } from './parallel-split-scan.js';
import { webAssemblyApi } from '../wasm/assembler.js';
import { SplitCandidate } from './split-candidate.js';
import type { SplitRules } from './split-rules.js';
import { Tree, type SplitOutcome } from './tree.js';

/** Settings of a TreeLearner beyond the split rules. */
export interface TreeLearnerOptions {
  readonly numLeaves: number;
  /** <= 0: unlimited. */
  readonly maxDepth: number;
  /** Per feature: -1, 0 or 1. */
  readonly monotone: Int8Array;
  readonly monotonePenalty: number;
  /** Threads that build histograms (1: this thread only); the tree does not depend on it. */
  readonly numThreads: number;
  /** The training buffers' shared memory, when the objective has one: the threads then share its passes too. */
  readonly gradientMemory?: SharedGradientMemory | null;
  /** Whether dense features may be built row by row (dense-rows.ts); true by default. The tree does not depend on it. */
  readonly denseRows?: boolean;
  /** Which leaves build the dense groups; by default a DenseChoice measures it. Any policy gives the same trees. */
  readonly densePolicy?: DensePolicy;
}

/** Chooses the features one node may split on (feature_fraction_bynode); writes 1/0 per feature into `mask`. */
export interface NodeFeatureSampler {
  sampleNode(mask: Uint8Array): void;
}

/**
 * Grows one tree leaf-wise from gradients, as LightGBM's serial tree learner does: repeatedly split the leaf whose
 * best split gains most, until num_leaves is reached or no split gains anything. Only the smaller child of each
 * split has its histogram built from rows; the larger one is the parent's minus the smaller's. Objectives and
 * metrics are not its business: it takes gradients and returns a Tree (values before shrinkage), and leaves the
 * rows of each leaf in `partition` for the caller's score update.
 *
 * One learner is reused for every tree of a training run; its buffers are allocated once, and its worker threads
 * (num_threads > 1) are started once; call close() when training ends, also on errors.
 */
export class TreeLearner {
  readonly partition: DataPartition;
  readonly #data: BinnedDataset;
  readonly #rules: SplitRules;
  readonly #options: TreeLearnerOptions;
  readonly #pool: HistogramPool;
  readonly #best: SplitCandidate[] = [];
  readonly #candidate: SplitCandidate;
  readonly #constraints: LeafConstraints;
  readonly #leafG: Float64Array;
  readonly #leafH: Float64Array;
  readonly #leafN: Float64Array;
  readonly #scratch: HistogramScratch;
  readonly #columns: HistogramColumns;
  /** The WebAssembly histogram builder's memory, or null when it is unavailable (then buildHistogram is used). */
  readonly #workspace: HistogramWorkspace | null;
  readonly #threads: HistogramThreads | null;
  /** With dense groups: whether a leaf builds them or its columns, measured per leaf size (dense-choice.ts). */
  readonly #denseChoice: DensePolicy | null;
  /** The WebAssembly threshold scan over the workspace's histograms, or null without a workspace. */
  readonly #scan: NumericalScan | null;
  readonly #subtractor: HistogramSubtractor | null;
  /** The split search shared with the threads, when they share it (parallel-split-scan.ts). */
  #search: { area: SplitScanArea; stored: StoredScan } | null = null;
  /** Gradients and hessians of the leaf being built, gathered as pairs in row-list order. */
  readonly #ordered: Float64Array;
  readonly #features: Int32Array;
  readonly #build: Int32Array;
  /** Per feature: its bin skipped by the row-wise histogram builder (derived from the leaf's totals), or -1. */
  readonly #skipBin: Int32Array;
  readonly #catBins: Int32Array;
  readonly #catKeys: Float64Array;
  /** Per bin of the feature being split categorically: 1 when its rows go left. */
  readonly #goesLeft: Uint8Array;
  readonly #smallerMask: Uint8Array;
  readonly #largerMask: Uint8Array;
  readonly #outcome = { leftValue: 0, rightValue: 0, leftCount: 0, rightCount: 0, leftWeight: 0, rightWeight: 0, gain: 0 } satisfies SplitOutcome;
  #numFeatures = 0;
  #grad: Float64Array = new Float64Array(0);
  #hess: Float64Array = new Float64Array(0);
  #bagged = false;
  #smaller = 0;
  #larger = -1;
  /** Leaf depths of the tree being grown. */
  #depth: Int32Array = new Int32Array(0);

  constructor(data: BinnedDataset, rules: SplitRules, options: TreeLearnerOptions) {
    this.#data = data;
    this.#rules = rules;
    this.#options = options;
    const maxLeaves = options.numLeaves;
    const numBins = Int32Array.from(data.mappers, (m) => m.numBins);
    const threads = threadsFor(options.numThreads, data.numRows);
    const plan = planSparseRows({ bins: data.bins, histOffsets: data.histOffsets, numBins }, data.usedFeatures, data.numRows, threads);
    this.#skipBin = plan.skipBin;
    this.#columns = { bins: data.bins, histOffsets: data.histOffsets, numBins, totalBins: data.totalBins, skipBin: plan.skipBin };
    const densePlan = options.denseRows === false ? null : planDenseRows({ bins: data.bins, numBins }, data.usedFeatures, plan.skipBin, threads);
    const workspace = HistogramWorkspace.create(this.#columns, data.usedFeatures, data.numRows, maxLeaves, plan, densePlan);
    this.#workspace = workspace;
    const wasm = webAssemblyApi();
    this.#scan = workspace === null || wasm === null ? null : new NumericalScan(wasm, workspace.layout.memory, workspace.layout.pages, workspace.layout.scratchAt);
    this.#subtractor = workspace === null || wasm === null ? null : new HistogramSubtractor(wasm, workspace.layout.memory, workspace.layout.pages);
    this.partition = new DataPartition(data.numRows, maxLeaves, workspace === null ? null : workspace.indices);
    this.#pool = new HistogramPool(maxLeaves, data.totalBins, data.numFeatures, workspace === null ? null : (id) => workspace.histogram(id));
    for (let i = 0; i < maxLeaves; i++) this.#best.push(new SplitCandidate(rules.maxCatThreshold));
    this.#candidate = new SplitCandidate(rules.maxCatThreshold);
    this.#constraints = new LeafConstraints(maxLeaves);
    this.#leafG = new Float64Array(maxLeaves);
    this.#leafH = new Float64Array(maxLeaves);
    this.#leafN = new Float64Array(maxLeaves);
    this.#scratch = createHistogramScratch(workspace === null ? data.totalBins : 0);
    this.#ordered = new Float64Array(workspace === null ? 2 * data.numRows : 0);
    this.#features = new Int32Array(data.numFeatures);
    this.#build = new Int32Array(data.numFeatures);
    let maxBins = 1;
    for (const m of data.mappers) maxBins = Math.max(maxBins, m.numBins);
    this.#catBins = new Int32Array(maxBins);
    this.#catKeys = new Float64Array(maxBins);
    this.#goesLeft = new Uint8Array(maxBins);
    this.#smallerMask = new Uint8Array(data.numFeatures).fill(1);
    this.#largerMask = new Uint8Array(data.numFeatures).fill(1);
    // Last, so no worker outlives a constructor that throws.
    this.#threads = workspace !== null && threads > 1 ? HistogramThreads.start(workspace, threads, options.gradientMemory ?? null) : null;
    this.#denseChoice = workspace !== null && workspace.layout.denseStart.length > 1 ? (options.densePolicy ?? new DenseChoice()) : null;
    // The threads share the split search too in the scan kernel's plain case (parallel-split-scan.ts).
    if (this.#threads !== null && this.#scan !== null && this.#subtractor !== null && isPlainScan(rules)) {
      const area = new SplitScanArea(workspace!);
      area.setRules(data.mappers, rules.minDataInLeaf, rules.minSumHessianInLeaf, rules.l1, rules.l2);
      this.#search = { area, stored: new StoredScan(area) };
    }
  }

  /**
   * Grows a tree. `grad`/`hess` have one entry per training row. `bag` (the first `bagCount` entries, ascending) limits
   * training to those rows; null uses every row. `treeFeatures` (1 = usable) limits the features (feature_fraction);
   * null allows all. `nodeSampler` further limits each node (feature_fraction_bynode).
   */
  train(grad: Float64Array, hess: Float64Array, bag: Int32Array | null, bagCount: number, treeFeatures: Uint8Array | null, nodeSampler: NodeFeatureSampler | null): Tree {
    const data = this.#data;
    this.#grad = grad;
    this.#hess = hess;
    this.#bagged = bag !== null;
    this.partition.reset(data.numRows, bag, bagCount);
    if (this.#threads !== null) this.#threads.loadGradients(grad, hess);
    else this.#workspace?.loadGradients(grad, hess);
    let n = 0;
    for (const f of data.usedFeatures) if (treeFeatures === null || treeFeatures[f] === 1) this.#features[n++] = f;
    this.#numFeatures = n;
    const tree = new Tree(this.#options.numLeaves);
    this.#depth = tree.leafDepth;
    this.#pool.reset();
    this.#constraints.reset();
    for (const best of this.#best) best.reset();

    const count = this.partition.leafCount[0];
    // Unbagged, the root is every row in order, so its totals come out of the pass that loaded the pairs.
    const loaded = bag === null ? this.#workspace?.loadedTotals : undefined;
    let sumG = loaded?.[0] ?? 0;
    let sumH = loaded?.[1] ?? 0;
    if (loaded === undefined) {
      const idx = this.partition.indices;
      for (let i = 0; i < count; i++) {
        sumG += grad[idx[i]];
        sumH += hess[idx[i]];
      }
    }
    this.#leafG[0] = sumG;
    this.#leafH[0] = sumH;
    this.#leafN[0] = count;
    tree.leafValue[0] = leafOutput(sumG, sumH, this.#rules, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
    tree.leafCount[0] = count;
    tree.leafWeight[0] = sumH;

    let left = 0;
    let right = -1;
    for (let s = 0; s < this.#options.numLeaves - 1; s++) {
      if (this.#prepare(tree, left, right)) this.#findBestSplits(nodeSampler);
      let bestLeaf = 0;
      for (let leaf = 1; leaf < tree.numLeaves; leaf++) if (this.#best[leaf].isBetterThan(this.#best[bestLeaf])) bestLeaf = leaf;
      if (!(this.#best[bestLeaf].gain > 0)) break;
      left = bestLeaf;
      right = this.#split(tree, bestLeaf);
    }
    return tree;
  }

  /** The worker threads, to share the objective's gradient pass by rows (null: one thread). */
  get rowSplitter(): RowSplitter | null {
    return this.#threads;
  }

  /** Stops the histogram worker threads, if any; the learner must not train after this. Safe to call twice. */
  close(): void {
    this.#threads?.close();
  }

  /** Assigns histogram buffers to the children `left`/`right` (right = -1: the root); false when neither may split. */
  #prepare(tree: Tree, left: number, right: number): boolean {
    const maxDepth = this.#options.maxDepth;
    const minData = this.#rules.minDataInLeaf;
    const leftN = this.#leafN[left];
    const rightN = right >= 0 ? this.#leafN[right] : 0;
    if ((maxDepth > 0 && tree.leafDepth[left] >= maxDepth) || (rightN < minData * 2 && leftN < minData * 2)) {
      this.#best[left].reset();
      if (right >= 0) this.#best[right].reset();
      return false;
    }
    if (right < 0) {
      this.#pool.assignFresh(left);
      this.#smaller = left;
      this.#larger = -1;
    } else if (leftN < rightN) {
      this.#pool.move(left, right);
      this.#pool.assignFresh(left);
      this.#smaller = left;
      this.#larger = right;
    } else {
      this.#pool.assignFresh(right);
      this.#smaller = right;
      this.#larger = left;
    }
    return true;
  }

  #findBestSplits(nodeSampler: NodeFeatureSampler | null): void {
    const data = this.#data;
    const smaller = this.#smaller;
    const larger = this.#larger;
    const smallHist = this.#pool.histogram(smaller);
    const smallFlags = this.#pool.splittable(smaller);
    const largeHist = larger >= 0 ? this.#pool.histogram(larger) : smallHist;
    // The larger child holds the parent's buffer, so its flags are the parent's until re-evaluated below.
    const largeFlags = larger >= 0 ? this.#pool.splittable(larger) : smallFlags;
    let n = 0;
    for (let k = 0; k < this.#numFeatures; k++) {
      const f = this.#features[k];
      if (larger >= 0 && largeFlags[f] === 0) {
        smallFlags[f] = 0;
        continue;
      }
      this.#build[n++] = f;
    }
    const p = this.partition;
    const rows = !this.#bagged && larger < 0 ? null : p.indices;
    const begin = p.leafBegin[smaller];
    const count = p.leafCount[smaller];
    const workspace = this.#workspace;
    if (workspace === null) {
      gatherGradients(rows, begin, count, this.#grad, this.#hess, this.#ordered);
      buildHistogram(this.#columns, this.#build, 0, n, rows, begin, count, this.#ordered, this.#scratch, smallHist);
    } else {
      const pairsAt = this.#threads === null ? workspace.gather(begin, count, rows === null) : this.#threads.gather(begin, count, rows === null);
      const choice = this.#denseChoice;
      const units = workspace.setUnits(this.#build, n, choice === null || choice.useDense(count));
      const started = choice === null ? 0 : performance.now();
      if (this.#threads === null) workspace.build(0, units, begin, count, this.#pool.bufferId(smaller), pairsAt);
      else this.#threads.build(units, begin, count, this.#pool.bufferId(smaller), pairsAt);
      choice?.record(count, performance.now() - started);
    }
    const search = this.#search;
    if (search !== null) this.#searchInThreads(search.area, n, smaller, larger);
    const skipBin = this.#skipBin;
    if (nodeSampler !== null) {
      nodeSampler.sampleNode(this.#smallerMask);
      if (larger >= 0) nodeSampler.sampleNode(this.#largerMask);
    }
    this.#best[smaller].reset();
    if (larger >= 0) this.#best[larger].reset();
    for (let k = 0; k < n; k++) {
      const f = this.#build[k];
      if (search === null && skipBin[f] >= 0) deriveSkippedBin(smallHist, data.histOffsets[f], data.mappers[f].numBins, skipBin[f], this.#leafG[smaller], this.#leafH[smaller], this.#leafN[smaller]);
      this.#evaluate(smaller, f, smallHist, smallFlags, this.#smallerMask[f] === 1, search === null ? this.#scan : search.stored.select(k, 0));
      if (larger >= 0) {
        // With the search in the threads, they already subtracted.
        if (search === null) {
          if (this.#subtractor === null) subtractHistogram(largeHist, smallHist, data.histOffsets[f], data.mappers[f].numBins);
          else this.#subtractor.subtract(largeHist, smallHist, data.histOffsets[f], data.mappers[f].numBins);
        }
        this.#evaluate(larger, f, largeHist, largeFlags, this.#largerMask[f] === 1, search === null ? this.#scan : search.stored.select(k, 1));
      }
    }
  }

  /**
   * Has the threads derive, subtract and scan the first `n` features of #build for both children
   * (parallel-split-scan.ts); #evaluate then reads the stored scans.
   */
  #searchInThreads(area: SplitScanArea, n: number, smaller: number, larger: number): void {
    const rules = this.#rules;
    const sums = (leaf: number): [number, number, number, number] => [this.#leafG[leaf], this.#leafH[leaf], this.#leafN[leaf], leafGain(this.#leafG[leaf], this.#leafH[leaf], rules) + rules.minGainToSplit];
    area.setStep(this.#build, n, sums(smaller), larger >= 0 ? sums(larger) : null);
    const smallId = this.#pool.bufferId(smaller);
    const largeId = larger >= 0 ? this.#pool.bufferId(larger) : -1;
    const workspace = this.#workspace!;
    this.#threads!.splitScan(n, smallId, largeId, (from, to) => scanFeatureRange(workspace, area, this.#scan!, this.#subtractor!, from, to, smallId, largeId));
  }

  #evaluate(leaf: number, f: number, hist: Float64Array, flags: Uint8Array, allowed: boolean, scan: SplitScan | null): void {
    const mapper = this.#data.mappers[f];
    const offset = this.#data.histOffsets[f];
    const c = this.#candidate;
    const min = this.#constraints.min[leaf];
    const max = this.#constraints.max[leaf];
    const splittable = mapper.kind === 'numerical'
      ? findNumericalSplit(hist, offset, mapper, this.#leafG[leaf], this.#leafH[leaf], this.#leafN[leaf], this.#rules, min, max, this.#options.monotone[f], c, scan)
      : findCategoricalSplit(hist, offset, mapper, this.#leafG[leaf], this.#leafH[leaf], this.#leafN[leaf], this.#rules, min, max, c, this.#catBins, this.#catKeys);
    flags[f] = splittable ? 1 : 0;
    c.feature = f;
    if (c.monotone !== 0 && this.#options.monotonePenalty > 0 && c.gain > Number.NEGATIVE_INFINITY) {
      c.gain *= monotonePenaltyFactor(this.#options.monotonePenalty, this.#depth[leaf]);
    }
    if (allowed && c.isBetterThan(this.#best[leaf])) this.#best[leaf].copyFrom(c);
  }

  /** Applies the best split of `leaf`; returns the new (right) leaf. */
  #split(tree: Tree, leaf: number): number {
    const c = this.#best[leaf];
    const f = c.feature;
    const mapper = this.#data.mappers[f];
    const col = this.#data.bins[f];
    const newLeaf = tree.numLeaves;
    let leftCount: number;
    const workspace = this.#workspace;
    if (workspace !== null) {
      // One table lookup per row for both kinds: bin → 1 when its rows go left.
      const table = workspace.partitionTable;
      if (mapper.kind === 'numerical') {
        table.fill(1, 0, c.thresholdBin + 1).fill(0, c.thresholdBin + 1, mapper.numBins);
        if (mapper.missingType === MISSING_NAN && c.thresholdBin < mapper.numBins - 1) table[mapper.numBins - 1] = c.defaultLeft ? 1 : 0;
      } else {
        table.fill(0, 0, mapper.numBins);
        for (let i = 0; i < c.numCat; i++) table[c.catBins[i]] = 1;
      }
      const begin = this.partition.leafBegin[leaf];
      const count = this.partition.leafCount[leaf];
      leftCount = this.#threads === null ? workspace.partition(f, begin, count) : this.#threads.partition(f, begin, count);
      this.partition.assignSplit(leaf, newLeaf, leftCount);
    } else if (mapper.kind === 'numerical') {
      leftCount = this.partition.splitNumerical(leaf, newLeaf, col, c.thresholdBin, c.defaultLeft, nanBinOf(mapper));
    } else {
      const goesLeft = this.#goesLeft.fill(0, 0, mapper.numBins);
      for (let i = 0; i < c.numCat; i++) goesLeft[c.catBins[i]] = 1;
      leftCount = this.partition.splitCategorical(leaf, newLeaf, col, goesLeft);
    }
    const out = this.#outcome;
    out.leftValue = c.leftOutput;
    out.rightValue = c.rightOutput;
    out.leftCount = leftCount;
    out.rightCount = this.partition.leafCount[newLeaf];
    out.leftWeight = c.leftH;
    out.rightWeight = c.rightH;
    out.gain = c.gain + this.#rules.minGainToSplit;
    if (mapper.kind === 'numerical') {
      tree.splitNumerical(leaf, f, c.thresholdBin, mapper.upperBounds[c.thresholdBin], c.defaultLeft, mapper.missingType, out);
    } else {
      const bins = c.catBins.subarray(0, c.numCat);
      const categories = new Int32Array(c.numCat);
      for (let i = 0; i < c.numCat; i++) categories[i] = mapper.binToCategory[bins[i]];
      tree.splitCategorical(leaf, f, bins, categories, mapper.missingType, out);
    }
    this.#leafG[leaf] = c.leftG;
    this.#leafH[leaf] = c.leftH;
    this.#leafN[leaf] = leftCount;
    this.#leafG[newLeaf] = c.rightG;
    this.#leafH[newLeaf] = c.rightH;
    this.#leafN[newLeaf] = out.rightCount;
    this.#constraints.split(leaf, newLeaf, mapper.kind === 'numerical' ? c.monotone : 0, c.leftOutput, c.rightOutput);
    return newLeaf;
  }
}
