import { packageTestConfig } from '../../vitest.shared.js';

export default packageTestConfig({ globalSetup: ['tests/global-setup.ts'] });
