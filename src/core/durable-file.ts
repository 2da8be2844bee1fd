import { open } from 'node:fs/promises';

/**
 * Creates `path` (it must not exist) with `data` and fsyncs it before returning, so a write that returned survives a
 * crash once its directory is renamed or synced into place.
 */
export async function writeDurably(path: string, data: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
