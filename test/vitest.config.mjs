import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const include = ['test/**/*.test.{ts,mjs,js}'];
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export default defineConfig({
  root,
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'node', include, exclude: ['test/browser/**'], environment: 'node' } },
      {
        extends: true,
        test: { name: 'node-relaxed', include: ['test/kernels/**/*.test.{ts,mjs,js}', 'test/engine/relaxed.test.ts'], environment: 'node',
          env: { SIMDNN_RELAXED: '1' }, execArgv: ['--experimental-wasm-relaxed-simd'] },
      },
      {
        extends: true,
        test: {
          name: 'browser', include, exclude: ['test/node/**'],
          browser: {
            enabled: true, headless: true, screenshotFailures: false,
            provider: playwright({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs } }),
            instances: [{ browser: 'chromium' }],
          },
        },
        server: { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
      },
    ],
  },
});
