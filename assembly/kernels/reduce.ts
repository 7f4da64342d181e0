// Reductions over the middle axis of an (O, R, I) view. The ops move the reduced axes together
// first, so one kernel per reduction covers every axis set. Sums run in a fixed order (the same
// bits on every run and host): along R sequentially per element when I > 1; when I == 1, in four
// interleaved lanes over blocks of 1024, the block sums added in f64.
import { hsum, at } from '../simd';


const SUM_BLOCK = 1024;

// y:(O,I) = scale * Σ_r x:(O,R,I)
export function sum_forward(y: usize, x: usize, O: i32, R: i32, I: i32, scale: f32): void {
  const sv = f32x4.splat(scale);
  for (let o = 0; o < O; o++) {
    const xo = at(x, o * R * I), yo = at(y, o * I);
    if (I == 1) {
      // Blocks of SUM_BLOCK in f32 lanes, the block sums in f64: long rows keep their precision.
      let total: f64 = 0;
      let r = 0;
      const R4 = R & ~3;
      while (r < R4) {
        const end = min(R4, r + SUM_BLOCK);
        let acc = f32x4.splat(0);
        for (; r < end; r += 4) acc = f32x4.add(acc, v128.load(at(xo, r)));
        total += <f64>hsum(acc);
      }
      for (; r < R; r++) total += <f64>load<f32>(at(xo, r));
      store<f32>(yo, <f32>(total * <f64>scale));
      continue;
    }
    // Row by row into y: sequential memory, and each output sums r = 0..R-1 in order.
    memory.fill(yo, 0, <usize>I << 2);
    for (let r = 0; r < R; r++) {
      const xr = at(xo, r * I);
      let i = 0;
      for (; i + 4 <= I; i += 4) v128.store(at(yo, i), f32x4.add(v128.load(at(yo, i)), v128.load(at(xr, i))));
      for (; i < I; i++) store<f32>(at(yo, i), load<f32>(at(yo, i)) + load<f32>(at(xr, i)));
    }
    let i = 0;
    for (; i + 4 <= I; i += 4) v128.store(at(yo, i), f32x4.mul(v128.load(at(yo, i)), sv));
    for (; i < I; i++) store<f32>(at(yo, i), load<f32>(at(yo, i)) * scale);
  }
}

export function sum_forward_ref(y: usize, x: usize, O: i32, R: i32, I: i32, scale: f32): void {
  for (let o = 0; o < O; o++) {
    for (let i = 0; i < I; i++) {
      let s: f32 = 0;
      for (let r = 0; r < R; r++) s += load<f32>(at(x, (o * R + r) * I + i));
      store<f32>(at(y, o * I + i), s * scale);
    }
  }
}

// dx:(O,R,I) += scale * dy:(O,I) broadcast along R (the backward of sum and mean)
export function sum_backward(dx: usize, dy: usize, O: i32, R: i32, I: i32, scale: f32): void {
  const sv = f32x4.splat(scale);
  for (let o = 0; o < O; o++) {
    const dyo = at(dy, o * I), dxo = at(dx, o * R * I);
    if (I == 1) {
      // One output per o: splat it along R.
      const g = load<f32>(dyo) * scale;
      const gv = f32x4.splat(g);
      let r = 0;
      for (; r + 4 <= R; r += 4) v128.store(at(dxo, r), f32x4.add(v128.load(at(dxo, r)), gv));
      for (; r < R; r++) store<f32>(at(dxo, r), load<f32>(at(dxo, r)) + g);
      continue;
    }
    for (let r = 0; r < R; r++) {
      const dxr = at(dxo, r * I);
      let i = 0;
      for (; i + 4 <= I; i += 4) {
        v128.store(at(dxr, i), f32x4.add(v128.load(at(dxr, i)), f32x4.mul(v128.load(at(dyo, i)), sv)));
      }
      for (; i < I; i++) store<f32>(at(dxr, i), load<f32>(at(dxr, i)) + load<f32>(at(dyo, i)) * scale);
    }
  }
}

export function sum_backward_ref(dx: usize, dy: usize, O: i32, R: i32, I: i32, scale: f32): void {
  for (let o = 0; o < O; o++) {
    for (let r = 0; r < R; r++) {
      for (let i = 0; i < I; i++) {
        const p = at(dx, (o * R + r) * I + i);
        store<f32>(p, load<f32>(p) + load<f32>(at(dy, o * I + i)) * scale);
      }
    }
  }
}

// `v` beats `best`: strictly greater for max, strictly smaller for min (ties keep the first).
// @ts-ignore: decorator
@inline function beats(v: f32, best: f32, lowest: bool): bool { return lowest ? v < best : v > best; }
// @ts-ignore: decorator
@inline function beats_v(v: v128, best: v128, lowest: bool): v128 { return lowest ? f32x4.lt(v, best) : f32x4.gt(v, best); }

