export type { ArtifactStore, ArtifactPutResult } from './artifact-store.js';
export { FsArtifactStore } from './fs/fs-artifact-store.js';
export { ARTIFACT_BACKENDS, openArtifactStore } from './open-artifact-store.js';
