/**
 * "Did you mean ...?" for a misspelt key: the closest candidate by optimal-string-alignment
 * distance (Levenshtein plus adjacent transpositions, so `tset` is one edit from `test`), if it
 * is close enough to be a typo rather than another key. A candidate's part before its first `_`
 * counts too, so the short `chek` finds `check_data`.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const head = candidate.includes('_') ? candidate.slice(0, candidate.indexOf('_')) : candidate;
    const distance = Math.min(editDistance(word, candidate), word.length >= 4 ? editDistance(word, head) : Infinity);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

/** Every key of a config as a dotted path, nested ones too (`data`, `data.test_size`, `checks.ranges.tempo`). */
export function dottedKeys(node: unknown, prefix = ''): string[] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
  return Object.entries(node).flatMap(([key, child]) => [`${prefix}${key}`, ...dottedKeys(child, `${prefix}${key}.`)]);
}

/** The optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring). */
export function editDistance(a: string, b: string): number {
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    [before, previous] = [previous, row];
  }
  return previous[b.length];
}
