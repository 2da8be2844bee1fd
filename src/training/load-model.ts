import type { Frame } from '../core/frame/frame.js';
import { loadModelArtifact, type LoadedModelArtifact } from '../models/artifact/index.js';
import { findFlavor } from './flavors/flavor-registry.js';
import { conformToSignature } from './input-signature.js';
import type { Predictor } from './model-flavor.js';

/** A model loaded for scoring: the verified artifact and a predictor that checks every input against its signature. */
export interface LoadedModel {
  readonly artifact: LoadedModelArtifact;
  readonly outputs: number;
  /** Output column names, in order (one per output). */
  readonly outputNames: readonly string[];
  /** Row-major `rows × outputs`. @throws LOOM_ERR_TRAINING_INPUT_MISMATCH */
  predict(frame: Frame): Float64Array;
  /** Feature contributions (see Predictor.explain), or null when the flavor cannot explain. */
  explain(frame: Frame): { readonly names: readonly string[]; readonly values: Float64Array } | null;
}

/**
 * Loads a model directory (verifying every hash) and builds its flavor's predictor.
 *
 * @throws the artifact errors of loadModelArtifact, LOOM_ERR_TRAINING_INVALID_OPTION for an unknown flavor
 * @example
 * const model = await loadModel('.loom/models/adult-linear-20261126T160000');
 * const probabilities = model.predict(frame);
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const artifact = await loadModelArtifact(dir);
  const predictor: Predictor = findFlavor(artifact.manifest.flavor, 'flavor').load(artifact);
  const signature = artifact.manifest.inputSignature;
  return {
    artifact,
    outputs: predictor.outputs,
    outputNames: artifact.manifest.outputSignature.outputs.map((o) => o.name),
    predict: (frame) => predictor.predict(conformToSignature(frame, signature)),
    explain: (frame) => (predictor.explain === undefined ? null : predictor.explain(conformToSignature(frame, signature))),
  };
}
