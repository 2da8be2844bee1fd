import { LoomError } from '../../../core/errors/index.js';
import type { Column } from '../../../core/frame/column.js';
import { Frame } from '../../../core/frame/frame.js';

/**
 * A frame where the column `name` is replaced, at its position, by `columns` (none removes it). Used by steps that
 * turn a column into its encoding, so feature order follows input order.
 * @throws LOOM_ERR_PREPROCESS_STEP_INVALID when an output name clashes with another column (details.field = the name)
 */
export function replaceColumns(frame: Frame, name: string, columns: readonly Column[], label: string): Frame {
  const at = frame.columns.findIndex((c) => c.name === name);
  const out = [...frame.columns.slice(0, at), ...columns, ...frame.columns.slice(at + 1)];
  return build(frame, out, label);
}

/** A frame with `columns` inserted right after the column `after`. Same errors as replaceColumns. */
export function insertAfter(frame: Frame, after: string, columns: readonly Column[], label: string): Frame {
  const at = frame.columns.findIndex((c) => c.name === after);
  const out = [...frame.columns.slice(0, at + 1), ...columns, ...frame.columns.slice(at + 1)];
  return build(frame, out, label);
}

function build(frame: Frame, columns: Column[], label: string): Frame {
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.name)) {
      throw new LoomError(
        'PREPROCESS_STEP_INVALID',
        { step: label, field: column.name, problem: 'this output column name is already taken by another column; rename the step output or the input column' },
        { details: { field: column.name } },
      );
    }
    seen.add(column.name);
  }
  return new Frame(columns, frame.length);
}
