import { ERROR_CATALOGUE, type ErrorName } from './catalogue.js';

/** Values that fill a message template. */
export type ErrorParams = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Extra machine-readable context, e.g. the offending field. Sent to API clients as `details`. */
export interface ErrorDetails {
  readonly field?: string;
  readonly [key: string]: unknown;
}

/** The JSON body the HTTP API sends for an error. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly code: string;
  readonly error: string;
  readonly message: string;
  readonly details?: ErrorDetails;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The one error class Loom throws on purpose. `code` is the stable `LOOM_ERR_*` code, `statusCode` the HTTP status
 * from the catalogue, and `cause` keeps the wrapped failure.
 */
export class LoomError extends Error {
  readonly code: `LOOM_ERR_${ErrorName}`;
  override readonly name = 'LoomError';
  readonly statusCode: number;
  readonly details: ErrorDetails | undefined;

  constructor(name: ErrorName, params: ErrorParams = {}, options: { cause?: unknown; details?: ErrorDetails } = {}) {
    const def = ERROR_CATALOGUE[name];
    super(render(def.message, params), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = `LOOM_ERR_${name}`;
    this.statusCode = def.status;
    this.details = options.details;
  }

  /** The API error body. */
  toJSON(): ErrorBody {
    return {
      statusCode: this.statusCode,
      code: this.code,
      error: STATUS_TEXT[this.statusCode] ?? 'Error',
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** Throws-free constructor for call sites that read better as `throw loomError(...)`. */
export function loomError(
  name: ErrorName,
  params: ErrorParams = {},
  options: { cause?: unknown; details?: ErrorDetails } = {},
): LoomError {
  return new LoomError(name, params, options);
}

/** True when `err` is a LoomError, optionally with the given code name (without prefix). */
export function isLoomError(err: unknown, name?: ErrorName): err is LoomError {
  return err instanceof LoomError && (name === undefined || err.code === `LOOM_ERR_${name}`);
}

/** Wraps any thrown value as a LoomError, keeping LoomErrors as they are and the original as `cause`. */
export function asLoomError(err: unknown): LoomError {
  if (err instanceof LoomError) return err;
  const problem = err instanceof Error ? err.message : String(err);
  return new LoomError('CORE_INTERNAL', { problem }, { cause: err });
}

function render(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = params[key];
    return value === undefined || value === null ? whole : String(value);
  });
}
