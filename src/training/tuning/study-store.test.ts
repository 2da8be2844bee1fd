import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMetadataStore } from '../../storage/metadata/index.js';
import { StudyStore } from './study-store.js';

test('addIntermediate stores a long curve in chunks (20,000 steps are 80,000 parameters, over SQLite’s limit in one statement)', async () => {
  const store = await openMetadataStore('sqlite://:memory:');
  try {
    const study = new StudyStore(store.db, 'long');
    await study.open('{}', '{}', 'f', 'maximize', 0);
    await study.startTrial(0, {}, 'run-0', 0);
    const values = Array.from({ length: 20_000 }, (_, i) => [i, i / 20_000] as const);
    await study.addIntermediate(0, values);
    // A step reported again overwrites (CV re-reports), across chunk boundaries too.
    await study.addIntermediate(0, [[999, 5], [1000, 6]]);
    const rows = await store.db.selectFrom('tuning_intermediate_values').select(['step', 'value']).where('study', '=', 'long').orderBy('step').execute();
    assert.equal(rows.length, 20_000);
    assert.deepEqual(rows.slice(998, 1002), [{ step: 998, value: 998 / 20_000 }, { step: 999, value: 5 }, { step: 1000, value: 6 }, { step: 1001, value: 1001 / 20_000 }]);
    assert.deepEqual(rows[19_999], { step: 19_999, value: 19_999 / 20_000 });
  } finally {
    await store.close();
  }
});
