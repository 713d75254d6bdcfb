// The one vitest config of the workspace: a project per package (see vitest.shared.ts). vitest
// finds it from any package folder, so `npm test` there runs that package's tests.
import { defineConfig } from 'vitest/config';
import { testProjects } from './vitest.shared.js';

export default defineConfig({ test: { projects: testProjects() } });
