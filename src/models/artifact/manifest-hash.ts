import { hashJson } from '../../core/hashing.js';
import type { ModelManifest } from './model-manifest.js';

/** SHA-256 of the canonical JSON of every manifest field except `manifestHash` itself. */
export function manifestHash(manifest: Omit<ModelManifest, 'manifestHash'>): string {
  return hashJson(manifest);
}
