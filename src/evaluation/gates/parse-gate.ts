import { suggestName } from '../../models/gbdt/params/suggest-name.js';
import { gateParseError, tokenizeGateLine, type GateToken } from './gate-lexer.js';
import {
  FAIRNESS_ALIASES,
  FAIRNESS_MEASURES,
  type FairnessMeasure,
  type Gate,
  type GateComparator,
  type GateConfidence,
  type GateExpr,
  type GateRule,
  type GateSide,
  type GateTarget,
} from './gate-rule.js';
import { higherIsBetter } from './metric-direction.js';

const COMPARATORS: readonly string[] = ['>=', '<=', '>', '<'];
const SIDES: readonly string[] = ['challenger', 'champion'];
const MEASURE_NAMES = [...FAIRNESS_MEASURES, ...Object.keys(FAIRNESS_ALIASES)];

/**
 * Parses a promotion gate. One rule per line; blank lines and `#` comments are ignored. Three rule forms:
 *
 * - a comparison `expr (>= | <= | > | <) expr [(<p>% CI[, strict])]`, where an expression is numbers and report
 *   references (`auc`, `champion.auc`, `fairness.dp_diff`, `fairness[sex].dp_ratio`, `cost`, `cost.default`)
 *   combined with `+ - * /`, parentheses and `|…|` (absolute value);
 * - `<ref> not worse | not higher | not lower [(<p>% CI[, strict])]`, short for comparing the challenger with the
 *   champion on that reference (`worse` follows the metric's direction);
 * - `no slice worse by [>|>=] <x> [on <metric>] [(<p>% CI[, strict])]`.
 *
 * A reference without a side reads the challenger. docs/registry.md ("Gate language") is the full reference.
 *
 * @param source names the gate in errors (a file path, or `gate` for inline text).
 * @throws LOOM_ERR_GATE_PARSE_ERROR with details.line and details.column (1-based) at the first problem, including a
 *   gate with no rules.
 * @example
 * const gate = parseGate('auc >= champion.auc - 0.005 (95% CI)\nno slice worse by > 0.02\n');
 * console.log(gate.rules.length); // 2
 */
export function parseGate(text: string, source = 'gate'): Gate {
  const rules: GateRule[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const tokens = tokenizeGateLine(raw, index + 1, source);
    if (tokens.length === 1) return;
    const written = raw.replace(/#.*$/, '').trim();
    rules.push(new LineParser(tokens, index + 1, source, written).rule());
  });
  if (rules.length === 0) throw gateParseError(source, 1, 1, 'the gate has no rules');
  return Object.freeze({ source, rules: Object.freeze(rules) });
}

class LineParser {
  #at = 0;

  constructor(
    readonly tokens: readonly GateToken[],
    readonly line: number,
    readonly source: string,
    readonly text: string,
  ) {}

  rule(): GateRule {
    const first = this.#peek();
    if (first.kind === 'ident' && first.text === 'no') return this.#sliceRule();
    const left = this.#expr();
    const next = this.#peek();
    if (next.kind === 'ident' && next.text === 'not') return this.#notWorse(left);
    if (next.kind !== 'symbol' || !COMPARATORS.includes(next.text)) {
      throw this.#error(next, 'a comparison (>=, <=, >, <) or "not worse"/"not higher"/"not lower"');
    }
    this.#at++;
    const right = this.#expr();
    const confidence = this.#confidence();
    this.#expectEnd();
    return Object.freeze({ kind: 'compare', line: this.line, text: this.text, left, op: next.text as GateComparator, right, confidence });
  }

