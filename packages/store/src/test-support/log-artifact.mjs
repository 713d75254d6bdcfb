// A child process that logs one artifact: used by the concurrency and crash tests.
// usage: node log-artifact.mjs STORE NAME FILE [ALIAS]
import { printError } from '@mldp/runtime';
import { openStore } from '../../dist/index.js';

// A shell of its own: like the bins, it quiets the AWS SDK's notice about Node versions.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const [store, name, file, alias] = process.argv.slice(2);
try {
  const s = await openStore({ location: store });
  process.stdout.write('writing\n');
  const { version } = await s.logArtifact({ name, type: 'raw_data', files: [{ path: file }] });
  if (alias) await s.artifacts.setAlias(`${name}:${version.version}`, alias);
  process.stdout.write(`${version.version}\n`);
} catch (error) {
  process.exitCode = printError(error, false);
}
