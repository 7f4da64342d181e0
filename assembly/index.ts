// The export surface of the wasm module: the allocator and every kernel family.
export * from './kernels/memory';
export * from './kernels/elementwise';
export * from './kernels/dense';
export * from './kernels/prelu';
export * from './kernels/gemm';

export * from './kernels/reduce';
export * from './kernels/shape';
export * from './kernels/loss';
export * from './kernels/metric';
export * from './kernels/optim';
export * from './kernels/random';
export * from './kernels/regularizer';
export * from './kernels/activation';
export * from './kernels/softmax';
export * from './kernels/swish';
export * from './kernels/select';
export * from './kernels/conv';
export * from './kernels/pool';
export * from './kernels/norm';
export * from './kernels/rnn';
export * from './kernels/lstm';
export * from './kernels/gru';