  #sliceRule(): GateRule {
    this.#at++;
    this.#keyword('slice');
    this.#keyword('worse');
    this.#keyword('by');
    let inclusive = false;
    const op = this.#peek();
    if (op.kind === 'symbol' && (op.text === '>' || op.text === '>=')) {
      inclusive = op.text === '>=';
      this.#at++;
    }
    const by = this.#number();
    if (by < 0) throw this.#error(this.tokens[this.#at - 1], 'a tolerance ≥ 0');
    let metric: string | null = null;
    const on = this.#peek();
    if (on.kind === 'ident' && on.text === 'on') {
      this.#at++;
      const name = this.#take();
      if (name.kind !== 'ident') throw this.#error(name, 'a metric name after "on"');
      if (higherIsBetter(name.text) === null) throw gateParseError(this.source, this.line, name.column, `Loom does not know whether a higher "${name.text}" is better, so it cannot tell a worse slice`);
      metric = name.text;
    }
    const confidence = this.#confidence();
    this.#expectEnd();
    return Object.freeze({ kind: 'slice', line: this.line, text: this.text, by, inclusive, metric, confidence });
  }

  #notWorse(left: GateExpr): GateRule {
    const notToken = this.#take();
    if (left.kind !== 'ref' || left.side !== 'challenger') {
      throw gateParseError(this.source, this.line, notToken.column, '"not worse/higher/lower" follows a single challenger reference such as `auc` or `cost`');
    }
    const word = this.#take();
    if (word.kind !== 'ident' || !['worse', 'higher', 'lower'].includes(word.text)) throw this.#error(word, '"worse", "higher" or "lower" after "not"');
    let op: GateComparator;
    if (word.text === 'worse') {
      const name = left.target.kind === 'metric' ? left.target.metric : left.target.kind === 'cost' ? 'cost' : null;
      const higher = name === null ? null : higherIsBetter(name);
      if (higher === null) {
        throw gateParseError(this.source, this.line, word.column, `Loom does not know which way "${left.text}" is better; write "not higher" or "not lower"`);
      }
      op = higher ? '>=' : '<=';
    } else {
      op = word.text === 'higher' ? '<=' : '>=';
    }
    const right: GateExpr = { kind: 'ref', side: 'champion', target: left.target, text: `champion.${left.text.replace(/^challenger\./, '')}` };
    const confidence = this.#confidence();
    this.#expectEnd();
    return Object.freeze({ kind: 'compare', line: this.line, text: this.text, left, op, right, confidence });
  }

  #expr(): GateExpr {
    let left = this.#term();
    for (let t = this.#peek(); t.kind === 'symbol' && (t.text === '+' || t.text === '-'); t = this.#peek()) {
      this.#at++;
      left = { kind: 'binary', op: t.text, left, right: this.#term() };
    }
    return left;
  }

  #term(): GateExpr {
    let left = this.#unary();
    for (let t = this.#peek(); t.kind === 'symbol' && (t.text === '*' || t.text === '/'); t = this.#peek()) {
      this.#at++;
      left = { kind: 'binary', op: t.text, left, right: this.#unary() };
    }
    return left;
  }

  #unary(): GateExpr {
    const t = this.#peek();
    if (t.kind === 'symbol' && t.text === '-') {
      this.#at++;
      return { kind: 'neg', operand: this.#unary() };
    }
    return this.#primary();
  }

  #primary(): GateExpr {
    const t = this.#take();
    if (t.kind === 'number') return { kind: 'number', value: Number(t.text) };
    if (t.kind === 'symbol' && (t.text === '(' || t.text === '|')) {
      const inner = this.#expr();
      const close = this.#take();
      const wanted = t.text === '(' ? ')' : '|';
      if (close.kind !== 'symbol' || close.text !== wanted) throw this.#error(close, `"${wanted}" closing the "${t.text}" at column ${t.column}`);
      return t.text === '(' ? inner : { kind: 'abs', operand: inner };
    }
    if (t.kind === 'ident') return this.#ref(t);
    throw this.#error(t, 'a number, a metric such as auc, champion.auc, fairness.dp_diff or cost, "(" or "|"');
  }

  #ref(first: GateToken): GateExpr {
    let side: GateSide = 'challenger';
    let head = first;
    const dot = this.#peek();
    if (SIDES.includes(first.text)) {
      side = first.text as GateSide;
      this.#symbol('.', `"." and a metric after "${first.text}"`);
      head = this.#take();
      if (head.kind !== 'ident') throw this.#error(head, `a metric name after "${first.text}."`);
    } else if (dot.kind === 'symbol' && dot.text === '.' && first.text !== 'fairness' && first.text !== 'cost') {
      const near = suggestName(first.text, SIDES);
      throw gateParseError(this.source, this.line, first.column, `"${first.text}" is not a report; write challenger.<metric> or champion.<metric>${near === null ? '' : ` (did you mean "${near}"?)`}`);
    }
    const start = first.column - 1;
    const target = this.#target(head);
    const end = this.tokens[this.#at - 1];
    const raw = this.#slice(start, end);
    return { kind: 'ref', side, target, text: raw };
  }

  #target(head: GateToken): GateTarget {
    if (head.text === 'fairness') {
      let sensitive: string | null = null;
      const open = this.#peek();
      if (open.kind === 'symbol' && open.text === '[') {
        this.#at++;
        const name = this.#take();
        if (name.kind !== 'ident' && name.kind !== 'string') throw this.#error(name, 'a sensitive column name (quote it if it is not a plain name)');
        sensitive = name.text;
        this.#symbol(']', '"]"');
      }
      this.#symbol('.', `"." and a fairness measure (${MEASURE_NAMES.join(', ')})`);
      const m = this.#take();
      if (m.kind !== 'ident') throw this.#error(m, 'a fairness measure');
      const measure = (FAIRNESS_ALIASES[m.text] ?? (FAIRNESS_MEASURES as readonly string[]).find((x) => x === m.text)) as FairnessMeasure | undefined;
      if (measure === undefined) {
        const near = suggestName(m.text, MEASURE_NAMES);
        throw gateParseError(this.source, this.line, m.column, `"${m.text}" is not a fairness measure${near === null ? '' : ` (did you mean "${near}"?)`}; known: ${MEASURE_NAMES.join(', ')}`);
      }
      return { kind: 'fairness', sensitive, measure };
    }
    if (head.text === 'cost') {
      const dot = this.#peek();
      if (dot.kind !== 'symbol' || dot.text !== '.') return { kind: 'cost', at: 'chosen' };
      this.#at++;
      const at = this.#take();
      if (at.kind !== 'ident' || (at.text !== 'chosen' && at.text !== 'default')) throw this.#error(at, '"chosen" or "default" after "cost."');
      return { kind: 'cost', at: at.text };
    }
    if (!/^[a-z][a-z0-9_]*(@[0-9]+)?$/.test(head.text)) throw gateParseError(this.source, this.line, head.column, `"${head.text}" is not a metric name (lower-case snake case, e.g. auc, log_loss, ndcg@10)`);
    const after = this.#peek();
    if (after.kind === 'symbol' && after.text === '.') throw gateParseError(this.source, this.line, after.column, `a metric ("${head.text}") has no fields; write ${head.text} or champion.${head.text}`);
    return { kind: 'metric', metric: head.text };
  }

  #confidence(): GateConfidence | null {
    const open = this.#peek();
    if (open.kind !== 'symbol' || open.text !== '(') return null;
    this.#at++;
    const levelToken = this.#peek();
    const percent = this.#number();
    if (!(percent > 0 && percent < 100)) throw gateParseError(this.source, this.line, levelToken.column, 'the confidence level is a percentage between 0 and 100, e.g. 95');
    this.#symbol('%', '"%" after the confidence level');
    const ci = this.#take();
    if (ci.kind !== 'ident' || ci.text.toUpperCase() !== 'CI') throw this.#error(ci, '"CI"');
    let mode: GateConfidence['mode'] = 'lenient';
    const comma = this.#peek();
    if (comma.kind === 'symbol' && comma.text === ',') {
      this.#at++;
      const word = this.#take();
      if (word.kind !== 'ident' || word.text !== 'strict') throw this.#error(word, '"strict"');
      mode = 'strict';
    }
    this.#symbol(')', '")" closing the confidence clause');
    return { level: percent / 100, mode };
  }

  #number(): number {
    const t = this.#take();
    let sign = 1;
    let token = t;
    if (t.kind === 'symbol' && t.text === '-') {
      sign = -1;
      token = this.#take();
    }
    if (token.kind !== 'number') throw this.#error(token, 'a number');
    return sign * Number(token.text);
  }

  #keyword(word: string): void {
    const t = this.#take();
    if (t.kind !== 'ident' || t.text !== word) throw this.#error(t, `"${word}"`);
  }

  #symbol(symbol: string, expected: string): void {
    const t = this.#take();
    if (t.kind !== 'symbol' || t.text !== symbol) throw this.#error(t, expected);
  }

  #expectEnd(): void {
    const t = this.#peek();
    if (t.kind !== 'end') throw this.#error(t, 'the end of the rule (one rule per line; a confidence clause looks like "(95% CI)")');
  }

  #peek(): GateToken {
    return this.tokens[this.#at];
  }

  #take(): GateToken {
    const t = this.tokens[this.#at];
    if (t.kind !== 'end') this.#at++;
    return t;
  }

  #slice(startIndex: number, last: GateToken): string {
    const lineText = this.#lineText();
    const stop = last.column - 1 + (last.kind === 'string' ? JSON.stringify(last.text).length : last.text.length);
    return lineText.slice(startIndex, stop).replace(/\s+/g, '');
  }

  #lineText(): string {
    // Columns refer to the raw line; rebuild it from the written text's offset.
    const offset = this.tokens[0].column - 1;
    return ' '.repeat(offset) + this.text;
  }

  #error(found: GateToken, expected: string): Error {
    const what = found.kind === 'end' ? 'the end of the line' : `"${found.text}"`;
    return gateParseError(this.source, this.line, found.column, `expected ${expected}, found ${what}`);
  }
}
