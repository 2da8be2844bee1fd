import { LoomError } from '../../core/errors/index.js';
import { DATASET_FIELDS, RUN_ATTRIBUTES, type CompareOp, type FieldRef, type FieldScope, type Literal, type RunQuery } from './run-query.js';

type Token =
  | { readonly t: 'word'; readonly text: string; readonly pos: number }
  | { readonly t: 'quoted'; readonly text: string; readonly pos: number }
  | { readonly t: 'backtick'; readonly text: string; readonly pos: number }
  | { readonly t: 'number'; readonly value: number; readonly pos: number }
  | { readonly t: 'op'; readonly op: CompareOp; readonly pos: number }
  | { readonly t: '(' | ')' | ',' | 'end'; readonly pos: number };

const SCOPES: ReadonlyMap<string, FieldScope> = new Map([
  ['metric', 'metrics'],
  ['metrics', 'metrics'],
  ['param', 'params'],
  ['params', 'params'],
  ['tag', 'tags'],
  ['tags', 'tags'],
  ['attribute', 'attributes'],
  ['attributes', 'attributes'],
  ['attr', 'attributes'],
  ['run', 'attributes'],
  ['dataset', 'datasets'],
  ['datasets', 'datasets'],
]);

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'like', 'ilike', 'is', 'null']);

/**
 * Parses a run filter such as `metrics.auc > 0.9 and params.num_leaves = 31`.
 *
 * Grammar (keywords are case-insensitive):
 * ```text
 * query   := or
 * or      := and ("or" and)*
 * and     := unary ("and" unary)*
 * unary   := "not" unary | "(" or ")" | test
 * test    := field op literal | field ["not"] "in" "(" literal ("," literal)* ")"
 *          | field ["not"] ("like" | "ilike") string | field "is" ["not"] "null"
 * field   := scope "." key | attribute          scope: metrics params tags attributes datasets
 * key     := name chars (letters, digits, _ - . / : @) | `backticked key`
 * literal := number | 'text' | "text"
 * op      := = == != <> < <= > >=
 * ```
 * An empty query (only spaces) matches every run and parses to an empty `and`.
 *
 * @throws LOOM_ERR_TRACKING_QUERY_INVALID with the 1-based position and a caret under it.
 */
