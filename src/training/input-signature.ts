import { LoomError } from '../core/errors/index.js';
import type { Frame } from '../core/frame/frame.js';
import type { LogicalType } from '../core/frame/column.js';
import { schemaOf, type Schema } from '../core/schema/index.js';

/** The model's input columns: every training column but the target and columns tagged `id`. */
export function inputSignatureOf(train: Frame, target: string): Schema {
  const schema = schemaOf(train);
  return { columns: schema.columns.filter((c) => c.name !== target && !c.tags.includes('id') && !c.tags.includes('target')) };
}

/**
 * Checks that `frame` has every input column with a compatible type (int and float are one family, category and
 * string another) and returns it restricted to those columns, in signature order. Extra columns are ignored.
 *
 * @throws LOOM_ERR_TRAINING_INPUT_MISMATCH naming the first missing or mistyped column.
 */
export function conformToSignature(frame: Frame, signature: Schema): Frame {
  for (const column of signature.columns) {
    if (!frame.has(column.name)) {
      throw new LoomError('TRAINING_INPUT_MISMATCH', { field: column.name, problem: `the column is missing (the model needs ${signature.columns.map((c) => c.name).join(', ')})` }, { details: { field: column.name } });
    }
    const actual = frame.column(column.name).type;
    if (family(actual) !== family(column.type)) {
      throw new LoomError('TRAINING_INPUT_MISMATCH', { field: column.name, problem: `it is ${actual}, and the model was trained on ${column.type}` }, { details: { field: column.name } });
    }
  }
  return frame.select(signature.columns.map((c) => c.name));
}

function family(type: LogicalType): string {
  if (type === 'int' || type === 'float') return 'number';
  if (type === 'category' || type === 'string') return 'text';
  return type;
}
