import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MEAN_REGRESSOR_PARAMS, PRIOR_CLASSIFIER_PARAMS } from '../../baseline/baseline-params.js';
import { passesCheck, type ParamSpec } from '../../gbdt/params/param-spec.js';
import { LINEAR_PARAMS } from './linear-param-table.js';
import { renderLinearParamDocs } from './render-linear-param-docs.js';
import { resolveLinearParams } from './resolve-linear-params.js';

test('every parameter is defined once: unique names and aliases, defaults that pass their own checks', () => {
  for (const table of [LINEAR_PARAMS, PRIOR_CLASSIFIER_PARAMS, MEAN_REGRESSOR_PARAMS] as readonly (readonly ParamSpec[])[]) {
    const names = table.flatMap((s) => [s.name, ...s.aliases]);
    assert.equal(new Set(names).size, names.length);
    for (const spec of table) {
      if (typeof spec.default === 'number') assert.ok(passesCheck(spec.default, spec.check), spec.name);
      if (spec.kind === 'enum') assert.ok(spec.options!.includes(spec.default as string), spec.name);
      assert.ok(spec.description.length > 20, spec.name);
    }
  }
  assert.deepEqual(resolveLinearParams(), Object.fromEntries(LINEAR_PARAMS.map((s) => [s.name, s.default])));
});

test('docs/linear-models.md carries the parameter tables generated from the definitions', () => {
  const docs = readFileSync(new URL('../../../../docs/linear-models.md', import.meta.url), 'utf8');
  assert.ok(docs.includes(renderLinearParamDocs()), 'regenerate the tables between the GENERATED PARAMS markers from renderLinearParamDocs()');
});
