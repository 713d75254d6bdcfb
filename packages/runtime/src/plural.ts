/** A count with its noun in the right number: `plural(1, 'run')` is "1 run", `plural(2, 'class', 'classes')` "2 classes". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
