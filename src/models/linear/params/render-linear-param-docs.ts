import { describeCheck, type ParamSpec } from '../../gbdt/params/param-spec.js';
import { MEAN_REGRESSOR_PARAMS, PRIOR_CLASSIFIER_PARAMS } from '../../baseline/baseline-params.js';
import { LINEAR_PARAMS } from './linear-param-table.js';

/** Marker opening the generated tables in docs/linear-models.md. */
export const PARAM_DOCS_BEGIN = '<!-- BEGIN GENERATED PARAMS: from src/models/linear/params/linear-param-table.ts and src/models/baseline/baseline-params.ts; do not edit by hand, a test checks it -->';
/** Marker closing the generated tables. */
export const PARAM_DOCS_END = '<!-- END GENERATED PARAMS -->';

/**
 * Renders the parameter tables of the linear models and baselines (name, aliases, type, default, check, description)
 * from their single definitions, between PARAM_DOCS_BEGIN and PARAM_DOCS_END. A test checks that
 * docs/linear-models.md contains exactly this text.
 */
export function renderLinearParamDocs(): string {
  return [
    PARAM_DOCS_BEGIN,
    '#### Linear models (`fitLinearModel`, `fitLinearRegression`, `fitLogisticRegression`, `fitSoftmaxRegression`)',
    '',
    ...table(LINEAR_PARAMS),
    '',
    '#### Prior classifier (`fitPriorClassifier`)',
    '',
    ...table(PRIOR_CLASSIFIER_PARAMS),
    '',
    '#### Mean regressor (`fitMeanRegressor`)',
    '',
    ...table(MEAN_REGRESSOR_PARAMS),
    PARAM_DOCS_END,
  ].join('\n');
}

function table(specs: readonly ParamSpec[]): string[] {
  const rows = ['| parameter | aliases | type | default | check | description |', '| --- | --- | --- | --- | --- | --- |'];
  for (const spec of specs) {
    const aliases = spec.aliases.map((a) => `\`${a}\``).join(', ');
    const type = spec.kind === 'enum' ? `one of ${spec.options!.map((o) => `\`${o}\``).join(', ')}` : spec.kind;
    rows.push(`| \`${spec.name}\` | ${aliases} | ${type} | \`${String(spec.default)}\` | ${describeCheck(spec.check)} | ${spec.description.replace(/\|/g, '\\|')} |`);
  }
  return rows;
}
