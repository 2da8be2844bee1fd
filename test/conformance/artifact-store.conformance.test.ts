import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openArtifactStore, type ArtifactStore } from '../../src/storage/artifacts/index.js';

const root = mkdtempSync(join(tmpdir(), 'loom-artifacts-'));
after(() => rmSync(root, { recursive: true, force: true }));

interface Backend {
  readonly name: string;
  readonly open: (dir: string) => Promise<ArtifactStore>;
  /** Flips one byte of a stored blob, as a disk fault would. */
  readonly corrupt: (dir: string, hash: string) => void;
}

const BACKENDS: readonly Backend[] = [
  {
    name: 'fs',
    open: (dir) => openArtifactStore(`file://${dir}`),
    corrupt: (dir, hash) => {
      const path = join(dir, 'sha256', hash.slice(0, 2), hash);
      const bytes = readFileSync(path);
      bytes[0] ^= 0xff;
      writeFileSync(path, bytes);
    },
  },
];

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
let counter = 0;
const freshDir = () => join(root, `store-${counter++}`);

for (const backend of BACKENDS) {
  describe(`artifact store conformance: ${backend.name}`, () => {
    test('put returns the SHA-256 of the bytes; get returns them; the same bytes are stored once', async () => {
      const store = await backend.open(freshDir());
      const data = new TextEncoder().encode('hello loom');
      const first = await store.put(data);
      assert.deepEqual(first, { hash: sha(data), bytes: 10, created: true });
      assert.deepEqual(await store.put(data), { ...first, created: false });
      assert.deepEqual(Buffer.from(await store.get(first.hash)).toString(), 'hello loom');
      assert.equal(await store.size(first.hash), 10);
      assert.equal(await store.has(first.hash), true);
      assert.equal(await store.has(sha(new Uint8Array([1]))), false);
      await store.close();
    });

    test('putFile streams a file, agrees with put, and localPath gives a verified readable path', async () => {
      const dir = freshDir();
      const store = await backend.open(dir);
      const data = new Uint8Array(3 * 1024 * 1024 + 17);
      for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
      const file = join(root, `big-${counter}.bin`);
      writeFileSync(file, data);
      const put = await store.putFile(file);
      assert.deepEqual(put, { hash: sha(data), bytes: data.length, created: true });
      assert.equal((await store.putFile(file)).created, false);
      assert.equal((await store.put(data)).created, false);
      assert.equal(sha(readFileSync(await store.localPath(put.hash))), put.hash);
      await store.close();
    });

    test('the empty blob is a valid artifact', async () => {
      const store = await backend.open(freshDir());
      const { hash } = await store.put(new Uint8Array(0));
      assert.equal(hash, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      assert.equal((await store.get(hash)).length, 0);
      await store.close();
    });

    test('a corrupt blob is LOOM_ERR_ARTIFACT_CORRUPT on get and on localPath', async () => {
      const dir = freshDir();
      const store = await backend.open(dir);
      const { hash } = await store.put(new TextEncoder().encode('precious'));
      backend.corrupt(dir, hash);
      await assert.rejects(store.get(hash), { code: 'LOOM_ERR_ARTIFACT_CORRUPT', statusCode: 409 });
      await assert.rejects(store.localPath(hash), { code: 'LOOM_ERR_ARTIFACT_CORRUPT' });
      await store.close();
    });

    test('missing and malformed hashes get coded errors', async () => {
      const store = await backend.open(freshDir());
      await assert.rejects(store.get('a'.repeat(64)), { code: 'LOOM_ERR_ARTIFACT_NOT_FOUND', statusCode: 404 });
      await assert.rejects(store.size('a'.repeat(64)), { code: 'LOOM_ERR_ARTIFACT_NOT_FOUND' });
      await assert.rejects(store.get('../../etc/passwd'), { code: 'LOOM_ERR_ARTIFACT_INVALID_HASH', statusCode: 400 });
      await assert.rejects(store.has('A'.repeat(64)), { code: 'LOOM_ERR_ARTIFACT_INVALID_HASH' });
      await store.close();
    });

    test('concurrent puts of the same and different bytes all land, and leave no temp files', async () => {
      const dir = freshDir();
      const store = await backend.open(dir);
      const blobs = Array.from({ length: 20 }, (_, i) => new TextEncoder().encode(`blob-${i % 5}`));
      const results = await Promise.all(blobs.map((b) => store.put(b)));
      assert.equal(new Set(results.map((r) => r.hash)).size, 5);
      for (let i = 0; i < 5; i++) assert.equal(Buffer.from(await store.get(results[i].hash)).toString(), `blob-${i}`);
      if (backend.name === 'fs') assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
      await store.close();
    });

    test('blobs persist across close and reopen', async () => {
      const dir = freshDir();
      const first = await backend.open(dir);
      const { hash } = await first.put(new TextEncoder().encode('kept'));
      await first.close();
      const again = await backend.open(dir);
      assert.equal(Buffer.from(await again.get(hash)).toString(), 'kept');
      await again.close();
    });
  });
}

test('an unknown artifact scheme is LOOM_ERR_CONFIG_UNKNOWN_BACKEND', async () => {
  await assert.rejects(openArtifactStore('s3://bucket/x'), { code: 'LOOM_ERR_CONFIG_UNKNOWN_BACKEND' });
});
