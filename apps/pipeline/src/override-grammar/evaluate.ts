/**
 * Gives a parsed override its value, as Hydra's HydraOverrideVisitor does: primitives are typed
 * from their single token (or joined into a string), quoted strings are unescaped, and functions
 * are called bottom-up.
 */
import type { Token } from './lexer.js';
import type { ElementNode, OverrideSyntax, PrimitiveNode } from './parser.js';
import { FUNCTIONS, callFunction } from './functions.js';
import { PythonError, floatFromString } from './python.js';
import { ChoiceSweepValue, type DictKey, PyDict, PyFloat, PyInt, QuotedString, type Value } from './values.js';

/** A failure while evaluating: `message` says what, `start`..`end` is the part of the override it concerns. */
export class EvaluationError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

/** The value of an override's right-hand side: '' for `key=`, undefined for a bare `~key`. */
export function evaluateValue(syntax: OverrideSyntax, text: string): Value | undefined {
  if (!syntax.hasEquals) return undefined;
  if (!syntax.value) return '';
  if (syntax.value.kind === 'simpleSweep') return new ChoiceSweepValue(syntax.value.elements.map((e) => evaluateElement(e, text)), true);
  return evaluateElement(syntax.value, text);
}

function evaluateElement(node: ElementNode, text: string): Value {
  switch (node.kind) {
    case 'primitive':
      return primitiveValue(node);
    case 'list':
      return node.items.map((item) => evaluateElement(item, text));
    case 'dict':
      return PyDict.from(node.pairs.map(({ key, value }) => [primitiveValue(key) as DictKey, evaluateElement(value, text)]));
    case 'function': {
      const source = text.slice(node.start, node.end);
      if (!(node.name in FUNCTIONS)) {
        throw new EvaluationError(`unknown function ${node.name}() in ${source}; the functions are ${Object.keys(FUNCTIONS).sort().join(', ')}`, node.start, node.end);
      }
      const args: Value[] = [];
      const kwargs: Record<string, Value> = {};
      for (const arg of node.args) {
        // Hydra unquotes the arguments themselves, not the strings inside lists or dicts.
        const value = unquoted(evaluateElement(arg.value, text));
        if (arg.name !== undefined) kwargs[arg.name] = value;
        else if (Object.keys(kwargs).length > 0) throw new EvaluationError(`positional argument follows keyword argument in ${source}`, arg.value.start, arg.value.end);
        else args.push(value);
      }
      try {
        return callFunction(node.name, args, kwargs);
      } catch (error) {
        if (error instanceof PythonError) throw new EvaluationError(`${error.type} while evaluating '${source}': ${error.message}`, node.start, node.end);
        throw error;
      }
    }
  }
}

function unquoted(value: Value): Value {
  return value instanceof QuotedString ? value.text : value;
}

/** Hydra's `_createPrimitive`: one token keeps its type; several are joined into a string. */
function primitiveValue(node: PrimitiveNode): Value {
  let tokens = node.tokens;
  if (tokens[0].type === 'WS') {
    if (tokens.length === 1) throw new EvaluationError('a value cannot be only whitespace', node.start, node.end);
    tokens = tokens.slice(1);
  }
  if (tokens[tokens.length - 1].type === 'WS') tokens = tokens.slice(0, -1);
  if (tokens.length > 1) return tokens.map((t) => (t.type === 'ESC' ? unescape(t) : t.text)).join('');
  const [token] = tokens;
  switch (token.type) {
    case 'QUOTED_VALUE':
      return unquote(token.text);
    case 'INT':
      return new PyInt(BigInt(token.text.replace(/_/g, '').replace(/^\+/, '')));
    case 'FLOAT':
      return new PyFloat(floatFromString(token.text));
    case 'NULL':
      return null;
    case 'BOOL':
      return token.text.toLowerCase() === 'true';
    case 'ESC':
      return unescape(token);
    default:
      return token.text;
  }
}

/** `\,` is `,`, `\\` is `\`: every escape is two characters, and the second is kept. */
function unescape(token: Token): string {
  let out = '';
  for (let i = 1; i < token.text.length; i += 2) out += token.text[i];
  return out;
}

/**
 * A quoted value's text: only backslashes right before a quote of the same kind are escapes
 * (`\'` is `'`, `\\'` before the closing quote is `\`); every other backslash is kept as is.
 */
function unquote(quoted: string): QuotedString {
  const quote = quoted[0] as "'" | '"';
  const body = quoted.slice(1, -1);
  let out = '';
  let i = 0;
  while (i < body.length) {
    if (body[i] !== '\\') {
      out += body[i++];
      continue;
    }
    let run = 0;
    while (body[i + run] === '\\') run++;
    const beforeQuote = body[i + run] === quote;
    const atEnd = i + run === body.length;
    if (beforeQuote || atEnd) {
      // An odd run escapes the quote after it; at the end, the run escapes the closing quote's backslashes.
      out += '\\'.repeat(Math.floor(run / 2));
      if (beforeQuote) out += quote;
      i += run + (beforeQuote ? 1 : 0);
    } else {
      out += '\\'.repeat(run);
      i += run;
    }
  }
  return new QuotedString(out, quote);
}
