import { join } from 'node:path';
import { generateChurnWorld } from '../synthetic/generate-churn-world.js';
import { writeChurnWorld } from '../synthetic/write-world.js';
import type { DemoContext, DemoStep } from './demo-step.js';

/** Where the demo writes its world, inside the workspace home. */
export const DEMO_WORLD_DIR = join('demo', 'world');

/**
 * Step 1: generates the seeded synthetic churn world (default drift switch) and writes it to
 * `<home>/demo/world/`, replacing an earlier world there.
 */
export const generateWorldStep: DemoStep = Object.freeze({
  name: 'generate',
  title: 'generate the synthetic churn world',
  async run(ctx: DemoContext) {
    const world = generateChurnWorld({ seed: ctx.settings.seed, customers: ctx.settings.customers }, ctx.progress());
    const written = await writeChurnWorld(world, join(ctx.ws.config.home, DEMO_WORLD_DIR), ctx.progress());
    ctx.state.world = written;
    const m = written.manifest;
    const files = [m.files.customers, m.files.events, m.files.labels, m.files.groundTruth];
    ctx.report.world = {
      dir: written.dir,
      files: files.map((f) => ({ file: f.file, rows: f.rows, bytes: f.bytes, sha256: f.sha256 })),
      driftAt: m.config.drift.at,
      truth: {
        reference: { customers: m.truth.reference.customers, churnRate: m.truth.reference.churnRate, expectedAuc: m.truth.reference.expectedAuc },
        drifted: { customers: m.truth.drifted.customers, churnRate: m.truth.drifted.churnRate, expectedAuc: m.truth.drifted.expectedAuc },
      },
      labelsPendingAtEnd: m.labelsPendingAtEnd,
    };
  },
});
