/** The writer thread of WriteBehind (write-behind.ts): writes, hashes and syncs files in the order asked. */
import { type Hash, createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { workerInput } from '@mldp/runtime';
import { type FileWrites, openFileWrites } from './file-writes.js';
import type { WriteBehindMessage } from './write-behind.js';

const { shared, slots, slotBytes, digestBytes, errorBytes } = workerInput<{ shared: SharedArrayBuffer; slots: number; slotBytes: number; digestBytes: number; errorBytes: number }>();
const data = new Uint8Array(shared, 0, slots * slotBytes + digestBytes + errorBytes);
const control = new Int32Array(shared, data.length, slots + 2);
const [ACKED, FAILED] = [slots, slots + 1];
const files = new Map<number, { writes: FileWrites; hash?: Hash; sync: boolean }>();
let failed = false;

parentPort!.on('message', (message: WriteBehindMessage) => {
  try {
    if (!failed) handle(message);
  } catch (error) {
    failed = true;
    const e = error as NodeJS.ErrnoException;
    const text = Buffer.from(JSON.stringify({ message: e.message, code: e.code, path: e.path }));
    data.fill(0, slots * slotBytes + digestBytes);
    data.set(text.subarray(0, errorBytes), slots * slotBytes + digestBytes);
    Atomics.store(control, FAILED, 1);
  }
  // Whatever happened, the slot is free again and a close is answered: the caller never waits for nothing.
  if (message.op === 'write') {
    Atomics.store(control, message.slot, 0);
    Atomics.notify(control, message.slot);
  } else if (message.op === 'close') {
    if (failed) files.get(message.file)?.writes.close(false);
    files.delete(message.file);
    Atomics.store(control, ACKED, message.ticket);
    Atomics.notify(control, ACKED);
  }
});

function handle(message: WriteBehindMessage): void {
  if (message.op === 'open') {
    files.set(message.file, { writes: openFileWrites(message.path), hash: message.hash ? createHash('sha256') : undefined, sync: message.sync });
    return;
  }
  const file = files.get(message.file)!;
  if (message.op === 'write') {
    const piece = data.subarray(message.slot * slotBytes, message.slot * slotBytes + message.length);
    file.hash?.update(piece);
    file.writes.write(piece, 0, piece.length, message.position);
    return;
  }
  file.writes.close(message.keep && file.sync);
  const digest = Buffer.alloc(digestBytes);
  if (file.hash) digest.write(file.hash.digest('hex'), 'latin1');
  data.set(digest, slots * slotBytes);
}
