import type { Schema } from '../core/schema/index.js';
import type { LoadedModel } from '../training/index.js';

/** One model version loaded for serving. Immutable; a new alias target is a new ServedModel (hot swap by reference). */
export interface ServedModel {
  /** The name clients use in paths (`/v2/models/<name>`). */
  readonly name: string;
  /** The version string of the V2 protocol: the registry version number, or `1` for a model served from a directory. */
  readonly version: string;
  /** The alias the request (or the server's default) resolved through, or null. */
  readonly alias: string | null;
  /** The model artifact's content hash (SHA-256 hex). */
  readonly modelHash: string;
  readonly flavor: string;
  /** The input columns every request must carry, in model order. */
  readonly signature: Schema;
  /** Output names, one per output column of `model.predict`. */
  readonly outputNames: readonly string[];
  readonly model: LoadedModel;
}

/** How a request picks a version: a version string (`3`), an alias (`champion`), or neither (the server's default). */
export interface ModelSelector {
  readonly version?: string;
  readonly alias?: string;
}

/** A ServedModel for a loaded model under a name, version and alias. @internal */
export function servedModel(name: string, version: string, alias: string | null, model: LoadedModel): ServedModel {
  const manifest = model.artifact.manifest;
  return Object.freeze({ name, version, alias, modelHash: model.artifact.id, flavor: manifest.flavor, signature: manifest.inputSignature, outputNames: model.outputNames, model });
}
