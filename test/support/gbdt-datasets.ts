import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Frame } from '../../src/core/frame/frame.js';
import { openDuckDb, readFrame, sqlString } from '../../src/data/index.js';

/** The shared datasets folder (../shared/datasets from the repo root), overridable with LOOM_DATASETS. */
export const DATASETS_DIR = process.env.LOOM_DATASETS ?? resolve(import.meta.dirname, '../../../shared/datasets');

/** Adult's categorical columns, in file order. */
export const ADULT_CATEGORICAL = ['workclass', 'education', 'marital-status', 'occupation', 'relationship', 'race', 'sex', 'native-country'] as const;
const ADULT_COLUMNS = ['age', 'workclass', 'fnlwgt', 'education', 'education-num', 'marital-status', 'occupation', 'relationship', 'race', 'sex', 'capital-gain', 'capital-loss', 'hours-per-week', 'native-country'];

/**
 * Adult train and test prepared exactly as ../shared/notes/lightgbm-anchor.md prescribes: each categorical value's
 * code is its index in the code-point-sorted distinct training values (`?` is an ordinary category), numbers are
 * unchanged, and `income` is 1 for `>50K` (trailing `.` stripped), else 0. Features keep file order; the label is
 * the float column `income`.
 */
export async function loadAdult(): Promise<{ train: Frame; test: Frame }> {
  const session = await openDuckDb({ tempDirectory: join(tmpdir(), 'loom-duckdb'), threads: 1 });
  try {
    const c = session.connection;
    for (const part of ['train', 'test']) {
      const path = join(DATASETS_DIR, `adult-${part}.csv.gz`);
      await c.run(`CREATE TEMP TABLE adult_${part} AS SELECT * FROM read_csv(${sqlString(path)}, header = true, all_varchar = true)`);
    }
    for (const [i, col] of ADULT_CATEGORICAL.entries()) {
      await c.run(`CREATE TYPE cat_${i} AS ENUM (SELECT DISTINCT trim("${col}") FROM adult_train ORDER BY 1)`);
    }
    const select = (part: string): string => {
      const exprs = ADULT_COLUMNS.map((col) => {
        const i = (ADULT_CATEGORICAL as readonly string[]).indexOf(col);
        return i >= 0 ? `CAST(trim("${col}") AS cat_${i}) AS "${col}"` : `CAST(trim("${col}") AS DOUBLE) AS "${col}"`;
      });
      exprs.push(`CASE WHEN rtrim(trim(income), '.') = '>50K' THEN 1.0 ELSE 0.0 END AS income`);
      return `SELECT ${exprs.join(', ')} FROM adult_${part}`;
    };
    const train = await readFrame(c, select('train'));
    const test = await readFrame(c, select('test'));
    return { train, test };
  } finally {
    session.close();
  }
}

/**
 * California housing prepared as the anchor prescribes: the 8 raw features unchanged, label medianHouseValue / 100000,
 * and data row i (0-based) in the test part iff i % 5 == 0 (16,512 train, 4,128 test rows).
 */
export async function loadCalifornia(): Promise<{ train: Frame; test: Frame }> {
  const session = await openDuckDb({ tempDirectory: join(tmpdir(), 'loom-duckdb'), threads: 1 });
  try {
    const c = session.connection;
    const path = join(DATASETS_DIR, 'california-housing.csv.gz');
    await c.run(`CREATE TEMP TABLE cal AS SELECT *, row_number() OVER () - 1 AS i FROM read_csv(${sqlString(path)}, header = true, columns = {
      'longitude': 'DOUBLE', 'latitude': 'DOUBLE', 'housingMedianAge': 'DOUBLE', 'totalRooms': 'DOUBLE', 'totalBedrooms': 'DOUBLE',
      'population': 'DOUBLE', 'households': 'DOUBLE', 'medianIncome': 'DOUBLE', 'medianHouseValue': 'DOUBLE'})`);
    const cols = 'longitude, latitude, housingMedianAge, totalRooms, totalBedrooms, population, households, medianIncome, medianHouseValue / 100000 AS medianHouseValue';
    const train = await readFrame(c, `SELECT ${cols} FROM cal WHERE i % 5 <> 0 ORDER BY i`);
    const test = await readFrame(c, `SELECT ${cols} FROM cal WHERE i % 5 = 0 ORDER BY i`);
    return { train, test };
  } finally {
    session.close();
  }
}
