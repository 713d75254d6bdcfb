/**
 * The vitest config every package uses (each package's vitest.config.ts calls this), so that
 * every suite runs in the hermetic environment of vitest.hermetic-env.ts.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const HERMETIC_ENV = fileURLToPath(new URL('./vitest.hermetic-env.ts', import.meta.url));

/** `globalSetup`: more setup files of the package, run after the environment is cleaned. */
export function packageTestConfig(options: { globalSetup?: string[] } = {}) {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts'],
      globalSetup: [HERMETIC_ENV, ...(options.globalSetup ?? [])],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  });
}
