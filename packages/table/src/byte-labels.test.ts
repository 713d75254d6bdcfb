import { describe, expect, it } from 'vitest';
import { ByteLabels } from './byte-labels.js';

describe('ByteLabels', () => {
  it('numbers distinct byte strings in order of first appearance, whatever their position', () => {
    const labels = new ByteLabels();
    const line = Buffer.from('pop,rock,,pop,Pop,rock,émo,émo');
    const cells = line.toString('latin1').split(',');
    let at = 0;
    const ids: number[] = [];
    for (const cell of cells) {
      const length = Buffer.byteLength(cell, 'latin1');
      ids.push(labels.idOf(line, at, at + length));
      at += length + 1;
    }
    expect(ids).toEqual([0, 1, 2, 0, 3, 1, 4, 4]);
    expect(labels.labels).toEqual(['pop', 'rock', '', 'Pop', 'émo']);
    labels.tally(line, 0, 3);
    labels.tally(line, 4, 8);
    labels.tally(line, 14, 17);
    expect(labels.counts).toEqual([1, 1, 0, 1, 0]);
  });

  it('tells apart many labels, as a Map of strings does', () => {
    const labels = new ByteLabels();
    const byString = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const label = `c${(i * 7919) % 5003}`;
      const bytes = Buffer.from(`x,${label},y`);
      if (!byString.has(label)) byString.set(label, byString.size);
      expect(labels.idOf(bytes, 2, 2 + label.length)).toBe(byString.get(label));
    }
    expect(labels.labels).toEqual([...byString.keys()]);
  });
});
