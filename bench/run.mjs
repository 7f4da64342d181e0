// Benchmark harness for the workloads of shared/WORKLOADS.md.
//   node bench/run.mjs [--backend NAME[,NAME…]] --workload NAME[,NAME…]|all [--json] [--runs 3] [--baseline DIR]
// Each workload runs in a fresh child process `--runs` times (3), the backends taking turns; the
// reported value is the median of the per-process medians, with their min and max. With several
// backends (all of them without --backend), a table compares them with tfjs-wasm. `--baseline DIR`
// adds the backends `base` and `base-relaxed`: simdnn from a saved build directory, for before/after
// figures measured in one run. `npm run bench -- …` builds first.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { backends, baselineBackends } from './backends.mjs';
import { workloads } from './workloads/index.mjs';

const median = (xs) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x, digits = 3) => (x === null || x === undefined ? '—' : Number(x.toPrecision(digits)).toString());

function parseArgs(argv) {
  const opts = { json: false, runs: 3, child: false, backend: null, workload: 'all', baseline: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    if (a === '--json') opts.json = true;
    else if (a === '--child') opts.child = true;
    else if (a === '--backend') opts.backend = value();
    else if (a === '--workload') opts.workload = value();
    else if (a === '--runs') opts.runs = Number(value());
    else if (a === '--baseline') opts.baseline = value();
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

// --- child: one workload on one backend, one process ---------------------------------------

async function runChild(backendName, workloadName) {
  const w = workloads.get(workloadName);
  const ctx = await backends[backendName].load();
  const job = await w.prepare(ctx);
  const t0 = performance.now();
  await (job.warmup ? job.warmup() : job.run());
  const warmMs = performance.now() - t0;
  const reps = job.reps(warmMs);
  const times = [];
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    await job.run();
    times.push(performance.now() - s);
  }
  job.dispose?.();
  const ms = median(times);
  return { value: job.value(ms), ms, minMs: Math.min(...times), maxMs: Math.max(...times), reps,
    notes: [job.notes, ctx.notes].filter(Boolean).join('; ') };
}

// --- parent: fresh processes, aggregation, output ------------------------------------------

function spawnChild(backendName, workloadName) {
  const args = [...backends[backendName].nodeArgs, fileURLToPath(import.meta.url), '--child',
    '--backend', backendName, '--workload', workloadName, ...(baselineDir ? ['--baseline', baselineDir] : [])];
  return new Promise((resolve) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    // WORKLOADS.md: a workload process stays under 2 minutes.
    const timer = setTimeout(() => p.kill('SIGKILL'), 120_000);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        const r = JSON.parse(line);
        resolve(r.error ? { error: r.error } : r);
      } catch {
        const why = signal ? `killed by ${signal} (over 2 minutes?)` : `exit ${code}`;
        resolve({ error: `${why}: ${(err.trim().split('\n').pop() || line || 'no output').slice(0, 300)}` });
      }
    });
  });
}

/** One workload on several backends: run i of every backend, then run i+1 … so that a burst of
 *  load on a shared machine hits all backends alike. Returns one summary per backend. */
async function measure(backendNames, workloadName, runs) {
  const w = workloads.get(workloadName);
  const results = new Map(backendNames.map((bn) => [bn, []]));
  const failed = new Map();
  for (let i = 0; i < runs; i++) {
    for (const bn of backendNames) {
      if (failed.has(bn)) continue;
      const r = await spawnChild(bn, workloadName);
      if (r.error) failed.set(bn, r.error); else results.get(bn).push(r);
    }
  }
  return backendNames.map((bn) => {
    const b = backends[bn];
    const base = { peer: b.peer, backend: b.backend, workload: w.name, metric: w.metric };
    if (failed.has(bn)) return { ...base, value: null, unit: w.unit, notes: `FAILED: ${failed.get(bn)}`, backendName: bn };
    const rs = results.get(bn);
    const values = rs.map((r) => r.value), times = rs.map((r) => r.ms);
    const notes = `${rs[0].notes}; ${runs} process${runs > 1 ? 'es' : ''} × ${rs.map((r) => r.reps).join('/')} timed reps after 1 warm-up; ` +
      `value median of per-process medians (min ${fmt(Math.min(...values))}, max ${fmt(Math.max(...values))}); ` +
      `per-process median time min/median/max ${fmt(Math.min(...times))}/${fmt(median(times))}/${fmt(Math.max(...times))} ms`;
    return { ...base, value: Number(median(values).toPrecision(4)), unit: w.unit, notes, backendName: bn };
  });
}

function table(rows, backendNames, workloadNames) {
  const ref = 'tfjs-wasm';
  const header = ['workload', ...backendNames];
  const lines = [header];
  for (const wn of workloadNames) {
    const refRow = rows.find((r) => r.workload === wn && r.backendName === ref);
    const line = [`${wn} (${workloads.get(wn).unit})`];
    for (const bn of backendNames) {
      const r = rows.find((x) => x.workload === wn && x.backendName === bn);
      if (!r || r.value === null) { line.push('FAILED'); continue; }
      const ratio = refRow?.value && bn !== ref ? ` (${(r.value / refRow.value).toFixed(2)}×)` : '';
      line.push(`${fmt(r.value)}${ratio}`);
    }
    lines.push(line);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n') +
    `\nratios are against ${ref} in the same run`;
}

let baselineDir = null;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.baseline) { baselineDir = opts.baseline; Object.assign(backends, baselineBackends(opts.baseline)); }
  const names = opts.workload === 'all' ? [...workloads.values()].filter((w) => !w.extra).map((w) => w.name) : opts.workload.split(',').map((s) => s.trim());
  for (const n of names) if (!workloads.has(n)) throw new Error(`unknown workload ${n} (known: ${[...workloads.keys()].join(', ')})`);
  const chosen = opts.backend ? opts.backend.split(',').map((s) => s.trim()) : null;
  for (const bn of chosen ?? []) if (!backends[bn]) throw new Error(`unknown backend ${bn} (known: ${Object.keys(backends).join(', ')})`);

  if (opts.child) {
    try {
      console.log(JSON.stringify(await runChild(chosen[0], names[0])));
    } catch (e) {
      console.log(JSON.stringify({ error: e?.message ?? String(e) }));
    }
    return;
  }

  const backendNames = chosen ?? Object.keys(backends);
  const single = backendNames.length === 1;
  const rows = [];
  for (const wn of names) {
    for (const r of await measure(backendNames, wn, opts.runs)) {
      const { backendName: bn, ...line } = r;
      rows.push(r);
      if (opts.json) console.log(JSON.stringify(line));
      else if (single) console.log(`${bn} ${wn}: ${r.value === null ? r.notes : `${fmt(r.value)} ${r.unit}  (${r.notes})`}`);
      else process.stderr.write(`${bn} ${wn}: ${r.value === null ? r.notes : `${fmt(r.value)} ${r.unit}`}\n`);
    }
  }
  if (!single && !opts.json) console.log(table(rows, backendNames, names));
}

main().catch((e) => { console.error(`bench: ${e.message}`); process.exit(2); });
