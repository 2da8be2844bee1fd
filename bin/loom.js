#!/usr/bin/env node
// Loom's CLI entry: registers the TypeScript loader (tsx, resolved from this package), then runs src/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
await runCli(process.argv);
