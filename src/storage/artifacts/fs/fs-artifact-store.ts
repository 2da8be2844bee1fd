import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { LoomError } from '../../../core/errors/index.js';
import type { ArtifactPutResult, ArtifactStore } from '../artifact-store.js';

const HASH_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The filesystem artifact store, the embedded default (`file://<dir>`). Blob `h` lives at `<dir>/sha256/h[0..2]/h`;
 * writes go to `<dir>/tmp/` first, are fsynced, then renamed into place, so readers never see a partial blob and a
 * crash leaves at most a stray temp file. Every read re-hashes the bytes.
 *
 * Limits: one machine (or a shared POSIX filesystem with atomic rename); no garbage collection of unreferenced blobs yet.
 */
export class FsArtifactStore implements ArtifactStore {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** Opens (and creates) the store at a `file://` URI or a plain directory path. */
  static async open(uriOrPath: string): Promise<FsArtifactStore> {
    const root = uriOrPath.startsWith('file://') ? uriOrPath.slice('file://'.length) : uriOrPath;
    if (root === '') throw new LoomError('CONFIG_INVALID', { field: 'artifactsUri', problem: 'the file:// URI has no path' }, { details: { field: 'artifactsUri' } });
    mkdirSync(join(root, 'sha256'), { recursive: true });
    mkdirSync(join(root, 'tmp'), { recursive: true });
    return new FsArtifactStore(root);
  }

  async put(data: Uint8Array): Promise<ArtifactPutResult> {
    const hash = createHash('sha256').update(data).digest('hex');
    if (await this.has(hash)) return { hash, bytes: data.byteLength, created: false };
    const tmp = this.#tempPath();
    try {
      const handle = await open(tmp, 'wx');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.#moveIntoPlace(tmp, hash);
    } finally {
      await rm(tmp, { force: true });
    }
    return { hash, bytes: data.byteLength, created: true };
  }

  async putFile(path: string): Promise<ArtifactPutResult> {
    const tmp = this.#tempPath();
    try {
      const hasher = createHash('sha256');
      let bytes = 0;
      const out = createWriteStream(tmp, { flags: 'wx' });
      await pipeline(createReadStream(path), async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hasher.update(chunk);
          bytes += chunk.byteLength;
          yield chunk;
        }
      }, out);
      const hash = hasher.digest('hex');
      if (await this.has(hash)) return { hash, bytes, created: false };
      const handle = await open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.#moveIntoPlace(tmp, hash);
      return { hash, bytes, created: true };
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async get(hash: string): Promise<Uint8Array> {
    const path = await this.#existingPath(hash);
    const data = await readFile(path);
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual !== hash) throw corrupt(hash, actual, path);
    return data;
  }

  async localPath(hash: string): Promise<string> {
    const path = await this.#existingPath(hash);
    const hasher = createHash('sha256');
    for await (const chunk of createReadStream(path)) hasher.update(chunk as Buffer);
    const actual = hasher.digest('hex');
    if (actual !== hash) throw corrupt(hash, actual, path);
    return path;
  }

  async has(hash: string): Promise<boolean> {
    checkHash(hash);
    try {
      return (await stat(this.#blobPath(hash))).isFile();
    } catch {
      return false;
    }
  }

  async size(hash: string): Promise<number> {
    return (await stat(await this.#existingPath(hash))).size;
  }

  async close(): Promise<void> {}

  #blobPath(hash: string): string {
    return join(this.root, 'sha256', hash.slice(0, 2), hash);
  }

  #tempPath(): string {
    return join(this.root, 'tmp', `${process.pid}-${randomBytes(8).toString('hex')}`);
  }

  async #existingPath(hash: string): Promise<string> {
    if (!(await this.has(hash))) throw new LoomError('ARTIFACT_NOT_FOUND', { hash, root: this.root }, { details: { field: 'hash' } });
    return this.#blobPath(hash);
  }

  async #moveIntoPlace(tmp: string, hash: string): Promise<void> {
    const target = this.#blobPath(hash);
    mkdirSync(join(this.root, 'sha256', hash.slice(0, 2)), { recursive: true });
    // rename() over an existing blob is harmless: a concurrent writer of the same hash wrote the same bytes.
    await rename(tmp, target);
  }
}

function checkHash(hash: string): void {
  if (!HASH_PATTERN.test(hash)) throw new LoomError('ARTIFACT_INVALID_HASH', { hash: String(hash).slice(0, 80) }, { details: { field: 'hash' } });
}

function corrupt(hash: string, actual: string, path: string): LoomError {
  return new LoomError('ARTIFACT_CORRUPT', { hash, actual, path }, { details: { field: 'hash', path } });
}
