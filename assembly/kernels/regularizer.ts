// Weight penalties: the L1/L2 regularizer as one fused op, penalty = l1·Σ|w| + l2·Σw² (Keras/tfjs: no ½).

// @ts-ignore: decorator
@inline function sign_f32(v: f32): f32 {
  return v > 0 ? <f32>1 : v < 0 ? <f32>-1 : <f32>0;
}

// y:(1) = l1·Σ|w| + l2·Σw²  over w:(n). Four lane sums, then the lanes in order: a fixed order.
export function l1l2_forward(y: usize, w: usize, n: i32, l1: f32, l2: f32): void {
  let absv = f32x4.splat(0), sqv = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(w + (<usize>i << 2));
    absv = f32x4.add(absv, f32x4.abs(v));
    sqv = f32x4.add(sqv, f32x4.mul(v, v));
  }
  let abs: f32 = f32x4.extract_lane(absv, 0) + f32x4.extract_lane(absv, 1) +
                 f32x4.extract_lane(absv, 2) + f32x4.extract_lane(absv, 3);
  let sq: f32 = f32x4.extract_lane(sqv, 0) + f32x4.extract_lane(sqv, 1) +
                f32x4.extract_lane(sqv, 2) + f32x4.extract_lane(sqv, 3);
  for (; i < n; i++) {
    const v = load<f32>(w + (<usize>i << 2));
    abs += Mathf.abs(v);
    sq += v * v;
  }
  store<f32>(y, l1 * abs + l2 * sq);
}

export function l1l2_forward_ref(y: usize, w: usize, n: i32, l1: f32, l2: f32): void {
  let abs: f32 = 0, sq: f32 = 0;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(w + (<usize>i << 2));
    abs += Mathf.abs(v);
    sq += v * v;
  }
  store<f32>(y, l1 * abs + l2 * sq);
}

// dw:(n) += dy[0] · (l1·sign(w) + 2·l2·w)   with sign(0) = 0, as tfjs' abs gradient
export function l1l2_backward(dw: usize, w: usize, dy: usize, n: i32, l1: f32, l2: f32): void {
  const g = load<f32>(dy);
  const twoL2: f32 = 2 * l2;
  const gv = f32x4.splat(g), l1v = f32x4.splat(l1), twoL2v = f32x4.splat(twoL2);
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(w + o);
    const sign = f32x4.sub(v128.and(f32x4.gt(v, zero), one), v128.and(f32x4.lt(v, zero), one));
    const t = f32x4.add(f32x4.mul(l1v, sign), f32x4.mul(twoL2v, v));
    v128.store(dw + o, f32x4.add(v128.load(dw + o), f32x4.mul(gv, t)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(w + o);
    store<f32>(dw + o, load<f32>(dw + o) + g * (l1 * sign_f32(v) + twoL2 * v));
  }
}

export function l1l2_backward_ref(dw: usize, w: usize, dy: usize, n: i32, l1: f32, l2: f32): void {
  const g = load<f32>(dy);
  const twoL2: f32 = 2 * l2;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(w + o);
    store<f32>(dw + o, load<f32>(dw + o) + g * (l1 * sign_f32(v) + twoL2 * v));
  }
}
