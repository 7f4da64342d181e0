// Runs examples/<name> as a script in this same runtime (Node or Deno) and returns its stdout,
// failing the test on a non-zero exit; `row` reads a named row of the table an example prints.
import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const g = globalThis as any;

export function runExample(name: string, args: string[]): string {
  const file = fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
  const cmd = typeof g.Deno !== 'undefined' ? ['run', '-A', file, ...args] : [file, ...args];
  const r = spawnSync(g.process.execPath, cmd, { encoding: 'utf8' });
  expect(r.status, `${name} exited ${r.status}:\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/** The numbers after `name` on its row (a trailing % dropped). */
export function row(out: string, name: string): number[] {
  const m = out.match(new RegExp(`^${name}\\s+(.+)$`, 'm'));
  expect(m, `no row '${name}' in:\n${out}`).not.toBeNull();
  return m![1].trim().split(/\s+/).map((v) => Number(v.replace('%', '')));
}
