// Loaded into each measured step with `node --import`: prints, on stderr, the wall-clock time
// (ms since the epoch) at which the step first touches a file under $MLDP_STORE or the path in
// $MLDP_BENCH_INPUT, its first real work once modules are loaded and arguments parsed. bench.mjs
// takes the time from spawn to that moment as the step's start.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const roots = [process.env.MLDP_STORE, process.env.MLDP_BENCH_INPUT].filter(Boolean);
let seen = false;
const note = (path) => {
  if (seen || typeof path !== 'string' || !roots.some((root) => path.startsWith(root))) return;
  seen = true;
  process.stderr.write(`MLDP_BENCH_START ${performance.timeOrigin + performance.now()}\n`);
};
const CALLS = ['open', 'openSync', 'readFile', 'readFileSync', 'stat', 'statSync', 'lstat', 'lstatSync', 'readdir', 'readdirSync', 'mkdir', 'mkdirSync', 'mkdtemp', 'mkdtempSync', 'createReadStream', 'writeFile', 'writeFileSync', 'access', 'accessSync', 'existsSync'];
for (const api of [fs, fs.promises]) {
  for (const name of CALLS) {
    const original = api[name];
    if (typeof original !== 'function') continue;
    api[name] = function (path, ...rest) {
      note(path);
      return original.call(this, path, ...rest);
    };
  }
}
syncBuiltinESMExports();
