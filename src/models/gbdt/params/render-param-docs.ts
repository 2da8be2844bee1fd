import { GBDT_PARAMS } from './gbdt-param-table.js';
import { describeCheck, type ParamGroup, type ParamSpec } from './param-spec.js';

const GROUP_TITLES: Readonly<Record<ParamGroup, string>> = {
  core: 'Core',
  learning: 'Learning control',
  categorical: 'Categorical features',
  sampling: 'Sampling',
  dataset: 'Dataset and binning',
  objective: 'Objective',
  metric: 'Metrics',
};

/**
 * Renders docs/gbdt-params.md from GBDT_PARAMS: one table per group, one row per parameter with its aliases, type,
 * default, check and description. `scripts/gen-gbdt-param-docs.ts` writes it, and a test checks the committed file.
 */
export function renderGbdtParamDocs(): string {
  const lines = [
    '<!-- Generated from src/models/gbdt/params/gbdt-param-table.ts by `node --import tsx/esm scripts/gen-gbdt-param-docs.ts`. Do not edit by hand; a test checks it. -->',
    '# GBDT parameters',
    '',
    'Loom\'s gradient-boosting learner takes LightGBM\'s parameter names, aliases and defaults. Pass them to',
    '`trainGbdt(data, params)` as an object, or on the CLI as `--param key=value`. An unknown name or a value that fails its',
    'check is rejected with `LOOM_ERR_GBDT_PARAM_UNKNOWN` or `LOOM_ERR_GBDT_PARAM_INVALID` (HTTP 400) naming the parameter.',
    '',
  ];
  const specs: readonly ParamSpec[] = GBDT_PARAMS;
  for (const group of Object.keys(GROUP_TITLES) as ParamGroup[]) {
    lines.push(`## ${GROUP_TITLES[group]}`, '', '| parameter | aliases | type | default | check | description |', '| --- | --- | --- | --- | --- | --- |');
    for (const spec of specs.filter((s) => s.group === group)) {
      const aliases = spec.aliases.map((a) => `\`${a}\``).join(', ');
      lines.push(`| \`${spec.name}\` | ${aliases} | ${typeText(spec)} | ${defaultText(spec)} | ${escape(describeCheck(spec.check))} | ${escape(spec.description)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function typeText(spec: ParamSpec): string {
  const base = spec.kind === 'enum' || (spec.kind === 'string-list' && spec.options !== undefined)
    ? `${spec.kind === 'enum' ? 'one of' : 'list of'} ${spec.options!.map((o) => `\`${o}\``).join(', ')}`
    : spec.kind;
  return spec.nullable === true ? `${base} or None` : base;
}

function defaultText(spec: ParamSpec): string {
  const value = spec.default;
  if (value === null) return 'None';
  if (value === '') return '(empty)';
  if (Array.isArray(value)) return value.length === 0 ? '(empty)' : `\`${value.join(',')}\``;
  return `\`${String(value)}\``;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}
