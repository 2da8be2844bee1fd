import { writeFileSync } from 'node:fs';
import { renderGbdtParamDocs } from '../src/models/gbdt/params/render-param-docs.js';

writeFileSync(new URL('../docs/gbdt-params.md', import.meta.url), renderGbdtParamDocs());
console.log('wrote docs/gbdt-params.md');
