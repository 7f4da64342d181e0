// How a tensor prints (tfjs' layout): 'Tensor' then the values as nested brackets, columns padded
// to one width; an axis longer than 20 shows its first and last 3 entries around '...'. Only the
// values shown are read from wasm memory.

const LIMIT = 20;
const EDGE = 3;

/** The indices of an axis of length n that are shown; -1 marks the '...'. */
function shownIndices(n: number): number[] {
  if (n <= LIMIT) return [...Array(n).keys()];
  return [0, 1, 2, -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)];
}

/** tfjs' number format: at most 7 decimals, trailing zeros dropped. */
const num = (v: number): string => (Number.isFinite(v) ? String(parseFloat(v.toFixed(7))) : String(v));

/**
 * The printed form of a tensor of `shape` whose element i (row-major) is `at(i)`; `verbose` adds
 * dtype, rank and shape as tfjs' print(true) does.
 */
export function formatTensor(shape: readonly number[], at: (i: number) => number, verbose = false): string {
  const head = verbose ? ['Tensor', '  dtype: float32', `  rank: ${shape.length}`, `  shape: [${shape}]`, '  values:'] : ['Tensor'];
  if (shape.length === 0) return [...head, `    ${num(at(0))}`].join('\n');
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const last = shape.length - 1;
  // pad each shown column to its widest shown value
  const cols = shownIndices(shape[last]);
  const width = new Map<number, number>();
  const visit = (d: number, offset: number, f: (offset: number) => void): void => {
    if (d === last) { f(offset); return; }
    for (const i of shownIndices(shape[d])) if (i >= 0) visit(d + 1, offset + i * strides[d], f);
  };
  visit(0, 0, (row) => { for (const c of cols) if (c >= 0) width.set(c, Math.max(width.get(c) ?? 0, num(at(row + c)).length)); });
  const rowText = (row: number) =>
    `[${cols.map((c) => (c < 0 ? '...' : shape.length > 1 ? num(at(row + c)).padEnd(width.get(c)!) : num(at(row + c)))).join(', ')}]`;

  // lines of the sub-tensor at axis d; the caller adds the separators between siblings
  const lines = (d: number, offset: number): string[] => {
    if (d === last) return [rowText(offset)];
    const out: string[] = [];
    const shown = shownIndices(shape[d]);
    shown.forEach((i, k) => {
      const sub = i < 0 ? ['...'] : lines(d + 1, offset + i * strides[d]);
      if (k < shown.length - 1) {
        sub[sub.length - 1] += ',';
        // blocks of rank 3 and up are set apart by blank lines, as in tfjs
        if (i >= 0) for (let b = d + 1; b < last; b++) sub.push('');
      }
      out.push(...sub);
    });
    if (out.length === 0) return ['[]'];
    return out.map((l, k) => (k === 0 ? '[' : l ? ' ' : '') + l + (k === out.length - 1 ? ']' : ''));
  };
  return [...head, ...lines(0, 0).map((l) => (l ? `    ${l}` : l))].join('\n');
}
