// The public API of loom-ml. Each area's own index lists its full surface; this root re-exports what a user
// of the library reaches for first. See README.md for a tour and docs/ for one page per concept.

export { LoomError, isLoomError, ERROR_CATALOGUE } from './core/errors/index.js';
export type { ErrorBody, ErrorName } from './core/errors/index.js';
export { resolveConfig, CONFIG_FILE } from './core/config.js';
export type { ConfigSources, LoomConfig } from './core/config.js';
export { canonicalJson, hashJson, sha256Hex } from './core/hashing.js';
export { Random } from './core/random.js';
export {
  Frame,
  frameFromRecords,
  boolColumn,
  categoryColumn,
  embeddingColumn,
  floatColumn,
  intColumn,
  stringColumn,
  timestampColumn,
  COLUMN_TAGS,
  LOGICAL_TYPES,
} from './core/frame/index.js';
export type { Column, ColumnTag, FrameRecord, LogicalType } from './core/frame/index.js';
export { compareSchemas, parseSchema, schemaOf } from './core/schema/index.js';
export type { ColumnSchema, Schema, SchemaDifference } from './core/schema/index.js';

export { Workspace } from './storage/workspace.js';
export { openMetadataStore } from './storage/metadata/index.js';
export type { MetadataStore } from './storage/metadata/index.js';
export { openArtifactStore } from './storage/artifacts/index.js';
export type { ArtifactStore } from './storage/artifacts/index.js';
export { openEventLog, SqliteEventLog } from './storage/events/index.js';
export type { EventLog, EventRecord } from './storage/events/index.js';
export { openKvStore, SqliteKvStore } from './storage/kv/index.js';
export type { KvStore } from './storage/kv/index.js';

export {
  ingestDataset,
  listDatasets,
  listVersions,
  loadDatasetFrame,
  readTableFile,
  resolveVersion,
  splitDataset,
  SplitSpec,
} from './data/index.js';
export type { DatasetSummary, DatasetVersion, IngestOptions, IngestResult, Profile, SplitPart } from './data/index.js';

export {
  entity,
  featureView,
  onDemandView,
  computeOnDemand,
  datasetSource,
  fileSource,
  sqlSource,
  streamSource,
  defineConfig,
  loadFeatureConfig,
  applyFeatures,
  formatPlan,
  listFeatureViews,
  listEntities,
  getFeatureView,
  getHistoricalFeatures,
  viewVersion,
  AGGREGATE_FUNCTIONS,
  FEATURE_TYPES,
  materializeFeatures,
  getOnlineFeatures,
  OnlineFeatureStore,
  runStreamUpdates,
  featureFreshness,
  openOnlineStore,
  buildTrainingSet,
  registeredModelUsage,
} from './features/index.js';
export type {
  Entity,
  FeatureView,
  OnDemandView,
  FeatureConfig,
  FeatureSource,
  FeatureType,
  WindowAggregation,
  FeaturePlan,
  HistoricalFeatures,
  HistoricalFeaturesRequest,
  EntityRowsInput,
  RegisteredView,
  MaterializeResult,
  OnlineFeatures,
  OnlineFeaturesRequest,
  OnlineStatus,
  OnlineStore,
  StreamUpdateStats,
  ViewFreshness,
  TrainingSet,
  TrainingSetRequest,
  ModelFeatureUse,
} from './features/index.js';

export { Expectation, Suite, generateSuite, runSuite, saveSuite, loadSuite, listSuites } from './validation/index.js';
export type { ExpectationResult, SuiteResult } from './validation/index.js';
export { DRIFT_TESTS, defaultDriftTest, findDriftTest } from './monitoring/drift/index.js';
export type { DriftTest, DriftTestResult } from './monitoring/drift/index.js';

export { generateChurnWorld, writeChurnWorld, churnWorldConfig, churnTruth, CHURN_COEFFICIENTS } from './synthetic/index.js';
export type { ChurnWorld, ChurnWorldConfig, ChurnWorldConfigInput, ChurnTruth, WrittenWorld } from './synthetic/index.js';
export { runDemo, formatDemoReport, DEMO_STEPS } from './demo/index.js';
export type { DemoContext, DemoOptions, DemoReport, DemoStep } from './demo/index.js';

export { loadModelArtifact, saveModelArtifact, MODEL_FORMAT_VERSION } from './models/artifact/index.js';
export type { LoadedModelArtifact, ModelArtifact, ModelManifest } from './models/artifact/index.js';

export { Pipeline, FittedPipeline, PreprocessStep, FeatureMatrix, parseFittedPipelineState, murmurHash3String } from './models/preprocess/index.js';
export type { PipelineFitOptions, FittedPipelineState, FittedStep, PreprocessStepKind, ColumnSignature, ClassLabel, TargetInput, ModelFitOptions } from './models/preprocess/index.js';
export { fitLinearModel, fitLinearRegression, fitLogisticRegression, fitSoftmaxRegression, predictLinear, predictLinearRow, LinearModelState, LINEAR_PARAMS, resolveLinearParams } from './models/linear/index.js';
export type { LinearFitOptions, LinearParams, LinearRegressionState, LogisticRegressionState, SoftmaxRegressionState } from './models/linear/index.js';
export { fitPriorClassifier, fitMeanRegressor, predictBaseline, predictBaselineRow, BaselineState } from './models/baseline/index.js';
export type { PriorClassifierState, MeanRegressorState } from './models/baseline/index.js';

