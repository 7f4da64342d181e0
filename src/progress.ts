// Keras-style progress output for fit(): a live bar on a terminal, one line per epoch otherwise
// (a pipe, a file, or the console of a browser or worker).
import type { Logs } from './callbacks';

interface Out { write(s: string): void; isTTY: boolean }

function stdout(): Out {
  const proc = (globalThis as any).process;
  if (proc?.stdout?.write && typeof (globalThis as any).window === 'undefined') {
    return { write: (s) => proc.stdout.write(s), isTTY: !!proc.stdout.isTTY };
  }
  // No stdout (a browser page or worker): only whole lines are written there, one console.log each.
  return { write: (s) => console.log(s.replace(/\n$/, '')), isTTY: false };
}

export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k]) => k !== 'batch' && k !== 'size')
    .map(([k, v]) => `${k}: ${Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(3) : v.toFixed(4)}`).join(' - ');
}

function fmtTime(seconds: number): string {
  const s = seconds < 10 ? seconds : Math.round(seconds); // whole seconds from 10 s on, so 59.6 reads 1:00
  if (s >= 3600) return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  if (s >= 60) return `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  return `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
}

export class Progress {
  private readonly out = stdout();
  /** The live bar needs a terminal to redraw on; verbose 2 asks for epoch lines even there. */
  private readonly bar: boolean;
  private epochStart = 0;
  private lastDraw = -Infinity;
  private done = 0;

  /** `steps` per epoch may be unknown (a dataset before its first epoch ends); the bar then shows a count. */
  constructor(private readonly epochs: number, private steps: number | undefined, verbose: 1 | 2 = 1) {
    this.bar = verbose === 1 && this.out.isTTY;
  }

  epochBegin(epoch: number, steps = this.steps): void {
    this.steps = steps;
    this.done = 0;
    this.epochStart = performance.now();
    this.lastDraw = -Infinity; // the first step always draws, even when the clock is young
    if (this.bar) this.out.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  batchEnd(step: number, logs: Logs): void {
    this.done = step + 1;
    if (!this.bar) return;
    const now = performance.now();
    if (this.steps === undefined) {
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const elapsed = (now - this.epochStart) / 1000;
      this.out.write(`\r${this.done}/? - ${fmtTime(elapsed)} - ${formatLogs(logs)}\x1b[K`);
      return;
    }
    if (step + 1 < this.steps && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = 30, done = step + 1;
    const filled = Math.floor((width * done) / this.steps);
    const bar = '='.repeat(Math.max(0, filled - 1)) + (done < this.steps ? '>' : '=') + '.'.repeat(width - filled);
    const elapsed = (now - this.epochStart) / 1000;
    const eta = (elapsed / done) * (this.steps - done);
    const n = String(this.steps);
    this.out.write(`\r${String(done).padStart(n.length)}/${n} [${bar}] - ${done < this.steps ? `ETA: ${fmtTime(eta)}` : fmtTime(elapsed)} - ${formatLogs(logs)}\x1b[K`);
  }

  epochEnd(epoch: number, logs: Logs): void {
        const secs = (performance.now() - this.epochStart) / 1000;
    const perStep = (secs * 1000) / Math.max(1, this.done);
    const tail = `${fmtTime(secs)} ${perStep.toFixed(0)}ms/step - ${formatLogs(logs)}`;
    if (this.bar) this.out.write(`\r${this.done}/${this.done} [${'='.repeat(30)}] - ${tail}\x1b[K\n`);
    else this.out.write(`Epoch ${epoch + 1}/${this.epochs} - ${tail}\n`);
  }
}
