import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openDuckDb } from '../data/duckdb/duckdb-session.js';
import { sqlString } from '../data/duckdb/sql-text.js';
import { fixedText, jsonText, timestampText } from './cell-text.js';
import type { EventsFormat } from './churn-world-config.js';
import { EVENT_TYPES } from './event-table.js';
import type { ChurnWorld } from './generate-churn-world.js';
import { LineFileWriter } from './line-file-writer.js';

/** Columns of the event log, in file order, with the DuckDB type each is written as in Parquet. */
export const EVENT_COLUMNS = [
  ['event_id', 'VARCHAR'],
  ['customer_id', 'VARCHAR'],
  ['event_at', 'TIMESTAMP'],
  ['event_type', 'VARCHAR'],
  ['amount', 'DOUBLE'],
  ['duration_minutes', 'DOUBLE'],
] as const;

/** Rows per Parquet row group; fixed so the same events always give the same bytes. */
const ROW_GROUP_SIZE = 122_880;

/**
 * Writes the event log in time order: `event_id` (`E00000001`, …), `customer_id`, `event_at`, `event_type` (one of
 * EVENT_TYPES), `amount` (invoices and payments, else null) and `duration_minutes` (sessions, else null). CSV and
 * JSON Lines are written directly; Parquet goes through a temporary CSV and DuckDB, with an explicit schema, one
 * thread, zstd and fixed row groups, so the bytes depend only on the events. Returns the row count.
 */
export async function writeEvents(world: ChurnWorld, path: string, format: EventsFormat): Promise<number> {
  if (format === 'jsonl') return writeJsonl(world, path);
  if (format === 'csv') return writeCsv(world, path);
  const tmp = join(dirname(path), '.events.tmp.csv');
  const duckTmp = join(dirname(path), '.duckdb-tmp');
  try {
    const rows = writeCsv(world, tmp);
    const session = await openDuckDb({ tempDirectory: duckTmp, threads: 1 });
    try {
      const columns = `{${EVENT_COLUMNS.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ')}}`;
      const read = `read_csv(${sqlString(tmp)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${columns}, timestampformat = '%Y-%m-%d %H:%M:%S')`;
      await session.singleThreaded(() =>
        session.connection.run(`COPY (SELECT * FROM ${read}) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`),
      );
    } finally {
      session.close();
    }
    return rows;
  } finally {
    rmSync(tmp, { force: true });
    rmSync(duckTmp, { recursive: true, force: true });
  }
}

function writeCsv(world: ChurnWorld, path: string): number {
  const { customers: c, events: e } = world;
  const out = new LineFileWriter(path, EVENT_COLUMNS.map(([name]) => name).join(','));
  for (let k = 0; k < e.length; k++) {
    out.line(`${eventId(k)},${c.id[e.customer[k]]},${timestampText(e.at[k])},${EVENT_TYPES[e.type[k]]},${fixedText(e.amount[k], 2)},${fixedText(e.minutes[k], 1)}`);
  }
  out.close();
  return out.rows;
}

function writeJsonl(world: ChurnWorld, path: string): number {
  const { customers: c, events: e } = world;
  const out = new LineFileWriter(path);
  for (let k = 0; k < e.length; k++) {
    const amount = Number.isNaN(e.amount[k]) ? 'null' : fixedText(e.amount[k], 2);
    const minutes = Number.isNaN(e.minutes[k]) ? 'null' : fixedText(e.minutes[k], 1);
    out.line(
      `{"event_id":"${eventId(k)}","customer_id":"${c.id[e.customer[k]]}","event_at":${jsonText(timestampText(e.at[k]))},"event_type":"${EVENT_TYPES[e.type[k]]}","amount":${amount},"duration_minutes":${minutes}}`,
    );
  }
  out.close();
  return out.rows;
}

function eventId(k: number): string {
  return `E${String(k + 1).padStart(8, '0')}`;
}
