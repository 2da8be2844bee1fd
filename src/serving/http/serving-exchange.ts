import type { LightMyRequestResponse } from 'fastify';

/** An in-process response: Fastify's `inject` response (statusCode, headers, body as text, `json()`). */
export type InjectedResponse = LightMyRequestResponse;

/** What `inject` takes: a JSON `payload` is serialized; a string or Buffer is sent as is. */
export interface InjectOptions {
  readonly method?: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly payload?: unknown;
}
