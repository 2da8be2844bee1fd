import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Progress } from '../cli/progress.js';
import type { ChurnWorld } from './generate-churn-world.js';
import { writeCustomers } from './write-customers.js';
import { writeEvents } from './write-events.js';
import { writeGroundTruth } from './write-ground-truth.js';
import { writeLabels } from './write-labels.js';
import { roundTruth, WORLD_MANIFEST_FILE, type WorldFile, type WorldManifest } from './world-manifest.js';

/** Where a world was written: the absolute directory, the manifest, and each file's absolute path. */
export interface WrittenWorld {
  readonly dir: string;
  readonly manifest: WorldManifest;
  readonly paths: { readonly customers: string; readonly events: string; readonly labels: string; readonly groundTruth: string; readonly manifest: string };
}

/**
 * Writes a generated world into `dir` (created if missing; files of an earlier world are replaced):
 * customers.csv, events.{parquet|csv|jsonl}, labels.jsonl, ground-truth.csv and world.json. The same world gives
 * byte-identical files.
 *
 * @example
 * const { paths, manifest } = await writeChurnWorld(generateChurnWorld({ seed: 42 }), '.loom/demo/world');
 */
export async function writeChurnWorld(world: ChurnWorld, dir: string, progress?: Progress): Promise<WrittenWorld> {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  const eventsFile = `events.${world.config.eventsFormat}`;
  const paths = {
    customers: join(root, 'customers.csv'),
    events: join(root, eventsFile),
    labels: join(root, 'labels.jsonl'),
    groundTruth: join(root, 'ground-truth.csv'),
    manifest: join(root, WORLD_MANIFEST_FILE),
  };
  progress?.start(5, 'write world');
  try {
    const customerRows = writeCustomers(world, paths.customers);
    progress?.update(1);
    const eventRows = await writeEvents(world, paths.events, world.config.eventsFormat);
    progress?.update(2);
    const labelRows = writeLabels(world, paths.labels);
    progress?.update(3);
    const truthRows = writeGroundTruth(world, paths.groundTruth);
    progress?.update(4);
    const end = Date.parse(world.config.end);
    let pending = 0;
    for (let i = 0; i < world.labels.labelAvailableAt.length; i++) if (world.labels.labelAvailableAt[i] >= end) pending++;
    const count = (mask: Uint8Array): number => mask.reduce((s, v) => s + v, 0);
    const manifest: WorldManifest = {
      generator: 'loom-synthetic-churn',
      formatVersion: 1,
      config: world.config,
      files: {
        customers: describe(paths.customers, 'csv', customerRows, 'observed_at', { customer_id: ['id'], email: ['pii'], age: ['sensitive'] }, 'one row per customer: features as of observed_at, with a few dirty cells'),
        events: describe(paths.events, world.config.eventsFormat, eventRows, 'event_at', { event_id: ['id'] }, 'sessions, support tickets, invoices, payments and cancellations, in time order'),
        labels: describe(paths.labels, 'jsonl', labelRows, 'label_available_at', { customer_id: ['id'], churned: ['target'] }, 'churn within the horizon, known only from label_available_at'),
        groundTruth: describe(paths.groundTruth, 'csv', truthRows, 'observed_at', { customer_id: ['id'] }, 'true churn probability per customer; for checking models, never for training'),
      },
      truth: { all: roundTruth(world.truth.all), reference: roundTruth(world.truth.reference), drifted: roundTruth(world.truth.drifted) },
      dirty: {
        regionNulls: count(world.dirty.regionNull),
        ageNulls: count(world.dirty.ageNull),
        monthlyChargesNulls: count(world.dirty.monthlyChargesNull),
        paddedPlans: count(world.dirty.planPadded),
      },
      labelsPendingAtEnd: pending,
    };
    writeFileSync(paths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    progress?.update(5);
    return { dir: root, manifest, paths };
  } finally {
    progress?.stop();
  }
}

function describe(path: string, format: WorldFile['format'], rows: number, timestamp: string, tags: WorldFile['tags'], description: string): WorldFile {
  const bytes = readFileSync(path);
  return {
    file: basename(path),
    format,
    rows,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    timestamp,
    tags,
    description,
  };
}
