import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

// `import b64 from './x.wasm?base64'` inlines the wasm as a base64 string: one file is the whole library.
function wasmBase64() {
  const suffix = '?base64';
  return {
    name: 'wasm-base64',
    resolveId(id, importer) {
      if (!id.endsWith(suffix)) return null;
      return resolve(dirname(importer), id);
    },
    load(id) {
      if (!id.endsWith(suffix)) return null;
      const b64 = readFileSync(id.slice(0, -suffix.length)).toString('base64');
      return `export default ${JSON.stringify(b64)};`;
    },
  };
}

// `__SIMDNN_VERSION__` in src/version.ts becomes package.json's version: nn.version, and model.json's generatedBy.
function packageVersion() {
  const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
  return {
    name: 'package-version',
    transform(code) {
      const use = /(?<!declare const )__SIMDNN_VERSION__/g;
      return use.test(code) ? { code: code.replace(use, JSON.stringify(version)), map: null } : null;
    },
  };
}

/** Emits `fileName` beside the output: a module that re-exports `target`. */
function reexport(fileName, target) {
  return {
    name: 'reexport',
    generateBundle() { this.emitFile({ type: 'asset', fileName, source: `export * from ${JSON.stringify(target)};\n` }); },
  };
}

export default [
  {
    input: 'src/index.ts',
    plugins: [wasmBase64(), packageVersion(), typescript({ tsconfig: './tsconfig.json', outputToFilesystem: false })],
    output: [
      { file: 'build/simdnn.mjs', format: 'es' },
      { file: 'build/simdnn.cjs', format: 'cjs' },
      { file: 'build/simdnn.js', format: 'iife', name: 'simdnn' },
    ],
  },
  {
    input: 'src/index.ts',
    external: [/\?base64$/],
    // stripInternal: what is marked @internal (tensor pointers, the graph's execute, arenas, kernel
    // access) stays out of the published declarations.
    plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { stripInternal: true } })],
    // .d.mts too, so TypeScript finds the types of a path import of simdnn.mjs.
    output: [{ file: 'build/simdnn.d.ts', format: 'es' }, { file: 'build/simdnn.d.mts', format: 'es' }],
  },
  {
    // For the tests only (not shipped): the same module with the @internal members declared,
    // build/internal/simdnn.mjs re-exporting build/simdnn.mjs so both name one module instance.
    input: 'src/index.ts',
    external: [/\?base64$/],
    plugins: [dts({ tsconfig: './tsconfig.json' }), reexport('simdnn.mjs', '../simdnn.mjs')],
    output: [{ file: 'build/internal/simdnn.d.mts', format: 'es' }],
  },
];
