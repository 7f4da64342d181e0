// The bias part of the fused dense op (the matmul itself is gemm_f32).

// y:(rows,cols) += b:(cols)
export function bias_add_f32(y: usize, b: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = y + (<usize>r * <usize>cols << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(b + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(row + o, load<f32>(row + o) + load<f32>(b + o));
    }
  }
}

export function bias_add_f32_ref(y: usize, b: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const p = y + ((<usize>r * <usize>cols + <usize>j) << 2);
      store<f32>(p, load<f32>(p) + load<f32>(b + (<usize>j << 2)));
    }
  }
}

// db:(cols) += Σ_rows dy:(rows,cols); rows summed in order (deterministic).
export function bias_backward_f32(db: usize, dy: usize, rows: i32, cols: i32): void {
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const o = <usize>j << 2;
    let acc = v128.load(db + o);
    for (let r = 0; r < rows; r++) acc = f32x4.add(acc, v128.load(dy + (<usize>r * <usize>cols << 2) + o));
    v128.store(db + o, acc);
  }
  for (; j < cols; j++) {
    const o = <usize>j << 2;
    let acc = load<f32>(db + o);
    for (let r = 0; r < rows; r++) acc += load<f32>(dy + (<usize>r * <usize>cols << 2) + o);
    store<f32>(db + o, acc);
  }
}

export function bias_backward_f32_ref(db: usize, dy: usize, rows: i32, cols: i32): void {
  for (let j = 0; j < cols; j++) {
    let acc = load<f32>(db + (<usize>j << 2));
    for (let r = 0; r < rows; r++) acc += load<f32>(dy + ((<usize>r * <usize>cols + <usize>j) << 2));
    store<f32>(db + (<usize>j << 2), acc);
  }
}
