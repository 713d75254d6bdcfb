/**
 * Writes a value back as override text, as Hydra's sweepers do for each job
 * (`Override._get_value_element_as_str`): `1.0`, `'a b'`, `[1,2]`, `{a:10}`, and the special
 * characters of unquoted strings escaped (`a\,b`).
 */
import { floatRepr } from './python.js';
import { PyDict, PyFloat, PyInt, QuotedString, type Value } from './values.js';

export function valueText(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return escapeSpecialCharacters(value);
  if (value instanceof PyInt) return value.value.toString();
  if (value instanceof PyFloat) return floatRepr(value.value);
  if (value instanceof QuotedString) return withQuotes(value);
  if (Array.isArray(value)) return `[${value.map(valueText).join(',')}]`;
  if (value instanceof PyDict) return `{${value.entries.map(([key, item]) => `${valueText(key)}:${valueText(item)}`).join(',')}}`;
  throw new TypeError(`a ${value.constructor.name} cannot be written as one value`);
}

const SPECIAL = /[\\()[\]{}:=, \t]/g;

/** Hydra's `escape_special_characters`: a backslash before each of \()[]{}:=, space and tab. */
export function escapeSpecialCharacters(s: string): string {
  return s.replace(SPECIAL, (c) => `\\${c}`);
}

/** Hydra's `QuotedString.with_quotes`: the quote escaped, and backslash runs before a quote doubled. */
export function withQuotes(value: QuotedString): string {
  const q = value.quote;
  let out = '';
  const text = value.text;
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\') {
      let run = 0;
      while (text[i + run] === '\\') run++;
      const beforeQuote = text[i + run] === q || i + run === text.length;
      out += '\\'.repeat(beforeQuote ? run * 2 : run);
      i += run;
    } else if (text[i] === q) {
      out += `\\${q}`;
      i++;
    } else {
      out += text[i++];
    }
  }
  return `${q}${out}${q}`;
}
