// LeNet-5 (LeCun et al. 1998, with ReLU, max pooling and softmax as usual today) for 28×28 grey
// digits, NHWC. Shared by examples/lenet5.mjs and the test that holds it to its accuracy bar.
// No Node imports here, so the test runs in browsers too.
export function lenet5(nn, { learningRate = 2e-3 } = {}) {
  const L = nn.layers;
  const model = nn.sequential({ layers: [
    L.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }), // 28×28×6
    L.maxPooling2d({ poolSize: 2 }),                                                                      // 14×14×6
    L.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),                                         // 10×10×16
    L.maxPooling2d({ poolSize: 2 }),                                                                      // 5×5×16
    L.flatten(),
    L.dense({ units: 120, activation: 'relu' }),
    L.dense({ units: 84, activation: 'relu' }),
    L.dense({ units: 10, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: nn.optimizers.adam({ learningRate }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Training length that reaches the bar: epochs over the digits and their one-pixel shifts. */
export const LENET5_EPOCHS = 3;
