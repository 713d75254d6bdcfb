// Its worker threads run the built code: build the package before its tests (vitest.build-first.ts).
export { default } from '../../../vitest.build-first.js';
