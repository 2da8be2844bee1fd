import { selectBackend, type BackendOpener } from '../backend-registry.js';
import type { ArtifactStore } from './artifact-store.js';
import { FsArtifactStore } from './fs/fs-artifact-store.js';

/** Artifact backends by URI scheme. */
export const ARTIFACT_BACKENDS: ReadonlyMap<string, BackendOpener<ArtifactStore>> = new Map([['file', (uri: string) => FsArtifactStore.open(uri)]]);

/**
 * Opens the artifact store a URI names.
 *
 * @throws LOOM_ERR_CONFIG_UNKNOWN_BACKEND
 * @example
 * const store = await openArtifactStore('file://.loom/artifacts');
 * const { hash } = await store.put(new TextEncoder().encode('hello'));
 */
export async function openArtifactStore(uri: string): Promise<ArtifactStore> {
  return selectBackend('artifacts', uri, ARTIFACT_BACKENDS)(uri);
}
