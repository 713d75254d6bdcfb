#!/usr/bin/env node
// The bin is a launcher outside dist/, so that npm links it at install time, before the first build.
// It loads the bundle (scripts/bundle/bundle-bin.mjs): one module starts far faster than ~90.
try {
  await import('../dist/bundle/cli.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bundle/cli.js')) {
    process.stderr.write('error: mldp-preprocess is not built yet; run "npm run build" (or "npm start") in the workspace first\n');
    process.exit(2);
  }
  throw error;
}