export function parseRunQuery(text: string): RunQuery {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): Token => tokens[i];
  const next = (): Token => tokens[i++];
  const isWord = (tok: Token, word: string): boolean => tok.t === 'word' && tok.text.toLowerCase() === word;
  const fail = (pos: number, problem: string): never => {
    throw queryError(text, pos, problem);
  };

  const parseOr = (): RunQuery => {
    const items = [parseAnd()];
    while (isWord(peek(), 'or')) {
      next();
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  };
  const parseAnd = (): RunQuery => {
    const items = [parseUnary()];
    while (isWord(peek(), 'and')) {
      next();
      items.push(parseUnary());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  };
  const parseUnary = (): RunQuery => {
    const tok = peek();
    if (isWord(tok, 'not')) {
      next();
      return { kind: 'not', item: parseUnary() };
    }
    if (tok.t === '(') {
      next();
      const inner = parseOr();
      const close = next();
      if (close.t !== ')') fail(close.pos, `expected ")" to close the "(" at position ${tok.pos + 1}, found ${describe(close)}`);
      return inner;
    }
    return parseTest();
  };
  const parseTest = (): RunQuery => {
    const field = parseField();
    const tok = next();
    if (tok.t === 'op') return { kind: 'compare', field, op: tok.op, value: parseLiteral() };
    let negated = false;
    let word: Token = tok;
    if (isWord(word, 'not')) {
      negated = true;
      word = next();
    }
    if (isWord(word, 'in')) {
      const open = next();
      if (open.t !== '(') fail(open.pos, `expected "(" after "in", found ${describe(open)}`);
      const values = [parseLiteral()];
      while (peek().t === ',') {
        next();
        values.push(parseLiteral());
      }
      const close = next();
      if (close.t !== ')') fail(close.pos, `expected "," or ")" in the "in" list, found ${describe(close)}`);
      return { kind: 'in', field, values, negated };
    }
    if (isWord(word, 'like') || isWord(word, 'ilike')) {
      const pattern = parseLiteral();
      if (pattern.kind !== 'string') fail(pattern.position, 'a like pattern is quoted text, e.g. \'adult%\'');
      return { kind: 'like', field, pattern, caseInsensitive: isWord(word, 'ilike'), negated };
    }
    if (!negated && isWord(word, 'is')) {
      let isNot = false;
      if (isWord(peek(), 'not')) {
        next();
        isNot = true;
      }
      const nul = next();
      if (!isWord(nul, 'null')) fail(nul.pos, `expected "null" after "is${isNot ? ' not' : ''}", found ${describe(nul)}`);
      return { kind: 'null', field, negated: isNot };
    }
    return fail(word.pos, `expected a comparison (=, !=, <, <=, >, >=), "in", "like", "ilike" or "is null" after the field, found ${describe(word)}`);
  };
  const parseField = (): FieldRef => {
    const tok = next();
    if (tok.t !== 'word' || KEYWORDS.has(tok.text.toLowerCase())) return fail(tok.pos, `expected a field such as metrics.auc, params.num_leaves, tags.team or status, found ${describe(tok)}`);
    const dot = tok.text.indexOf('.');
    if (dot < 0) {
      const attr = tok.text.toLowerCase() === 'run_id' ? 'id' : tok.text.toLowerCase();
      if (!RUN_ATTRIBUTES.has(attr)) return fail(tok.pos, `unknown field "${tok.text}"; write metrics.<key>, params.<key>, tags.<key>, datasets.<name|version|role> or one of ${[...RUN_ATTRIBUTES.keys()].join(', ')}`);
      return { scope: 'attributes', key: attr, position: tok.pos };
    }
    const scope = SCOPES.get(tok.text.slice(0, dot).toLowerCase());
    if (scope === undefined) return fail(tok.pos, `unknown field scope "${tok.text.slice(0, dot)}"; use metrics, params, tags, attributes or datasets`);
    let key = tok.text.slice(dot + 1);
    if (key === '') {
      const quoted = peek();
      if (quoted.t !== 'backtick' || quoted.pos !== tok.pos + tok.text.length) return fail(tok.pos + tok.text.length, 'expected a key after the "."');
      next();
      key = quoted.text;
    }
    if (scope === 'attributes') {
      const attr = key.toLowerCase() === 'run_id' ? 'id' : key.toLowerCase();
      if (!RUN_ATTRIBUTES.has(attr)) return fail(tok.pos, `unknown run attribute "${key}"; use one of ${[...RUN_ATTRIBUTES.keys()].join(', ')}`);
      key = attr;
    }
    if (scope === 'datasets' && !DATASET_FIELDS.includes(key.toLowerCase())) return fail(tok.pos, `unknown dataset field "${key}"; use datasets.name, datasets.version or datasets.role`);
    return { scope, key: scope === 'datasets' ? key.toLowerCase() : key, position: tok.pos };
  };
  const parseLiteral = (): Literal => {
    const tok = next();
    if (tok.t === 'number') return { kind: 'number', value: tok.value, position: tok.pos };
    if (tok.t === 'quoted') return { kind: 'string', value: tok.text, position: tok.pos };
    if (tok.t === 'word' && !KEYWORDS.has(tok.text.toLowerCase())) return fail(tok.pos, `text values are quoted: write '${tok.text}'`);
    return fail(tok.pos, `expected a number or quoted text, found ${describe(tok)}`);
  };

  if (peek().t === 'end') return { kind: 'and', items: [] };
  const query = parseOr();
  const rest = peek();
  if (rest.t !== 'end') fail(rest.pos, `expected "and", "or" or the end of the query, found ${describe(rest)}`);
  return query;
}

/** The coded error for a query problem at 0-based offset `pos`. @internal */
export function queryError(text: string, pos: number, problem: string): LoomError {
  const oneLine = text.replace(/[\r\n\t]/g, ' ');
  return new LoomError(
    'TRACKING_QUERY_INVALID',
    { position: pos + 1, problem, query: oneLine, pointer: `${' '.repeat(Math.min(pos, oneLine.length))}^` },
    { details: { field: 'filter', position: pos + 1 } },
  );
}

function describe(tok: Token): string {
  switch (tok.t) {
    case 'end':
      return 'the end of the query';
    case 'word':
      return `"${tok.text}"`;
    case 'quoted':
      return `'${tok.text}'`;
    case 'backtick':
      return `\`${tok.text}\``;
    case 'number':
      return String(tok.value);
    case 'op':
      return `"${tok.op}"`;
    default:
      return `"${tok.t}"`;
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: c, pos: i++ });
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      // A quote is escaped by doubling it, as in SQL: 'it''s'.
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw queryError(text, start, `unterminated ${c === '`' ? 'backticked key' : 'text'} starting here; close it with ${c}`);
        if (text[i] === c) {
          if (text[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push(c === '`' ? { t: 'backtick', text: value, pos: start } : { t: 'quoted', text: value, pos: start });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=' || two === '==') {
      tokens.push({ t: 'op', op: two === '<>' ? '!=' : two === '==' ? '=' : (two as CompareOp), pos: i });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      tokens.push({ t: 'op', op: c, pos: i++ });
      continue;
    }
    const number = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number && (c !== '+' && c !== '-' ? true : number[0].length > 1)) {
      const after = text[i + number[0].length];
      if (after === undefined || !/[A-Za-z_]/.test(after)) {
        tokens.push({ t: 'number', value: Number(number[0]), pos: i });
        i += number[0].length;
        continue;
      }
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_\-./:@]/.test(text[i])) i++;
      tokens.push({ t: 'word', text: text.slice(start, i), pos: start });
      continue;
    }
    throw queryError(text, i, `unexpected character "${c}"`);
  }
  tokens.push({ t: 'end', pos: text.length });
  return tokens;
}
