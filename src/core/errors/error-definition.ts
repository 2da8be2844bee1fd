/**
 * One entry of the error catalogue. Each `LOOM_ERR_*` code is defined exactly once, with the HTTP status it maps to,
 * a message template and the text that `docs/errors.md` shows for it.
 *
 * Templates use `{name}` placeholders filled from the params given at the throw site. The rendered message must say
 * what to do next, so every template ends with the fix.
 */
export interface ErrorDefinition {
  /** HTTP status the API answers with. 4xx for anything the caller can fix. */
  readonly status: number;
  /** Message template with `{param}` placeholders. */
  readonly message: string;
  /** What the error means, for docs/errors.md. */
  readonly meaning: string;
  /** How to fix it, for docs/errors.md. */
  readonly fix: string;
}

/** A catalogue area: codes without the `LOOM_ERR_` prefix mapped to their definitions. */
export type ErrorArea = Readonly<Record<string, ErrorDefinition>>;
