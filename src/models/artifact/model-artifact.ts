import type { ModelManifest } from './model-manifest.js';

/**
 * A model in memory, as saved and loaded: the manifest's fields plus the bytes of each file (`model.json`,
 * `trees.f64`, …). A flavor (gbdt, linear, baseline) turns its fitted model into this and back.
 */
export interface ModelArtifact {
  readonly manifest: Omit<ModelManifest, 'formatVersion' | 'files' | 'manifestHash'>;
  /** File name → bytes. Names are flat (see MODEL_FILE_NAME). */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** A model read back from disk, with every hash verified. `id` is the manifest hash. */
export interface LoadedModelArtifact extends ModelArtifact {
  readonly id: string;
  readonly dir: string;
  readonly formatVersion: number;
}
