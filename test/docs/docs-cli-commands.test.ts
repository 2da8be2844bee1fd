import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.js';

// Every `loom …` command line in a ```sh block of README.md and docs/*.md names commands and options that exist.
// The lines are not run (most need data a fresh checkout does not have); they are parsed against the real program,
// so a renamed command or option cannot stay in the docs.

const repo = resolve(import.meta.dirname, '../..');
const files = ['README.md', ...readdirSync(join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The `loom …` lines of a markdown file's sh blocks, with their line numbers; `npx loom` and a `$ ` prompt are allowed. */
function commandLines(markdown: string): { line: number; words: string[] }[] {
  const out: { line: number; words: string[] }[] = [];
  let inSh = false;
  markdown.split('\n').forEach((text, i) => {
    if (/^```(sh|bash|shell|console)\s*$/.test(text)) inSh = true;
    else if (text.startsWith('```')) inSh = false;
    else if (inSh) {
      // A comment, a pipe, a redirect or a second command ends the loom part of the line.
      const command = text.replace(/^\s*\$\s+/, '').split(/\s(?:#|\||>|2>|&&|;|\\$)/)[0].trim();
      const words = command.split(/\s+/);
      if (words[0] === 'npx') words.shift();
      if (words[0] === 'loom') out.push({ line: i + 1, words: words.slice(1) });
    }
  });
  return out;
}

/** What is wrong with `loom <words>` for `program`, or null. */
function problemOf(program: Command, words: readonly string[]): string | null {
  let command = program;
  let k = 0;
  while (k < words.length && !words[k].startsWith('-')) {
    const sub = command.commands.find((c) => c.name() === words[k] || c.aliases().includes(words[k]));
    if (sub === undefined) break;
    command = sub;
    k++;
  }
  if (command === program) return `no command "${words[0] ?? ''}"`;
  // A command with subcommands takes a word that is none of them only as its own argument (`loom deploy <model>`).
  const takesArgument = command.registeredArguments.length > 0;
  if (command.commands.length > 0 && !takesArgument && k < words.length && !words[k].startsWith('-') && words[k] !== 'help') return `"${words.slice(0, k).join(' ')}" has no subcommand "${words[k]}"`;
  const known = new Set(['--help', '-h']);
  for (let c: Command | null = command; c !== null; c = c.parent) for (const o of c.options) for (const flag of [o.long, o.short]) if (flag) known.add(flag);
  for (const word of words.slice(k)) {
    const flag = word.split('=')[0];
    if (flag.startsWith('-') && !known.has(flag)) return `"${words.slice(0, k).join(' ')}" has no option ${flag}`;
  }
  return null;
}

test('every `loom` command line in README.md and docs/*.md names a real command and real options', () => {
  const program = buildProgram();
  const problems: string[] = [];
  let checked = 0;
  for (const file of files) {
    for (const { line, words } of commandLines(readFileSync(join(repo, file), 'utf8'))) {
      checked++;
      const problem = problemOf(program, words);
      if (problem !== null) problems.push(`${file}:${line}: loom ${words.join(' ')}: ${problem}`);
    }
  }
  assert.deepEqual(problems, []);
  // The docs show many commands; a parser that found none would pass vacuously.
  assert.ok(checked >= 30, `only ${checked} command lines found`);
});

test('the check rejects a command, a subcommand and an option that do not exist', () => {
  const program = buildProgram();
  assert.match(problemOf(program, ['validate', 'generate', 'adult'])!, /"validate" has no subcommand "generate"/);
  assert.match(problemOf(program, ['trian', '--data', 'x'])!, /no command "trian"/);
  assert.match(problemOf(program, ['train', '--dataset', 'x'])!, /"train" has no option --dataset/);
  assert.equal(problemOf(program, ['train', '--data', 'adult', '--target', 'income', '--json']), null);
  assert.equal(problemOf(program, ['deploy', 'churn', '--no-fallback', '--steps', '5,25']), null);
});
