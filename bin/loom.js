#!/usr/bin/env node
// Loom's CLI entry: registers the TypeScript loader, then runs src/cli/main.ts.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('tsx/esm', pathToFileURL('./'));
const { runCli } = await import('../src/cli/main.ts');
await runCli(process.argv);
