// fit()'s console output, seen from outside: a child process (this same runtime) trains a small
// model with the built bundle, and its stdout is checked. On a pipe, verbose 1 and 2 print one line
// per epoch; on a terminal (`script` gives the child a pty), verbose 1 redraws a Keras-style bar.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const g = globalThis as any;
const isDeno = typeof g.Deno !== 'undefined';
const bundleUrl = new URL('../../build/simdnn.mjs', import.meta.url).href;
const EPOCHS = 3, STEPS = 5, WIDTH = 30;

// 25 samples, the last 5 for validation: 20 training samples in batches of 4 make STEPS = 5.
const script = `
import * as nn from ${JSON.stringify(bundleUrl)};
await nn.ready();
nn.setSeed(1);
const m = nn.sequential({ layers: [
  nn.layers.dense({ units: 3, activation: 'relu', inputShape: [2] }),
  nn.layers.dense({ units: 1, activation: 'sigmoid' }),
] });
m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const x = nn.tensor(Array.from({ length: 50 }, (_, i) => (i % 7) / 7), [25, 2]);
const y = nn.tensor(Array.from({ length: 25 }, (_, i) => i % 2), [25, 1]);
const h = await m.fit(x, y, { epochs: ${EPOCHS}, batchSize: 4, validationSplit: 0.2, verbose: Number(VERBOSE) });
console.log('RESULT ' + JSON.stringify(h.history));
`;

const dir = mkdtempSync(join(tmpdir(), 'simdnn-progress-'));
function scriptFile(verbose: number): string {
  const file = join(dir, `fit-verbose${verbose}.mjs`);
  writeFileSync(file, script.replace('VERBOSE', String(verbose)));
  return file;
}
const command = (file: string) => (isDeno ? [g.process.execPath, 'run', '-A', file] : [g.process.execPath, file]);

type History = Record<string, number[]>;
function parse(stdout: string): { printed: string; history: History } {
  const at = stdout.lastIndexOf('RESULT ');
  expect(at, `no RESULT line in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  return { printed: stdout.slice(0, at), history: JSON.parse(stdout.slice(at + 7)) };
}

function runPiped(verbose: number) {
  const [cmd, ...args] = command(scriptFile(verbose));
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return parse(r.stdout);
}

// util-linux `script` runs the child on a pseudo-terminal, so process.stdout.isTTY is true there.
const hasScript = spawnSync('script', ['-V'], { encoding: 'utf8' }).status === 0;
function runOnTerminal(verbose: number) {
  const cmd = command(scriptFile(verbose)).map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return parse(r.stdout.replace(/\r\n/g, '\n')); // the pty turns \n into \r\n
}

const num = String.raw`\d+\.\d{4}`;
const logs = String.raw`loss: (${num}) - accuracy: (${num})`;
const epochLine = new RegExp(String.raw`^Epoch (\d+)/${EPOCHS} - \d+(?:\.\d)?s \d+ms/step - ${logs} - val_loss: (${num}) - val_accuracy: (${num})$`);

/** The printed logs are the history's values, rounded as printed. */
function expectLogs(m: RegExpMatchArray, from: number, h: History, epoch: number, withVal: boolean): void {
  const keys = withVal ? ['loss', 'accuracy', 'val_loss', 'val_accuracy'] : ['loss', 'accuracy'];
  keys.forEach((key, i) => expect(m[from + i], `${key} of epoch ${epoch + 1}`).toBe(h[key][epoch].toFixed(4)));
}

function expectEpochLines(printed: string, h: History): void {
  expect(printed).not.toMatch(/[\r\x1b]/); // no redraws off a terminal
  const lines = printed.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(EPOCHS);
  lines.forEach((line, e) => {
    const m = line.match(epochLine);
    expect(m, line).not.toBeNull();
    expect(Number(m![1])).toBe(e + 1);
    expectLogs(m!, 2, h, e, true);
  });
}

describe('fit progress output', () => {
  it('verbose 1 on a pipe: one `Epoch i/N - … loss: …` line per epoch', () => {
    const { printed, history } = runPiped(1);
    expect(history.loss).toHaveLength(EPOCHS);
    expectEpochLines(printed, history);
  });

  it('verbose 0 prints nothing', () => {
    expect(runPiped(0).printed).toBe('');
  });

  it.skipIf(!hasScript)('verbose 1 on a terminal: per epoch a header, then a bar redrawn in place', () => {
    const { printed, history } = runOnTerminal(1);
    const lines = printed.split('\n');
    expect(lines.pop()).toBe(''); // ends with a newline
    expect(lines).toHaveLength(2 * EPOCHS);
    const frame = new RegExp(String.raw`^(\d+)/${STEPS} \[([=>.]{${WIDTH}})\] - (ETA: \S+|\S+|\S+ \d+ms/step) - ${logs}(?: - val_loss: (${num}) - val_accuracy: (${num}))?\x1b\[K$`);
    for (let e = 0; e < EPOCHS; e++) {
      expect(lines[2 * e]).toBe(`Epoch ${e + 1}/${EPOCHS}`);
      const draws = lines[2 * e + 1].split('\r');
      expect(draws.shift()).toBe(''); // every draw starts by returning to column 0
      const parsed = draws.map((d) => { const m = d.match(frame); expect(m, JSON.stringify(d)).not.toBeNull(); return m!; });
      let lastDone = 0;
      for (const m of parsed.slice(0, -1)) { // the live frames, throttled: at least the first and the last step
        const done = Number(m[1]);
        expect(done).toBeGreaterThan(lastDone);
        lastDone = done;
        const filled = Math.floor((WIDTH * done) / STEPS);
        const bar = done < STEPS ? '='.repeat(filled - 1) + '>' + '.'.repeat(WIDTH - filled) : '='.repeat(WIDTH);
        expect(m[2], `bar at ${done}/${STEPS}`).toBe(bar);
        expect(m[3].startsWith('ETA: ')).toBe(done < STEPS);
        expect(m[6]).toBeUndefined(); // validation runs after the last step
      }
      expect(Number(parsed[0][1])).toBe(1);
      expect(lastDone).toBe(STEPS);
      const end = parsed[parsed.length - 1]; // the epoch's summary, with validation
      expect(end[1]).toBe(String(STEPS));
      expect(end[2]).toBe('='.repeat(WIDTH));
      expect(end[3]).toMatch(/^\d+(\.\d)?s \d+ms\/step$/);
      expectLogs(end, 4, history, e, true);
    }
  });

  it.skipIf(!hasScript)('verbose 2 on a terminal: epoch lines only, no bar', () => {
    const { printed, history } = runOnTerminal(2);
    expectEpochLines(printed, history);
  });
});
