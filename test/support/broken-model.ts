import type { LoadedModel } from '../../src/training/index.js';

/**
 * Makes a loaded model fail to score on every serving path: its `predict` throws, and its artifact no longer shows
 * the GBDT model file, so no RowScorer (the fast path of plain records) serves it: row scorers are kept per artifact,
 * and the model gets a new one.
 */
export function breakScoring(loaded: LoadedModel, message = 'scoring blew up'): void {
  Object.defineProperty(loaded, 'predict', { value: () => { throw new Error(message); } });
  Object.defineProperty(loaded, 'artifact', { value: { ...loaded.artifact, files: new Map() } });
}
