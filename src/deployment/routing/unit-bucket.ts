import { FNV_OFFSET, FNV_PRIME } from '../../core/hashing.js';

/**
 * The sticky position of a unit in a deployment's traffic, uniform in [0, 1): FNV-1a over `deploymentId` and
 * `unitId` (UTF-16 code units), finished with MurmurHash3's fmix32 so nearby ids spread over the whole range. The
 * same unit always lands in the same place for a deployment, and different deployments place units independently.
 * Arms own consecutive slices of [0, 1) in arm order, so when a canary's share grows from 5% to 25%, every unit that
 * was on the canary stays on it.
 */
export function unitBucket(deploymentId: string, unitId: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < deploymentId.length; i++) h = Math.imul(h ^ deploymentId.charCodeAt(i), FNV_PRIME);
  h = Math.imul(h ^ 0x1f, FNV_PRIME);
  for (let i = 0; i < unitId.length; i++) h = Math.imul(h ^ unitId.charCodeAt(i), FNV_PRIME);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** The arm index whose slice of [0, 1) holds `u`, for fractions `weights` summing to 1. */
export function armAt(weights: readonly number[], u: number): number {
  let edge = 0;
  for (let i = 0; i < weights.length; i++) {
    edge += weights[i];
    if (u < edge) return i;
  }
  // Rounding can leave the sum a hair under 1: the last arm with weight takes the rest.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return 0;
}
