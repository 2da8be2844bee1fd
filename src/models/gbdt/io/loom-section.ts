import type { GbdtModel } from '../gbdt-model.js';
import { modelFormatError } from './model-format-error.js';
import { parseModelJson } from './parse-model-json.js';

/** What Loom keeps about a feature beyond LightGBM's header: its exact name and, for Frame categories, the dictionary. @internal */
export interface LoomFeatureInfo {
  readonly name: string;
  readonly categorical: boolean;
  readonly dictionary: readonly string[] | null;
}

/** The contents of a `loom:` section. @internal */
export interface LoomSection {
  readonly features: readonly LoomFeatureInfo[] | null;
  readonly labelClasses: readonly string[] | null;
}

/** The section's first line. LightGBM skips every line after `end of parameters` except a `parser:` section. @internal */
export const LOOM_SECTION_START = 'loom:';
/** The section's last line. @internal */
export const LOOM_SECTION_END = 'end of loom';

/**
 * The `loom:` section: what LightGBM's format cannot hold, one `key=JSON` line each — `features` (every feature's
 * exact name, whether it is categorical, and its category dictionary or null) and `label_classes` (class names, or
 * null). Written after `end of parameters`, where LightGBM's loader does not look.
 *
 * @internal
 */
export function formatLoomSection(model: GbdtModel): string[] {
  const features = model.features.map((f) => ({ name: f.name, categorical: f.categorical, dictionary: f.dictionary }));
  return [LOOM_SECTION_START, `features=${JSON.stringify(features)}`, `label_classes=${JSON.stringify(model.labelClasses)}`, LOOM_SECTION_END];
}

/**
 * Reads the section's `key=JSON` lines (without the start and end lines), each with its line number. Unknown keys are
 * ignored, so later Loom versions may add some.
 *
 * @throws LOOM_ERR_GBDT_MODEL_FORMAT_INVALID naming the line and key for malformed JSON or a value of the wrong shape,
 *   or a feature count other than `numFeatures`.
 *
 * @internal
 */
export function parseLoomSection(lines: readonly { readonly text: string; readonly line: number }[], numFeatures: number): LoomSection {
  let features: LoomFeatureInfo[] | null = null;
  let labelClasses: string[] | null = null;
  for (const { text, line } of lines) {
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    if (key !== 'features' && key !== 'label_classes') continue;
    const value = parseModelJson(text.slice(eq + 1), line, key);
    if (key === 'features') features = readFeatures(value, line, numFeatures);
    else labelClasses = value === null ? null : stringArray(value, line, 'label_classes');
  }
  return { features, labelClasses };
}

function readFeatures(value: unknown, line: number, numFeatures: number): LoomFeatureInfo[] {
  if (!Array.isArray(value) || value.length !== numFeatures) throw modelFormatError(line, 'features', `expected a list of ${numFeatures} features`);
  return value.map((item: unknown, f) => {
    const entry = item as { name?: unknown; categorical?: unknown; dictionary?: unknown } | null;
    if (entry === null || typeof entry !== 'object' || typeof entry.name !== 'string' || typeof entry.categorical !== 'boolean') {
      throw modelFormatError(line, 'features', `feature ${f} needs a string name and a boolean categorical`);
    }
    const dictionary = entry.dictionary === null || entry.dictionary === undefined ? null : stringArray(entry.dictionary, line, 'features');
    return { name: entry.name, categorical: entry.categorical, dictionary };
  });
}

function stringArray(value: unknown, line: number, field: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw modelFormatError(line, field, 'expected a list of strings');
  return value as string[];
}
