/** A run's lifecycle state. `running` until end(); a run whose process died is marked `failed` by the next command. */
export type RunStatus = 'running' | 'finished' | 'failed' | 'killed';

/** Every run status, in lifecycle order. */
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'finished', 'failed', 'killed'];

/** The latest value of one metric of a run. `value` is NaN when NaN was logged. Times are epoch ms (UTC). */
export interface LatestMetric {
  readonly value: number;
  readonly step: number;
  readonly timestamp: number;
  /** Smallest and largest value logged for this key (NaN points ignored; NaN when every point was NaN). */
  readonly min: number;
  readonly max: number;
  /** How many points the series has. */
  readonly count: number;
}

/** One point of a metric series. */
export interface MetricPoint {
  readonly step: number;
  /** Epoch ms (UTC). */
  readonly timestamp: number;
  readonly value: number;
}

/** A dataset version a run read. */
export interface RunDataset {
  /** What the run used it for, e.g. `train` or `valid`. */
  readonly role: string;
  readonly dataset: string;
  readonly version: string;
}

/** A file a run logged, stored by content hash in the artifact store. */
export interface RunArtifact {
  /** Path inside the run, e.g. `model/manifest.json`. */
  readonly path: string;
  /** SHA-256 of the bytes; `ws.artifacts().get(hash)` reads them. */
  readonly hash: string;
  readonly bytes: number;
  readonly createdAt: number;
}

/** The machine a run ran on. Memory in bytes. */
export interface SystemInfo {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly hostname: string;
  readonly pid: number;
  readonly loomVersion: string;
}

/** Code version: the git commit and whether the work tree had uncommitted changes (null when unknown). */
export interface GitState {
  readonly sha: string | null;
  readonly dirty: boolean | null;
}

/**
 * A run as search and show return it: its attributes, params and tags (as text), the latest value of every metric,
 * and lineage. Times are epoch ms (UTC); `endTime` is null while running.
 */
export interface RunRecord {
  readonly id: string;
  readonly name: string;
  readonly experiment: string;
  readonly experimentId: string;
  readonly status: RunStatus;
  /** Why it failed or was killed, else null. */
  readonly statusMessage: string | null;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly heartbeatAt: number;
  readonly params: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly metrics: Readonly<Record<string, LatestMetric>>;
  readonly datasets: readonly RunDataset[];
  readonly git: GitState;
  readonly seed: number | null;
  readonly system: SystemInfo;
}

/** An experiment with counts of its runs. */
export interface ExperimentRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly createdAt: number;
  readonly runs: number;
  readonly running: number;
  /** Start time of the newest run, or null with no runs. */
  readonly lastRunAt: number | null;
}
