import type { ColumnType, Generated } from 'kysely';
import type { DeploymentAssignmentTable, DeploymentEventTable, DeploymentOutcomeTable, DeploymentTable } from './deployment-tables.js';

/**
 * The metadata schema, shared by every metadata backend. Portable types only: text, integer, bigint-as-number,
 * double, and JSON stored as text, so that SQLite and PostgreSQL run the same queries. Times are epoch milliseconds
 * (UTC) in `bigint` columns, which the PostgreSQL backend reads back as numbers.
 *
 * Each later capability adds its tables with a new migration in ./migrations and extends this interface.
 */
export interface LoomDatabase {
  datasets: DatasetTable;
  dataset_versions: DatasetVersionTable;
  validation_suites: ValidationSuiteTable;
  validation_results: ValidationResultTable;
  feature_entities: FeatureEntityTable;
  feature_views: FeatureViewTable;
  feature_view_versions: FeatureViewVersionTable;
  feature_materializations: FeatureMaterializationTable;
  feature_training_sets: FeatureTrainingSetTable;
  model_feature_refs: ModelFeatureRefTable;
  experiments: ExperimentTable;
  runs: RunTable;
  run_params: RunKeyValueTable;
  run_tags: RunKeyValueTable;
  run_metrics: RunMetricTable;
  run_latest_metrics: RunLatestMetricTable;
  run_datasets: RunDatasetTable;
  run_artifacts: RunArtifactTable;
  registered_models: RegisteredModelTable;
  model_versions: ModelVersionTable;
  model_evaluations: ModelEvaluationTable;
  model_aliases: ModelAliasTable;
  registry_events: RegistryEventTable;
  model_deployments: ModelDeploymentTable;
  tuning_studies: TuningStudyTable;
  tuning_trials: TuningTrialTable;
  tuning_intermediate_values: TuningIntermediateValueTable;
  deployments: DeploymentTable;
  deployment_events: DeploymentEventTable;
  deployment_assignments: DeploymentAssignmentTable;
  deployment_outcomes: DeploymentOutcomeTable;
}

/** A named dataset; its versions are in dataset_versions. */
export interface DatasetTable {
  name: string;
  description: string;
  /** Id of the newest version, null before the first ingest commits. */
  latest_version: string | null;
  created_at: number;
  updated_at: number;
}

/** One immutable dataset version. `id` is the SHA-256 of its canonical content. */
export interface DatasetVersionTable {
  dataset: string;
  id: string;
  /** The version this one appended to, or null. */
  parent_id: string | null;
  /** Artifact-store hash of the Parquet file holding the rows. */
  blob_hash: string;
  rows: number;
  /** Serialized Schema (JSON text). */
  schema_json: string;
  /** Serialized Profile (JSON text). */
  profile_json: string;
  /** Where it came from: file path, format, options, source hash (JSON text). */
  source_json: string;
  created_at: number;
}

/** A validation suite, editable JSON. */
export interface ValidationSuiteTable {
  name: string;
  /** Serialized Suite (JSON text). */
  suite_json: string;
  /** SHA-256 of the canonical suite JSON. */
  hash: string;
  created_at: number;
  updated_at: number;
}

/** The result of running a suite on a dataset version or file. */
export interface ValidationResultTable {
  id: Generated<number>;
  suite: string;
  suite_hash: string;
  /** What was validated, e.g. `adult@3f2a…` or a file path. */
  target: string;
  /** 1 when every expectation passed, else 0. */
  success: number;
  /** Serialized result (JSON text). */
  result_json: string;
  created_at: ColumnType<number, number, never>;
}

/** A tracking experiment: a named group of runs. */
export interface ExperimentTable {
  id: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
}

/** One tracked run. `status` is running | finished | failed | killed; `heartbeat_at` moves while it is alive. */
export interface RunTable {
  id: string;
  experiment_id: string;
  name: string;
  status: string;
  /** Why a run failed or was killed (an error message, or the stale-heartbeat note). */
  status_message: string | null;
  start_time: number;
  end_time: number | null;
  heartbeat_at: number;
  host: string;
  pid: number;
  git_sha: string | null;
  /** 1 when the work tree had uncommitted changes, 0 when clean, null when unknown. */
  git_dirty: number | null;
  seed: number | null;
  /** Node, OS, CPU and memory of the machine (JSON text). */
  system_json: string;
}

/** A run's params or tags: the value as text, and as a number when it is one (numeric comparisons use it). */
export interface RunKeyValueTable {
  run_id: string;
  key: string;
  value: string;
  num_value: number | null;
}

/** One point of a metric series. `value` null stands for NaN. */
export interface RunMetricTable {
  run_id: string;
  key: string;
  step: number;
  timestamp: number;
  value: number | null;
}

/** The latest point of each metric of a run (highest step, then newest timestamp), plus min, max and count. */
export interface RunLatestMetricTable {
  run_id: string;
  key: string;
  value: number | null;
  step: number;
  timestamp: number;
  min_value: number | null;
  max_value: number | null;
  count: number;
}

/** A dataset version a run used, with its role (train, valid, …). */
export interface RunDatasetTable {
  run_id: string;
  role: string;
  dataset: string;
  version: string;
}

/** A file logged by a run, stored by content hash in the artifact store. */
export interface RunArtifactTable {
  run_id: string;
  path: string;
  hash: string;
  bytes: number;
  created_at: number;
}

/** A registered model (registry). `latest_version` is the highest version number given out, 0 before the first. */
export interface RegisteredModelTable {
  name: string;
  description: string;
  /** Tags as a JSON object of strings. */
  tags_json: string;
  latest_version: number;
  created_at: number;
  updated_at: number;
  created_by: string;
}