// y:(O,I) = max_r (or min_r) x:(O,R,I); arg:(O,I) = the first r reaching it, stored as f32 (exact
// below 2^24) for max_backward and argMax / argMin. Requires R >= 1.
// @ts-ignore: decorator
@inline function extreme_forward(y: usize, arg: usize, x: usize, O: i32, R: i32, I: i32, lowest: bool): void {
  for (let o = 0; o < O; o++) {
    const xo = at(x, o * R * I), yo = at(y, o * I), ao = at(arg, o * I);
    if (I == 1) {
      // Lane l scans r ≡ l (mod 4); lanes then merge by value, ties to the smaller index.
      let best: f32 = load<f32>(xo), bestR: i32 = 0;
      let r = 0;
      if (R >= 4) {
        let bv = v128.load(xo);
        let bi = f32x4(0, 1, 2, 3);
        let ri = f32x4(4, 5, 6, 7);
        const four = f32x4.splat(4);
        for (r = 4; r + 4 <= R; r += 4) {
          const v = v128.load(at(xo, r));
          const gt = beats_v(v, bv, lowest);
          bv = v128.bitselect(v, bv, gt);
          bi = v128.bitselect(ri, bi, gt);
          ri = f32x4.add(ri, four);
        }
        best = f32x4.extract_lane(bv, 0); bestR = <i32>f32x4.extract_lane(bi, 0);
        for (let l = 1; l < 4; l++) { // lanes 1, 2, 3 rotated into lane 0 in turn
          bv = i32x4.shuffle(bv, bv, 1, 2, 3, 0); bi = i32x4.shuffle(bi, bi, 1, 2, 3, 0);
          const v = f32x4.extract_lane(bv, 0), li = <i32>f32x4.extract_lane(bi, 0);
          if (beats(v, best, lowest) || (v == best && li < bestR)) { best = v; bestR = li; }
        }
      } else r = 1;
      // The tail comes after every lane's elements, so only a strictly better value wins.
      for (; r < R; r++) {
        const v = load<f32>(at(xo, r));
        if (beats(v, best, lowest)) { best = v; bestR = r; }
      }
      store<f32>(yo, best);
      store<f32>(ao, <f32>bestR);
      continue;
    }
    memory.copy(yo, xo, <usize>I << 2);
    memory.fill(ao, 0, <usize>I << 2);
    for (let r = 1; r < R; r++) {
      const xr = at(xo, r * I);
      const rv = f32x4.splat(<f32>r);
      let i = 0;
      for (; i + 4 <= I; i += 4) {
        const v = v128.load(at(xr, i)), b = v128.load(at(yo, i));
        const gt = beats_v(v, b, lowest);
        v128.store(at(yo, i), v128.bitselect(v, b, gt));
        v128.store(at(ao, i), v128.bitselect(rv, v128.load(at(ao, i)), gt));
      }
      for (; i < I; i++) {
        const v = load<f32>(at(xr, i));
        if (beats(v, load<f32>(at(yo, i)), lowest)) { store<f32>(at(yo, i), v); store<f32>(at(ao, i), <f32>r); }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function extreme_forward_ref(y: usize, arg: usize, x: usize, O: i32, R: i32, I: i32, lowest: bool): void {
  for (let o = 0; o < O; o++) {
    for (let i = 0; i < I; i++) {
      let best = load<f32>(at(x, o * R * I + i)), bestR: i32 = 0;
      for (let r = 1; r < R; r++) {
        const v = load<f32>(at(x, (o * R + r) * I + i));
        if (beats(v, best, lowest)) { best = v; bestR = r; }
      }
      store<f32>(at(y, o * I + i), best);
      store<f32>(at(arg, o * I + i), <f32>bestR);
    }
  }
}

export function max_forward(y: usize, arg: usize, x: usize, O: i32, R: i32, I: i32): void {
  extreme_forward(y, arg, x, O, R, I, false);
}
export function max_forward_ref(y: usize, arg: usize, x: usize, O: i32, R: i32, I: i32): void {
  extreme_forward_ref(y, arg, x, O, R, I, false);
}
export function min_forward(y: usize, arg: usize, x: usize, O: i32, R: i32, I: i32): void {
  extreme_forward(y, arg, x, O, R, I, true);
}
export function min_forward_ref(y: usize, arg: usize, x: usize, O: i32, R: i32, I: i32): void {
  extreme_forward_ref(y, arg, x, O, R, I, true);
}

// dx:(O,R,I)[o, arg[o,i], i] += dy:(O,I)[o,i] — the gradient goes to the first maximum only.
export function max_backward(dx: usize, dy: usize, arg: usize, O: i32, R: i32, I: i32): void {
  for (let o = 0; o < O; o++) {
    for (let i = 0; i < I; i++) {
      const r = <i32>load<f32>(at(arg, o * I + i));
      const p = at(dx, (o * R + r) * I + i);
      store<f32>(p, load<f32>(p) + load<f32>(at(dy, o * I + i)));
    }
  }
}
