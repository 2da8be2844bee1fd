import { z } from 'zod';
import { COLUMN_TAGS, LOGICAL_TYPES, type ColumnTag, type LogicalType } from '../../core/frame/column.js';
import type { Schema } from '../../core/schema/index.js';

/** The newest manifest format this Loom writes and reads. Older versions stay readable; newer ones are refused. */
export const MODEL_FORMAT_VERSION = 1;

/** The manifest's file name inside a model directory. */
export const MANIFEST_FILE = 'manifest.json';

/** File names a model may hold: flat (no folders), so a manifest can never point outside its directory. */
export const MODEL_FILE_NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** A JSON value (what preprocessing states, params and flavor states are made of). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** What the model predicts. `classes` names the classes (in output order) of a classifier. */
export interface OutputSignature {
  readonly task: 'binary' | 'multiclass' | 'regression' | 'ranking';
  readonly outputs: readonly { readonly name: string; readonly type: 'float' }[];
  readonly classes?: readonly string[];
}

/** Where a model came from. `createdAt` is fixed at training time, so saving the same model twice gives the same bytes. */
export interface ModelLineage {
  readonly datasets: readonly { readonly role: string; readonly name: string; readonly version: string }[];
  readonly gitSha: string | null;
  readonly seed: number | null;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  readonly loomVersion: string;
}

/** A weight or state file listed in the manifest with its SHA-256. */
export interface ModelFile {
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * `manifest.json` of a model directory. Data only: everything needed to run the model is here or in the listed
 * files, and nothing is code. `manifestHash` is the SHA-256 of the canonical JSON of every other field; it is the
 * model's id and lets loading detect an edited manifest.
 */
export interface ModelManifest {
  readonly formatVersion: number;
  readonly flavor: string;
  readonly inputSignature: Schema;
  readonly outputSignature: OutputSignature;
  /** The fitted preprocessing pipeline's state, or null when the model reads its inputs as they are. */
  readonly preprocessing: JsonValue;
  readonly params: { readonly [key: string]: JsonValue };
  readonly metrics: { readonly [key: string]: number };
  /** A profile of the training data (src/data/profile), the reference for drift monitoring. */
  readonly referenceProfile: JsonValue;
  readonly lineage: ModelLineage;
  readonly files: readonly ModelFile[];
  readonly manifestHash: string;
}

const json: z.ZodType<JsonValue> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]));

const columnZod = z.strictObject({
  name: z.string().min(1),
  type: z.enum(LOGICAL_TYPES as [LogicalType, ...LogicalType[]]),
  nullable: z.boolean(),
  tags: z.array(z.enum(COLUMN_TAGS as [ColumnTag, ...ColumnTag[]])),
  categories: z.array(z.string()).optional(),
  dim: z.number().int().positive().optional(),
});

/** The manifest's shape; unknown keys are rejected so a typo or a foreign file never loads silently. */
export const manifestZod = z.strictObject({
  formatVersion: z.number().int().positive(),
  flavor: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
  inputSignature: z.strictObject({ columns: z.array(columnZod) }),
  outputSignature: z.strictObject({
    task: z.enum(['binary', 'multiclass', 'regression', 'ranking']),
    outputs: z.array(z.strictObject({ name: z.string().min(1), type: z.literal('float') })).min(1),
    classes: z.array(z.string()).optional(),
  }),
  preprocessing: json,
  params: z.record(z.string(), json),
  metrics: z.record(z.string(), z.number()),
  referenceProfile: json,
  lineage: z.strictObject({
    datasets: z.array(z.strictObject({ role: z.string().min(1), name: z.string().min(1), version: z.string().min(1) })),
    gitSha: z.string().regex(/^[0-9a-f]{40,64}$/).nullable(),
    seed: z.number().int().nullable(),
    createdAt: z.iso.datetime(),
    loomVersion: z.string().min(1),
  }),
  files: z.array(z.strictObject({ name: z.string().regex(MODEL_FILE_NAME), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() })),
  manifestHash: z.string().regex(/^[0-9a-f]{64}$/),
});
