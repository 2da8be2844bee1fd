// How the world writes values as text. Every value the generator produces is free of commas, quotes and line
// breaks, so CSV fields need no quoting; an empty field is a null.

/** `YYYY-MM-DD HH:MM:SS` in UTC (what DuckDB reads as a TIMESTAMP); empty for NaN. */
export function timestampText(ms: number): string {
  if (Number.isNaN(ms)) return '';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** A number with a fixed count of decimals; empty for NaN. */
export function fixedText(x: number, decimals: number): string {
  return Number.isNaN(x) ? '' : x.toFixed(decimals);
}

/** A JSON string or `null` for the JSON Lines writers; `text` never needs escaping beyond JSON's own. */
export function jsonText(text: string): string {
  return text === '' ? 'null' : JSON.stringify(text);
}
