import { createRequire } from 'node:module';
import { StoreError } from './errors.js';
import { STORE_MARKER } from './keys.js';

/** The layout this code reads and writes; a store of a higher one is refused, not misread. */
export const STORE_FORMAT_VERSION = 1;

// By name, not by a path from this module: the path differs once a step's bin is bundled.
const PACKAGE = createRequire(import.meta.url)('@mldp/store/package.json') as { name: string; version: string };
const THIS_MLDP = `${PACKAGE.name} ${PACKAGE.version}`;

/** The marker a new store gets: its format, and the release that made it (so an older one can name what it needs). */
export function storeMarkerText(): string {
  return `${JSON.stringify({ format: 'mldp-store', version: STORE_FORMAT_VERSION, created_by: THIS_MLDP })}\n`;
}

/** Refuses a store whose marker is not one, or names a format newer than this code reads. */
export function checkStoreMarker(text: string, location: string): void {
  const where = `${location.replace(/\/$/, '')}/${STORE_MARKER}`;
  let marker: { format?: unknown; version?: unknown; created_by?: unknown };
  try {
    marker = JSON.parse(text);
  } catch {
    throw garbage(where, 'it is not JSON');
  }
  if (marker === null || typeof marker !== 'object' || marker.format !== 'mldp-store') throw garbage(where, 'it lacks "format": "mldp-store"');
  if (!Number.isInteger(marker.version) || (marker.version as number) < 1) throw garbage(where, `its version ${JSON.stringify(marker.version)} is not a format number`);
  if ((marker.version as number) > STORE_FORMAT_VERSION) {
    const needed = typeof marker.created_by === 'string' ? `${marker.created_by} or newer` : `a release that reads store format ${marker.version}`;
    throw new StoreError(`${location} is a store of format ${marker.version}, which ${THIS_MLDP} cannot read (it reads format ${STORE_FORMAT_VERSION})`, {
      hint: `upgrade mldp to ${needed}; nothing was read or written`,
    });
  }
}

function garbage(where: string, problem: string): StoreError {
  return new StoreError(`${where} is not an mldp store marker: ${problem}`, {
    hint: `if this is an mldp store, restore the file as {"format":"mldp-store","version":${STORE_FORMAT_VERSION}}; otherwise give --store another location`,
  });
}