export { trainModel, loadModel, predictToFile, FLAVORS } from './training/index.js';
export { startRun, searchRuns, getRun, compareRuns, getMetricHistory, listRunArtifacts, listExperiments, parseRunQuery, ActiveRun, RUN_STATUSES } from './tracking/index.js';
export type { StartRunOptions, SearchRunsOptions, RunPage, RunRecord, RunStatus, LatestMetric, MetricPoint, RunDataset, RunArtifact, RunComparison, ComparisonRow, ExperimentRecord, ParamValue } from './tracking/index.js';
export type { LoadedModel, ModelFlavor, Predictor, TrainModelRequest, TrainModelResult } from './training/index.js';
export { tuneGbdt, runStudy, SearchSpace, TpeSampler, RandomSampler, GridSampler, MedianPruner, AshaPruner, inProcessExecutor, holdoutGbdtExecutor } from './training/tuning/index.js';
export type { Distribution, StudyRequest, StudyResult, TrialExecutor, TrialParams, TrialRecord, TuneGbdtRequest } from './training/tuning/index.js';

export { trainGbdt, predictBatch, predictRow, featureImportance, GbdtModel, GBDT_PARAMS } from './models/gbdt/index.js';
export type { GbdtParams, TrainGbdtOptions } from './models/gbdt/index.js';
export { readLightGbmModel, writeLightGbmModel } from './models/gbdt/io/index.js';
export { treeShap, treeShapRow } from './models/gbdt/shap/index.js';
export type { TreeShapOptions } from './models/gbdt/shap/index.js';

export { ModelRegistry, resolveRegisteredModel, parseModelRef, localPrincipal, readEvaluationFile, evaluationInput, MODEL_STAGES, REGISTRY_ROLES, REGISTRY_PERMISSIONS } from './registry/index.js';
export type {
  AliasMove,
  AttachedEvaluation,
  ModelAlias,
  ModelFeatureRef,
  ModelRef,
  ModelStage,
  ModelVersion,
  Principal,
  PromoteRequest,
  PromotionPlan,
  PromotionResult,
  RegisteredModel,
  RegisterModelRequest,
  RegisterModelResult,
  RegistryEvent,
  RegistryRole,
  ResolvedModel,
  VersionLineage,
} from './registry/index.js';
export { ServingApp, createServingApp, ModelRepository, MicroBatcher, PredictionLog, ServingMetrics, V2_DATATYPES, DEFAULT_BODY_LIMIT } from './serving/index.js';
export { OnlineFeatureEnrichment } from './serving/index.js';
export type { FeatureEnrichment, MissingFeature, MissingFeatureFallback, OnlineFeatureEnrichmentOptions } from './serving/index.js';
export type { BatchingOptions, InjectOptions, InjectedResponse, ModelRepositoryOptions, ModelSelector, PredictionEvent, PredictionLogOptions, ServedModel, ServingAppOptions, V2Datatype } from './serving/index.js';
export { Deployments, DeploymentStore, DeploymentStrategy, STRATEGY_KINDS, TrafficRouter, experimentReport, formatExperimentReport } from './deployment/index.js';
export type { Deployment, DeploymentArm, DeploymentEvent, DeployRequest, ExperimentReport, Outcome, RouteDecision, StrategyKind } from './deployment/index.js';
export { parseGate, evaluateGate } from './evaluation/gates/index.js';
export type { Gate, GateResult, GateRule, GateRuleOutcome } from './evaluation/gates/index.js';

export {
  evaluateModel,
  evaluateLoadedModel,
  evaluateOutputs,
  parseSliceOption,
  parseCostMatrix,
  costReport,
  minimumCostThreshold,
  fairnessReport,
  disparities,
  groupRates,
  reliabilityCurve,
  expectedCalibrationError,
  Calibrator,
  BehaviouralTest,
  runBehaviouralTests,
  CvSpec,
  cvFolds,
  crossValidate,
  selectMetrics,
  estimateMetrics,
  modelCard,
  renderModelCardMarkdown,
  reliabilitySvg,
} from './evaluation/index.js';
export type {
  EvaluationReport,
  MetricEstimate,
  SliceReport,
  FairnessReport,
  CostReport,
  CalibrationReport,
  BehaviouralResult,
  EvaluateOptions,
  EvaluateModelRequest,
  EvaluateModelResult,
  SliceSpec,
  CostMatrix,
  CrossValidationReport,
  ModelCard,
  MetricSample,
  EvalMetric,
} from './evaluation/index.js';