/** One immutable registered version: its artifact (manifest hash, blobs), run, signature and lineage. Stage, description and tags may change. */
export interface ModelVersionTable {
  model: string;
  version: number;
  /** The manifest hash, the model's id. */
  model_hash: string;
  flavor: string;
  task: string;
  /** The tracking run that produced it (opaque text), or null. */
  run_id: string | null;
  /** Artifact-store hash of manifest.json's bytes. */
  manifest_blob: string;
  /** JSON array of { name, sha256, bytes } of the model's files, each stored in the artifact store under its sha256. */
  files_json: string;
  /** JSON { input, output } signatures. */
  signature_json: string;
  /** JSON of the manifest's lineage (datasets, git SHA, seed, created at). */
  lineage_json: string;
  /** Artifact-store hash of the model card (Markdown), or null. */
  card_blob: string | null;
  /** The directory it was registered from (informational). */
  source_dir: string;
  /** none | staging | production | archived. */
  stage: string;
  description: string;
  tags_json: string;
  created_at: number;
  created_by: string;
}

/** An evaluation report attached to a version (append-only); the report itself is a blob in the artifact store. */
export interface ModelEvaluationTable {
  id: Generated<number>;
  model: string;
  version: number;
  report_blob: string;
  /** Artifact-store hash of the model card (Markdown) written with the report, or null. */
  card_blob: string | null;
  data_ref: string;
  data_rows: number;
  evaluated_at: number;
  attached_at: number;
  attached_by: string;
}

/** A movable alias. `revision` grows by one on every move, and moves compare-and-set on it. */
export interface ModelAliasTable {
  model: string;
  alias: string;
  version: number;
  revision: number;
  updated_at: number;
  updated_by: string;
}

/** The registry's append-only history: who did what, when, and why. */
export interface RegistryEventTable {
  id: Generated<number>;
  model: string;
  version: number | null;
  /** register | evaluation | alias_set | alias_delete | promote | rollback | stage | update. */
  action: string;
  alias: string | null;
  from_version: number | null;
  to_version: number | null;
  actor: string;
  reason: string | null;
  details_json: string;
  created_at: number;
}

/** Where a version is deployed. Created by the registry migration, filled by serving/deployment. */
export interface ModelDeploymentTable {
  id: string;
  model: string;
  version: number;
  alias: string | null;
  environment: string;
  strategy: string;
  status: string;
  details_json: string;
  created_at: number;
  updated_at: number;
  created_by: string;
}

/** A registered entity (0003-features). `hash` is the SHA-256 of its canonical spec. */
export interface FeatureEntityTable {
  name: string;
  hash: string;
  /** Serialized EntitySpec (JSON text). */
  spec_json: string;
  created_at: number;
  updated_at: number;
  /** Set when `loom features apply` removed it; the row stays for lineage. */
  removed_at: number | null;
}

/** A registered feature view or on-demand view; metadata changes in place, the spec lives in its versions. */
export interface FeatureViewTable {
  name: string;
  /** `feature-view` or `on-demand-view`. */
  kind: string;
  latest_version: string;
  owner: string;
  description: string;
  /** Tags (JSON object text). */
  tags_json: string;
  created_at: number;
  updated_at: number;
  /** Set when `loom features apply` removed it; versions stay for the models that used them. */
  removed_at: number | null;
}

/** One immutable view version: `version` is the SHA-256 of the canonical spec. */
export interface FeatureViewVersionTable {
  view: string;
  version: string;
  /** Serialized ViewSpec (JSON text). */
  spec_json: string;
  /** 1 when the version must stay served though it is not the latest (a registered model uses it). */
  retained: number;
  created_at: number;
}

/** A dataset version built from the feature store (0007-model-features): the refs its feature columns came from. */
export interface FeatureTrainingSetTable {
  dataset: string;
  version: string;
  /** The refs, as JSON text: [{ ref, view, viewVersion, feature, column }]. */
  refs_json: string;
  /** What the entity rows were (lineage text). */
  entities: string;
  created_at: number;
}

/** One feature ref a registered model version was trained on (0007-model-features); `position` keeps their order. */
export interface ModelFeatureRefTable {
  model: string;
  version: number;
  position: number;
  view: string;
  view_version: string;
  feature: string;
  /** The model input column the feature fills. */
  column_name: string;
}

/** How far a view version has been materialized into a store (the online half of the feature store advances it). */
export interface FeatureMaterializationTable {
  view: string;
  version: string;
  /** Store name, e.g. `online`. */
  store: string;
  /** Event time (epoch ms, UTC) up to which rows have been written. */
  high_water_mark: number;
  rows: number;
  updated_at: number;
}

/** A hyperparameter study: its search space and settings (JSON text), and their SHA-256 fingerprint. */
export interface TuningStudyTable {
  name: string;
  space_json: string;
  settings_json: string;
  fingerprint: string;
  /** `maximize` or `minimize`. */
  direction: string;
  /** The tracked run that the trials' runs name as `loom.parent_run_id`. */
  parent_run_id: string | null;
  created_at: number;
  updated_at: number;
}

/** One trial of a study: `state` is running, complete, pruned or failed; `value` is its final score. */
export interface TuningTrialTable {
  study: string;
  number: number;
  state: string;
  params_json: string;
  value: number | null;
  run_id: string | null;
  message: string | null;
  started_at: number;
  finished_at: number | null;
}

/** A trial's intermediate score at one step (a boosting iteration), as the pruners saw it. */
export interface TuningIntermediateValueTable {
  study: string;
  number: number;
  step: number;
  value: number;
}

export type { DeploymentAssignmentTable, DeploymentEventTable, DeploymentOutcomeTable, DeploymentTable } from './deployment-tables.js';
