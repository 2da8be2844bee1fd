// Benchmark: how long `loom` takes to start and answer, against the floor every `loom` run pays: Node with the
// TypeScript loader (tsx) and nothing else (`node --import tsx/esm -e 0`). Each command is a fresh process, as a user's
// is; the runs of all commands are interleaved so load on the machine falls on each alike.
//
// Run: node --import tsx/esm bench/cli/startup-bench.ts [--runs=9]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 9);
const root = resolve(import.meta.dirname, '../..');
const home = mkdtempSync(join(tmpdir(), 'loom-bench-startup-'));
const loom = join(root, 'bin/loom.js');

const cases: { name: string; argv: string[] }[] = [
  { name: 'floor: node --import tsx/esm -e 0', argv: ['--import', 'tsx/esm', '-e', '0'] },
  { name: 'loom --help', argv: [loom, '--help'] },
  { name: 'loom train --help', argv: [loom, 'train', '--help'] },
  { name: 'loom runs list --json', argv: [loom, 'runs', 'list', '--json'] },
  { name: 'loom data list --json', argv: [loom, 'data', 'list', '--json'] },
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = cases.map(() => [] as number[]);
try {
  for (let r = 0; r < runs; r++) {
    cases.forEach((c, i) => {
      const start = performance.now();
      const run = spawnSync(process.execPath, c.argv, { cwd: root, env: { ...process.env, LOOM_HOME: home, LOOM_NO_PROGRESS: '1' }, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`${c.name} exited ${run.status}: ${run.stderr}`);
      times[i].push((performance.now() - start) / 1000);
    });
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
const floor = median(times[0]);
console.log(`CLI start-up, ${runs} interleaved runs each (median, min–max), empty workspace`);
cases.forEach((c, i) => {
  const m = median(times[i]);
  console.log(`${c.name.padEnd(32)} ${m.toFixed(2)} s (${Math.min(...times[i]).toFixed(2)}–${Math.max(...times[i]).toFixed(2)})${i === 0 ? '' : `  ${(m / floor).toFixed(2)}× the floor, +${(m - floor).toFixed(2)} s`}`);
});
