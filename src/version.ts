// The package version, written in at build time from package.json (rollup.config.mjs).
declare const __SIMDNN_VERSION__: string;

export const version: string = __SIMDNN_VERSION__;
