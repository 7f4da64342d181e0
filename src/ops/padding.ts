// Zero padding: x placed inside a zero tensor grown by [before, after] on each axis; the gradient is
// the matching block of dy.
import { record } from '../autograd';
import { Tensor, shapeStr } from '../tensor';
import { copyStrided, stridesOf } from './shape';

/** y = x surrounded by zeros: paddings[d] = [before, after] for every axis d of x. */
export function zeroPad(x: Tensor, paddings: [number, number][], where = 'zeroPad'): Tensor {
  if (paddings.length !== x.rank || paddings.some((p) => p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))) {
    throw new Error(`${where}: paddings ${JSON.stringify(paddings)} must give [before, after] non-negative integers for each axis of ${shapeStr(x.shape)}`);
  }
  const outShape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const yStrides = stridesOf(outShape), xStrides = stridesOf(x.shape);
  const offset = paddings.reduce((acc, [before], d) => acc + before * yStrides[d], 0);
  const y = Tensor.zeros(outShape);
  copyStrided(y, offset, yStrides, x, 0, xStrides, x.shape, false);
  return record([x], y, (dy, [dx]) => {
    if (dx) copyStrided(dx, 0, xStrides, dy, offset, yStrides, x.shape, true);
  });
}
