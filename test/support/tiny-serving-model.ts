import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestDataset } from '../../src/data/ingest/ingest-dataset.js';
import type { Workspace } from '../../src/storage/workspace.js';
import { trainModel } from '../../src/training/index.js';

/**
 * Ingests a small deterministic dataset `rows` (x numeric, c category, y ∈ {hi, lo}, 300 rows) into `ws` and trains
 * a 5-tree GBDT on it under `home/m`: the model the serving tests predict with. Returns the model directory.
 */
export async function trainTinyServingModel(ws: Workspace, home: string): Promise<string> {
  const lines = ['x,c,y'];
  for (let i = 0; i < 300; i++) lines.push(`${i % 50},${['a', 'b'][i % 2]},${(i % 50) + (i % 2) * 10 > 25 ? 'hi' : 'lo'}`);
  writeFileSync(join(home, 'rows.csv'), `${lines.join('\n')}\n`);
  await ingestDataset(ws, { path: join(home, 'rows.csv'), name: 'rows', tags: 'y=target' });
  return (await trainModel(ws, { data: 'rows', target: 'y', params: { num_iterations: 5, num_leaves: 4, min_data_in_leaf: 5 }, out: join(home, 'm') })).modelDir;
}
