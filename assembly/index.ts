// The export surface of the wasm module: the allocator and every kernel family.
export * from './kernels/memory';
export * from './kernels/elementwise';
export * from './kernels/activation';
export * from './kernels/softmax';
