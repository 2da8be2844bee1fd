import { LOOM_SECTION_END, LOOM_SECTION_START } from './loom-section.js';
import { modelFormatError } from './model-format-error.js';
import type { ModelTextLines } from './model-text-lines.js';
import { PANDAS_CATEGORICAL_PREFIX } from './pandas-categorical.js';
import { parseParameterLine } from './parameters-section.js';

/** A line of text with its 1-based number. @internal */
export interface NumberedLine {
  readonly text: string;
  readonly line: number;
}

/** What follows `end of trees`. @internal */
export interface TrailingSections {
  /** `[name: value]` entries of the parameters section (empty when there is none). */
  readonly parameters: ReadonlyMap<string, string>;
  /** The lines inside `loom:` … `end of loom`, or null when the section is absent. */
  readonly loom: readonly NumberedLine[] | null;
  /** The JSON after the last `pandas_categorical:` prefix, or null when absent. */
  readonly pandasCategorical: NumberedLine | null;
}

const ENDS: Readonly<Record<string, string>> = { 'parameters:': 'end of parameters', 'parser:': 'end of parser', [LOOM_SECTION_START]: LOOM_SECTION_END };

/**
 * Reads everything after `end of trees`: `feature_importances:` (skipped; it is derived from the trees),
 * `parameters:` … `end of parameters`, `parser:` … `end of parser` (skipped), Loom's `loom:` … `end of loom`, and
 * the Python package's `pandas_categorical:` line. Other lines are ignored, as LightGBM ignores them.
 *
 * @throws LOOM_ERR_GBDT_MODEL_FORMAT_INVALID for a section without its end line or a malformed parameter line.
 *
 * @internal
 */
export function readTrailingSections(lines: ModelTextLines): TrailingSections {
  const parameters = new Map<string, string>();
  let loom: NumberedLine[] | null = null;
  let pandasCategorical: NumberedLine | null = null;
  while (!lines.done) {
    const line = lines.lineNumber;
    const text = lines.take()!;
    if (text.startsWith(PANDAS_CATEGORICAL_PREFIX)) {
      pandasCategorical = { text: text.slice(PANDAS_CATEGORICAL_PREFIX.length), line };
      continue;
    }
    const end = ENDS[text];
    if (end === undefined) continue;
    const body = sectionBody(lines, text, end, line);
    if (text === 'parameters:') {
      for (const entry of body) {
        const [name, value] = parseParameterLine(entry.text, entry.line);
        parameters.set(name, value);
      }
    } else if (text === LOOM_SECTION_START) {
      loom = body;
    }
  }
  return { parameters, loom, pandasCategorical };
}

/** The non-empty lines up to `end`. */
function sectionBody(lines: ModelTextLines, start: string, end: string, startLine: number): NumberedLine[] {
  const body: NumberedLine[] = [];
  for (;;) {
    const line = lines.lineNumber;
    const text = lines.take();
    if (text === undefined) throw modelFormatError(startLine, start.slice(0, -1), `the section has no "${end}" line; the text may be cut short`);
    if (text === end) return body;
    if (text !== '') body.push({ text, line });
  }
}
