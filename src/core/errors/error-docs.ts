import { ERROR_AREAS } from './catalogue.js';

/** Renders docs/errors.md from the catalogue: one table per area, one row per code. */
export function renderErrorDocs(): string {
  const lines = [
    '<!-- Generated from src/core/errors by `npm run docs:errors`. Do not edit by hand; a test checks it. -->',
    '# Error codes',
    '',
    'Every error Loom raises on purpose carries a stable code `LOOM_ERR_<AREA>_<WHAT>`, an HTTP status, and a message',
    'that says what to do next. The API sends `{ statusCode, code, error, message, details? }`; the CLI prints the code',
    'and message and exits non-zero (`--json` prints the same body). Codes are never reused.',
    '',
  ];
  for (const [area, table] of ERROR_AREAS) {
    lines.push(`## ${area}`, '', '| code | status | meaning | fix |', '| --- | --- | --- | --- |');
    for (const [name, def] of Object.entries(table)) {
      lines.push(`| \`LOOM_ERR_${name}\` | ${def.status} | ${escape(def.meaning)} | ${escape(def.fix)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}
