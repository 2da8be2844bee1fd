import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { LoomError } from '../../core/errors/index.js';

/** File formats ingest reads. `json` is a top-level array of objects (or one object per line). */
export type FileFormat = 'csv' | 'parquet' | 'jsonl' | 'json';

/** Every format, for `--format` and error messages. */
export const FILE_FORMATS: readonly FileFormat[] = ['csv', 'parquet', 'jsonl', 'json'];

const EXTENSIONS: ReadonlyArray<readonly [string, FileFormat]> = [
  ['.csv', 'csv'],
  ['.tsv', 'csv'],
  ['.txt', 'csv'],
  ['.parquet', 'parquet'],
  ['.pq', 'parquet'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.json', 'json'],
];

/**
 * The format of `path`: `explicit` when given (validated), else from the extension, looking through a `.gz`
 * suffix (`x.csv.gz` is csv). @throws LOOM_ERR_DATA_UNKNOWN_FORMAT
 */
export function detectFormat(path: string, explicit?: string): FileFormat {
  if (explicit !== undefined) {
    const wanted = explicit.toLowerCase() === 'ndjson' ? 'jsonl' : explicit.toLowerCase();
    if ((FILE_FORMATS as readonly string[]).includes(wanted)) return wanted as FileFormat;
    throw new LoomError('DATA_UNKNOWN_FORMAT', { path, known: FILE_FORMATS.join(', ') }, { details: { field: 'format', value: explicit } });
  }
  const lower = path.toLowerCase().replace(/\.(gz|gzip|zst)$/, '');
  for (const [ext, format] of EXTENSIONS) if (lower.endsWith(ext)) return format;
  throw new LoomError('DATA_UNKNOWN_FORMAT', { path, known: FILE_FORMATS.join(', ') }, { details: { field: 'format' } });
}

/** True when the file is gzip-compressed, by extension. */
export function isGzip(path: string): boolean {
  return /\.(gz|gzip)$/i.test(path);
}

/** The header of a delimited text file: its delimiter and column names (quotes removed). */
export interface CsvHeader {
  readonly delimiter: string;
  readonly names: readonly string[];
}

/**
 * Reads the first line of a CSV (decompressing `.gz`) and picks the delimiter among `,` `\t` `;` `|` by count
 * outside quotes. Only the header is read here; rows are parsed by DuckDB. Returns null for an empty file.
 */
export async function readCsvHeader(path: string): Promise<CsvHeader | null> {
  const line = await firstLine(path);
  if (line === null || line.trim() === '') return null;
  let best = ',';
  let bestCount = -1;
  for (const candidate of [',', '\t', ';', '|']) {
    const count = splitQuoted(line, candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return { delimiter: best, names: splitQuoted(line, best).map((n) => n.trim()) };
}

function splitQuoted(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

async function firstLine(path: string): Promise<string | null> {
  const raw = createReadStream(path, { highWaterMark: 64 * 1024 });
  const stream = isGzip(path) ? raw.pipe(createGunzip()) : raw;
  let text = '';
  try {
    for await (const chunk of stream) {
      text += (chunk as Buffer).toString('utf8');
      const end = text.indexOf('\n');
      if (end >= 0) return text.slice(0, end).replace(/\r$/, '').replace(/^\uFEFF/, '');
      if (text.length > 1 << 20) break;
    }
  } finally {
    raw.destroy();
  }
  return text.length === 0 ? null : text.replace(/\r$/, '').replace(/^\uFEFF/, '');
}
