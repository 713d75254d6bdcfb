/** The Redis clients of the queue, for BullMQ (see connection.ts for where they connect). */
import { Redis } from 'ioredis';
import { type ConnectionWatch, type QueueLocation, QueueUnreachableError, describeRedisError, redact } from './connection.js';

/** A Redis client for BullMQ that reconnects with backoff, reporting to `watch`. */
export function connect(location: QueueLocation, watch: ConnectionWatch): Redis {
  const client = new Redis({ ...location.options, retryStrategy: watch.retryStrategy });
  client.on('error', (error) => watch.noteError(error));
  client.on('ready', () => watch.noteReady());
  return client;
}

/** Fails at once, in one line, when the queue cannot be reached now (a submitter does not wait for Redis). */
export async function probe(location: QueueLocation): Promise<void> {
  const client = new Redis({ ...location.options, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 5_000 });
  let lastError: unknown;
  client.on('error', (error) => (lastError = error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new QueueUnreachableError(location.display, redact(describeRedisError(lastError ?? error), location));
  } finally {
    client.disconnect();
  }
}
