import type { ColumnTag } from '../core/frame/column.js';
import type { ChurnWorldConfig } from './churn-world-config.js';
import type { ChurnTruth } from './churn-truth.js';
import type { WorldTruth } from './generate-churn-world.js';

/** The manifest's name inside a world directory. */
export const WORLD_MANIFEST_FILE = 'world.json';

/** One file of a written world, with what ingesting it needs. */
export interface WorldFile {
  /** File name inside the world directory. */
  readonly file: string;
  readonly format: 'csv' | 'jsonl' | 'parquet';
  readonly rows: number;
  readonly bytes: number;
  /** SHA-256 (hex) of the file's bytes. */
  readonly sha256: string;
  /** The column to ingest as the row's timestamp. */
  readonly timestamp: string;
  /** Column tags to ingest with (`email` is pii, ids are id, the label is target). */
  readonly tags: Readonly<Record<string, readonly ColumnTag[]>>;
  readonly description: string;
}

/**
 * world.json: how a world was made and what it holds. It records no clock time and no absolute path, so the same
 * config gives the same manifest bytes. Truth figures are rounded to 6 decimals.
 */
export interface WorldManifest {
  readonly generator: 'loom-synthetic-churn';
  readonly formatVersion: 1;
  readonly config: ChurnWorldConfig;
  readonly files: {
    readonly customers: WorldFile;
    readonly events: WorldFile;
    readonly labels: WorldFile;
    readonly groundTruth: WorldFile;
  };
  readonly truth: WorldTruth;
  /** Cells dirtied on purpose in customers.csv. */
  readonly dirty: { readonly regionNulls: number; readonly ageNulls: number; readonly monthlyChargesNulls: number; readonly paddedPlans: number };
  /** Labels not yet known at the world's end (label_available_at ≥ end). */
  readonly labelsPendingAtEnd: number;
}

/** @internal Rounds every figure of a truth summary to 6 decimals for the manifest. */
export function roundTruth(truth: ChurnTruth): ChurnTruth {
  const r = (x: number): number => Math.round(x * 1e6) / 1e6;
  return {
    customers: truth.customers,
    churned: truth.churned,
    churnRate: r(truth.churnRate),
    meanProbability: r(truth.meanProbability),
    expectedAuc: r(truth.expectedAuc),
    realizedAuc: r(truth.realizedAuc),
    bayesError: r(truth.bayesError),
  };
}
