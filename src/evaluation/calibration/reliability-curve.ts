import type { ReliabilityBin } from '../evaluation-report.js';

/** Default number of reliability bins. */
export const DEFAULT_CALIBRATION_BINS = 10;

/**
 * The reliability curve of binary probabilities: rows grouped into `bins` bins, each with its mean predicted
 * probability and observed positive rate. `uniform` bins split [0, 1] evenly (bin i holds [i/B, (i+1)/B), the last one
 * also holds 1); `quantile` bins hold equal row counts (edges at score quantiles; tied scores stay in one bin). Empty
 * bins are left out.
 */
export function reliabilityCurve(y: Float64Array, p: Float64Array, bins = DEFAULT_CALIBRATION_BINS, strategy: 'uniform' | 'quantile' = 'uniform'): ReliabilityBin[] {
  const n = y.length;
  const edges = strategy === 'uniform' ? Array.from({ length: bins + 1 }, (_, i) => i / bins) : quantileEdges(p, bins);
  const count = new Float64Array(edges.length - 1);
  const sumP = new Float64Array(edges.length - 1);
  const sumY = new Float64Array(edges.length - 1);
  for (let i = 0; i < n; i++) {
    const b = strategy === 'uniform' ? uniformBin(p[i], bins) : binOf(edges, p[i]);
    count[b]++;
    sumP[b] += p[i];
    sumY[b] += y[i] > 0 ? 1 : 0;
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < count.length; b++) {
    if (count[b] === 0) continue;
    out.push({ lower: edges[b], upper: edges[b + 1], count: count[b], mean_predicted: sumP[b] / count[b], observed_rate: sumY[b] / count[b] });
  }
  return out;
}

/** Expected calibration error of a curve: Σ (count / n)·|observed − predicted|. NaN for an empty curve. */
export function expectedCalibrationError(curve: readonly ReliabilityBin[]): number {
  let n = 0;
  let sum = 0;
  for (const b of curve) {
    n += b.count;
    sum += b.count * Math.abs(b.observed_rate - b.mean_predicted);
  }
  return n === 0 ? Number.NaN : sum / n;
}

/** Maximum calibration error: the largest |observed − predicted| over non-empty bins (0 for an empty curve). */
export function maximumCalibrationError(curve: readonly ReliabilityBin[]): number {
  return curve.reduce((m, b) => Math.max(m, Math.abs(b.observed_rate - b.mean_predicted)), 0);
}

/** ECE of probabilities in one call (uniform bins). */
export function ece(y: Float64Array, p: Float64Array, bins = DEFAULT_CALIBRATION_BINS): number {
  return expectedCalibrationError(reliabilityCurve(y, p, bins));
}

/** The uniform bin of a probability: ⌊p·B⌋, with 1 (and anything above) in the last bin and NaN or below 0 in the first. */
export function uniformBin(p: number, bins: number): number {
  const b = Math.floor(p * bins);
  return b >= bins ? bins - 1 : b > 0 ? b : 0;
}

function binOf(edges: readonly number[], v: number): number {
  const last = edges.length - 2;
  if (!(v >= edges[0])) return 0;
  if (v >= edges[last + 1]) return last;
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (v >= edges[mid]) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function quantileEdges(p: Float64Array, bins: number): number[] {
  const sorted = Float64Array.from(p).sort();
  const edges = [0];
  for (let b = 1; b < bins; b++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / bins))];
    if (v > edges[edges.length - 1]) edges.push(v);
  }
  edges.push(1);
  return edges;
}
