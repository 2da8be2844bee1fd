export { COLUMN_TAGS, LOGICAL_TYPES } from './column.js';
export type {
  BoolColumn,
  CategoryColumn,
  Column,
  ColumnTag,
  EmbeddingColumn,
  FloatColumn,
  IntColumn,
  LogicalType,
  StringColumn,
  TimestampColumn,
} from './column.js';
export {
  boolColumn,
  categoryColumn,
  embeddingColumn,
  floatColumn,
  intColumn,
  stringColumn,
  timestampColumn,
  toEpochMs,
} from './column-builders.js';
export { columnValue, renameColumn, sliceColumn, takeColumn, withTags } from './column-ops.js';
export { Frame } from './frame.js';
export type { FrameRecord } from './frame.js';
export { frameFromRecords } from './frame-from-records.js';
export { countNulls, isValid, newValidity, setValid, sliceValidity, takeValidity, validityBytes } from './validity.js';
