export type { LoadedModelArtifact, ModelArtifact } from './model-artifact.js';
export { MANIFEST_FILE, MODEL_FILE_NAME, MODEL_FORMAT_VERSION, manifestZod } from './model-manifest.js';
export type { JsonValue, ModelFile, ModelLineage, ModelManifest, OutputSignature } from './model-manifest.js';
export { manifestHash } from './manifest-hash.js';
export { saveModelArtifact } from './save-model-artifact.js';
export type { SaveModelOptions } from './save-model-artifact.js';
export { loadModelArtifact } from './load-model-artifact.js';
export { currentGitSha, loomVersion } from './model-lineage.js';
