/**
 * Config keys renamed since: each step parameter's `formerly` (`artifact_root`) names a key of
 * its section (`segregate.artifact_root`) that is still read as the current one, with a one-line
 * deprecation note on stderr (once per key and process).
 */
import { STEP_PARAMS } from './config-schema.js';
import type { Override } from './overrides.js';

/** The current config key of each former one. */
const CURRENT_OF = new Map<string, string>();
for (const params of Object.values(STEP_PARAMS)) {
  for (const param of Object.values(params)) {
    if (param.config && param.formerly) CURRENT_OF.set(`${param.config.slice(0, param.config.lastIndexOf('.'))}.${param.formerly}`, param.config);
  }
}

const noted = new Set<string>();

function note(former: string, current: string, where: string): void {
  if (noted.has(former)) return;
  noted.add(former);
  process.stderr.write(`mldp: ${where}: ${former} is deprecated: use ${current} (it means the same)\n`);
}

/** The config with each former key moved to its current one (a current key given too wins). */
export function withCurrentKeys(config: Record<string, unknown>, source: string): Record<string, unknown> {
  let renamed = config;
  for (const [former, current] of CURRENT_OF) {
    const [section, formerKey] = former.split('.');
    const values = renamed[section] as Record<string, unknown> | undefined;
    if (!values || typeof values !== 'object' || !(formerKey in values)) continue;
    note(former, current, source);
    const { [formerKey]: value, ...rest } = values;
    const currentKey = current.split('.')[1];
    renamed = { ...renamed, [section]: { [currentKey]: value, ...rest } };
  }
  return renamed;
}

/** The override with a former key (`segregate.artifact_root=x`) turned into its current one. */
export function withCurrentKey(override: Override): Override {
  const current = CURRENT_OF.get(override.key);
  if (!current) return override;
  note(override.key, current, 'override');
  return { ...override, key: current, path: current.split('.') };
}
