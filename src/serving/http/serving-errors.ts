import { randomUUID } from 'node:crypto';
import type { FastifyError } from 'fastify';
import { LoomError, asLoomError } from '../../core/errors/index.js';

/** V2 routes answer errors as `{error, code, details}`; Loom routes as the Loom error body. */
export type Protocol = 'v2' | 'loom';

/** The Content-Type of every JSON answer and error, as Fastify writes it for an object body. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Request ids a client may choose (x-request-id); anything else is replaced by a fresh UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id of a request: the client's `x-request-id` when it is a plain token, else a fresh UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** The JSON error body of a protocol. */
export function errorBody(protocol: Protocol, loom: LoomError): unknown {
  if (loom.statusCode >= 500 && process.env.LOOM_DEBUG === '1') process.stderr.write(`${(loom.cause as Error | undefined)?.stack ?? loom.stack ?? loom.message}\n`);
  return protocol === 'v2' ? { error: loom.message, code: loom.code, ...(loom.details === undefined ? {} : { details: loom.details }) } : loom.toJSON();
}

/** The query string of a request URL. */
export function queryOf(url: string): URLSearchParams {
  const q = url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
}

/** A POST body; undefined when the request has none. */
export function requireBody(body: unknown): unknown {
  if (body === undefined) throw emptyBody();
  return body;
}

/** LOOM_ERR_SERVING_MALFORMED_JSON for a request without a body. */
export function emptyBody(): LoomError {
  return new LoomError('SERVING_MALFORMED_JSON', { problem: 'the body is empty' }, { details: { field: '(body)' } });
}

/** LOOM_ERR_SERVING_MALFORMED_JSON for a body that does not parse (or would poison prototypes). */
export function malformedBody(): LoomError {
  return new LoomError('SERVING_MALFORMED_JSON', { problem: 'it does not parse, or it holds a __proto__ or constructor.prototype key' }, { details: { field: '(body)' } });
}

/** LOOM_ERR_SERVING_BODY_TOO_LARGE (413). */
export function bodyTooLarge(bodyLimit: number): LoomError {
  return new LoomError('SERVING_BODY_TOO_LARGE', { limit: bodyLimit }, { details: { field: '(body)', limit: bodyLimit } });
}

/** Loom's error for anything a handler or Fastify raised: Fastify's 4xx become coded Loom 4xx errors. */
export function toLoomError(error: FastifyError | LoomError | Error, bodyLimit: number): LoomError {
  if (error instanceof LoomError) return error;
  const fastifyError = error as FastifyError;
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return bodyTooLarge(bodyLimit);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return malformedBody();
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return emptyBody();
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new LoomError('SERVING_INVALID_REQUEST', { field: 'content-length', problem: 'the body size does not match Content-Length' }, { details: { field: 'content-length' } });
  }
  if (error instanceof SyntaxError && status === 400) return new LoomError('SERVING_MALFORMED_JSON', { problem: error.message.slice(0, 200) }, { details: { field: '(body)' } });
  if (status >= 400 && status < 500) return new LoomError('SERVING_INVALID_REQUEST', { field: '(request)', problem: error.message.slice(0, 200) }, { details: { field: '(request)' } });
  return asLoomError(error);
}
