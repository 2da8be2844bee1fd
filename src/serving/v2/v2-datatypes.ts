import type { LogicalType } from '../../core/frame/column.js';

/** The Open Inference Protocol tensor datatypes (case-sensitive). */
export const V2_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const;
export type V2Datatype = (typeof V2_DATATYPES)[number];

/** Inclusive integer ranges of the integer datatypes (64-bit ones limited to what JSON numbers hold exactly). */
export const V2_INTEGER_RANGE: Readonly<Partial<Record<V2Datatype, readonly [number, number]>>> = {
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** The datatype model metadata advertises for an input column (what a client should send). */
export function v2DatatypeOf(type: LogicalType): V2Datatype {
  switch (type) {
    case 'float':
      return 'FP64';
    case 'int':
    case 'timestamp':
      return 'INT64';
    case 'bool':
      return 'BOOL';
    case 'category':
    case 'string':
      return 'BYTES';
    case 'embedding':
      return 'FP32';
  }
}

/**
 * The datatypes accepted for a column: any numeric type for numbers (int columns still need whole values), BOOL for booleans,
 * BYTES for strings, INT64 (epoch ms) or BYTES (ISO-8601) for timestamps, floating point for embeddings.
 */
export function v2Accepts(type: LogicalType, datatype: V2Datatype): boolean {
  const integer = V2_INTEGER_RANGE[datatype] !== undefined;
  const floating = datatype === 'FP16' || datatype === 'FP32' || datatype === 'FP64';
  switch (type) {
    case 'float':
    case 'int':
      return integer || floating;
    case 'bool':
      return datatype === 'BOOL';
    case 'category':
    case 'string':
      return datatype === 'BYTES';
    case 'timestamp':
      return integer || datatype === 'BYTES';
    case 'embedding':
      return floating || integer;
  }
}
