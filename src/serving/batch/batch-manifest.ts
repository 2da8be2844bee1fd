import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoomError } from '../../core/errors/index.js';

/** The manifest format tag; a different tag is not resumable. */
export const BATCH_MANIFEST_FORMAT = 'loom-batch-predict/1';

/** One completed chunk: its part files are complete once it is listed. */
export interface BatchChunk {
  readonly index: number;
  /** Input rows [start, end), 0-based, in input order. */
  readonly start: number;
  readonly end: number;
  /** Rows predicted and written to `part`. */
  readonly written: number;
  /** Rows refused by the signature check (only with skipInvalid), written to `rejects`. */
  readonly rejected: number;
  /** Part file names inside the side directory. */
  readonly part: string;
  readonly rejects: string | null;
}

/**
 * What a batch prediction is and how far it got, kept in `<output>.parts/manifest.json` and replaced atomically
 * (write then rename) after each chunk, so after a crash it lists exactly the chunks whose part files are complete.
 * The identity fields decide whether `--resume` may continue.
 */
export interface BatchManifest {
  readonly format: typeof BATCH_MANIFEST_FORMAT;
  readonly model: { readonly ref: string; readonly name: string; readonly version: string; readonly hash: string };
  readonly input: { readonly source: string; readonly fingerprint: string; readonly rows: number };
  readonly chunkRows: number;
  readonly keep: readonly string[];
  readonly skipInvalid: boolean;
  readonly chunks: readonly BatchChunk[];
}

/** The manifest file of a side directory. */
export function manifestPath(sideDir: string): string {
  return join(sideDir, 'manifest.json');
}

/** Writes the manifest atomically. */
export function writeManifest(sideDir: string, manifest: BatchManifest): void {
  const path = manifestPath(sideDir);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(manifest, null, 1)}\n`);
  renameSync(`${path}.tmp`, path);
}

/**
 * Reads a side directory's manifest, or null when there is none.
 * @throws LOOM_ERR_PREDICT_MANIFEST_CORRUPT when it does not parse, has another format or lists a missing part file
 */
export function readManifest(sideDir: string): BatchManifest | null {
  const path = manifestPath(sideDir);
  if (!existsSync(path)) return null;
  const corrupt = (problem: string) => new LoomError('PREDICT_MANIFEST_CORRUPT', { path, problem }, { details: { field: 'resume' } });
  let parsed: BatchManifest;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as BatchManifest;
  } catch (err) {
    throw corrupt(`it is not JSON: ${(err as Error).message}`);
  }
  if (parsed?.format !== BATCH_MANIFEST_FORMAT || !Array.isArray(parsed.chunks)) throw corrupt(`it is not a ${BATCH_MANIFEST_FORMAT} manifest`);
  parsed.chunks.forEach((c, i) => {
    if (c.index !== i) throw corrupt(`chunk ${i} is listed as ${c.index}`);
    for (const file of [c.part, c.rejects]) if (file !== null && !existsSync(join(sideDir, file))) throw corrupt(`the part file ${file} is missing`);
  });
  return parsed;
}

/**
 * Throws LOOM_ERR_PREDICT_RESUME_MISMATCH when `now` is not the same batch prediction as `then` (model, input,
 * chunking, kept columns, invalid-row handling), so a resumed output never mixes two runs.
 */
export function checkResumable(output: string, then: BatchManifest, now: Omit<BatchManifest, 'chunks'>): void {
  const same: [string, string, string][] = [
    ['the model', `${then.model.name} version ${then.model.version} (${then.model.hash.slice(0, 12)})`, `${now.model.name} version ${now.model.version} (${now.model.hash.slice(0, 12)})`],
    ['the input', `${then.input.source} ${then.input.fingerprint.slice(0, 19)}`, `${now.input.source} ${now.input.fingerprint.slice(0, 19)}`],
    ['--chunk-rows', String(then.chunkRows), String(now.chunkRows)],
    ['--keep', then.keep.join(',') || '(none)', now.keep.join(',') || '(none)'],
    ['--skip-invalid', String(then.skipInvalid), String(now.skipInvalid)],
  ];
  if (then.model.hash !== now.model.hash) throw mismatch(output, same[0]);
  if (then.input.fingerprint !== now.input.fingerprint || then.input.rows !== now.input.rows) throw mismatch(output, same[1]);
  for (const entry of same.slice(2)) if (entry[1] !== entry[2]) throw mismatch(output, entry);
}

function mismatch(output: string, [what, was, now]: [string, string, string]): LoomError {
  return new LoomError('PREDICT_RESUME_MISMATCH', { output, what, was, now }, { details: { field: what.replace(/^--/, '').replace(/^the /, '') } });
}
