import { fileURLToPath } from 'node:url';
import { packageTestConfig } from '../../vitest.shared.js';

export default packageTestConfig({ globalSetup: [fileURLToPath(new URL('../../vitest.build-first.ts', import.meta.url))] });
