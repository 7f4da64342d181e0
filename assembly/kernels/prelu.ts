// PReLU with one learned slope per channel (the last axis).

// y:(rows,ch) = x >= 0 ? x : alpha[c]·x    x:(rows,ch) alpha:(ch)
export function prelu_forward(y: usize, x: usize, alpha: usize, rows: i32, ch: i32): void {
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>ch << 2;
    let c = 0;
    for (; c + 4 <= ch; c += 4) {
      const o = <usize>c << 2;
      const xv = v128.load(x + base + o);
      v128.store(y + base + o, v128.bitselect(xv, f32x4.mul(xv, v128.load(alpha + o)), f32x4.ge(xv, zero)));
    }
    for (; c < ch; c++) {
      const o = <usize>c << 2;
      const xv = load<f32>(x + base + o);
      store<f32>(y + base + o, xv >= 0 ? xv : xv * load<f32>(alpha + o));
    }
  }
}

export function prelu_forward_ref(y: usize, x: usize, alpha: usize, rows: i32, ch: i32): void {
  for (let i = 0; i < rows * ch; i++) {
    const xv = load<f32>(x + (<usize>i << 2));
    store<f32>(y + (<usize>i << 2), xv >= 0 ? xv : xv * load<f32>(alpha + (<usize>(i % ch) << 2)));
  }
}

// dx += dy·(x >= 0 ? 1 : alpha[c]);  dalpha[c] += Σ_rows dy·x over x < 0. Either output may be 0 (skipped).
export function prelu_backward(dx: usize, dalpha: usize, dy: usize, x: usize, alpha: usize, rows: i32, ch: i32): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>ch << 2;
    for (let c = 0; c < ch; c++) {
      const o = <usize>c << 2;
      const xv = load<f32>(x + base + o), g = load<f32>(dy + base + o);
      if (dx) store<f32>(dx + base + o, load<f32>(dx + base + o) + (xv >= 0 ? g : g * load<f32>(alpha + o)));
      if (dalpha && xv < 0) store<f32>(dalpha + o, load<f32>(dalpha + o) + g * xv);
    }
  }
}
