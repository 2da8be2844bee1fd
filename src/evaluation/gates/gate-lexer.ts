import { LoomError } from '../../core/errors/index.js';

/** A token of one gate line. `column` is 1-based. */
export interface GateToken {
  readonly kind: 'number' | 'ident' | 'string' | 'symbol' | 'end';
  readonly text: string;
  readonly column: number;
}

const SYMBOLS = ['>=', '<=', '>', '<', '+', '-', '*', '/', '|', '(', ')', '[', ']', '.', ',', '%'] as const;

/**
 * Splits one line into tokens, dropping a `#` comment. Identifiers may end in `@<digits>` (`ndcg@10`). Strings are
 * double-quoted, with `\"` and `\\` escapes, for sensitive-column names that are not identifiers.
 *
 * @throws LOOM_ERR_GATE_PARSE_ERROR at the first character that starts no token.
 */
export function tokenizeGateLine(text: string, line: number, source: string): GateToken[] {
  const tokens: GateToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') break;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i))!;
      i += m[0].length;
      if (/[A-Za-z_]/.test(text[i] ?? '')) throw gateParseError(source, line, i + 1, `"${text.slice(start, i + 1)}" is not a number`);
      tokens.push({ kind: 'number', text: m[0], column: start + 1 });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(?:@[0-9]+)?/.exec(text.slice(i))!;
      i += m[0].length;
      tokens.push({ kind: 'ident', text: m[0], column: start + 1 });
      continue;
    }
    if (c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw gateParseError(source, line, start + 1, 'the string is not closed with "');
        const d = text[i];
        if (d === '"') break;
        if (d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      i++;
      tokens.push({ kind: 'string', text: value, column: start + 1 });
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (symbol === undefined) throw gateParseError(source, line, start + 1, `unexpected character "${c}"`);
    if (symbol === '>' || symbol === '<' || symbol === '>=' || symbol === '<=') {
      if (text[i + symbol.length] === '=') throw gateParseError(source, line, start + 1, `"${symbol}=" is not an operator; use >=, <=, > or <`);
    }
    i += symbol.length;
    tokens.push({ kind: 'symbol', text: symbol, column: start + 1 });
  }
  tokens.push({ kind: 'end', text: '', column: text.replace(/\s*(#.*)?$/, '').length + 1 });
  return tokens;
}

/** The coded error for a gate that does not parse, pointing at a line and column. @internal */
export function gateParseError(source: string, line: number, column: number, problem: string): LoomError {
  return new LoomError('GATE_PARSE_ERROR', { source, line, column, problem }, { details: { field: 'gate', source, line, column } });
}
