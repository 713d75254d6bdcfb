/**
 * The tokens of Hydra's OverrideLexer.g4 (Hydra 1.3), in its two modes: the key before the first
 * `=`, and the value after it. As in ANTLR, the longest match wins at each position and, between
 * rules that match the same length, the one defined first. Each pattern below is the regular
 * expression of the g4 rule it names.
 */

export type TokenType =
  // key mode
  | 'TILDE' | 'PLUS' | 'AT' | 'SLASH' | 'KEY_SPECIAL' | 'DOT_PATH'
  // both modes
  | 'EQUAL' | 'COLON' | 'ID'
  // value mode
  | 'POPEN' | 'COMMA' | 'PCLOSE' | 'BRACKET_OPEN' | 'BRACKET_CLOSE' | 'BRACE_OPEN' | 'BRACE_CLOSE'
  | 'FLOAT' | 'INT' | 'BOOL' | 'NULL' | 'UNQUOTED_CHAR' | 'ESC' | 'WS' | 'QUOTED_VALUE' | 'INTERPOLATION'
  | 'EOF';

export interface Token {
  type: TokenType;
  text: string;
  /** Offset of the token's first character in the override. */
  start: number;
}

/** Raised for a character no token starts with; `at` is its offset. */
export class LexerError extends Error {
  constructor(readonly at: number) {
    super(`no token at ${at}`);
  }
}

// Fragments.
const WS = '[ \\t]';
const INT_UNSIGNED = '(?:0|[1-9](?:_?[0-9])*)';
const DIGITS = '[0-9](?:_?[0-9])*';
const POINT_FLOAT = [`${INT_UNSIGNED}\\.`, `${INT_UNSIGNED}?\\.${DIGITS}`];
const EXPONENT = `[eE][+-]?${DIGITS}`;
const KEY_SPECIAL = '[a-zA-Z_$][a-zA-Z0-9_$-]*';
const ID = '[a-zA-Z_][a-zA-Z0-9_-]*';

type Rule = [TokenType, ...string[]];

// DEFAULT_MODE (the key).
const KEY_RULES: Rule[] = [
  ['EQUAL', `=${WS}*`],
  ['TILDE', '~'],
  ['PLUS', '\\+'],
  ['AT', '@'],
  ['COLON', ':'],
  ['SLASH', '/'],
  ['ID', ID],
  ['KEY_SPECIAL', KEY_SPECIAL],
  ['DOT_PATH', `(?:${KEY_SPECIAL}|${INT_UNSIGNED})(?:\\.(?:${KEY_SPECIAL}|${INT_UNSIGNED}))+`],
];

// VALUE_MODE.
const VALUE_RULES: Rule[] = [
  ['POPEN', `${WS}*\\(${WS}*`],
  ['COMMA', `${WS}*,${WS}*`],
  ['PCLOSE', `${WS}*\\)`],
  ['BRACKET_OPEN', `\\[${WS}*`],
  ['BRACKET_CLOSE', `${WS}*\\]`],
  ['BRACE_OPEN', `\\{${WS}*`],
  ['BRACE_CLOSE', `${WS}*\\}`],
  ['COLON', `${WS}*:${WS}*`],
  ['EQUAL', `${WS}*=${WS}*`],
  ['FLOAT', ...[...POINT_FLOAT, ...[INT_UNSIGNED, ...POINT_FLOAT].map((base) => `(?:${base})${EXPONENT}`), '[Ii][Nn][Ff]', '[Nn][Aa][Nn]'].map((body) => `[+-]?(?:${body})`)],
  ['INT', `[+-]?${INT_UNSIGNED}`],
  ['BOOL', '[Tt][Rr][Uu][Ee]', '[Ff][Aa][Ll][Ss][Ee]'],
  ['NULL', '[Nn][Uu][Ll][Ll]'],
  ['UNQUOTED_CHAR', '[/\\-\\\\+.$%*@?|]'],
  ['ID', ID],
  ['ESC', '(?:\\\\\\\\|\\\\\\(|\\\\\\)|\\\\\\[|\\\\\\]|\\\\\\{|\\\\\\}|\\\\:|\\\\=|\\\\,|\\\\ |\\\\\\t)+'],
  ['WS', `${WS}+`],
  // A quote, then anything up to the first quote not escaped by an odd run of backslashes.
  ['QUOTED_VALUE', `"(?:[^"\\\\]|\\\\[\\s\\S])*"`, `'(?:[^'\\\\]|\\\\[\\s\\S])*'`],
  ['INTERPOLATION', '\\$\\{[^}]+\\}'],
];

interface CompiledRule {
  type: TokenType;
  patterns: RegExp[];
}

const compile = (rules: Rule[]): CompiledRule[] =>
  rules.map(([type, ...patterns]) => ({ type, patterns: patterns.map((p) => new RegExp(p, 'y')) }));

const KEY_MODE = compile(KEY_RULES);
const VALUE_MODE = compile(VALUE_RULES);

/** Splits an override into tokens; the mode switches to the value at the key's `=`. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let mode = KEY_MODE;
  let at = 0;
  while (at < text.length) {
    const token = longestMatch(mode, text, at);
    if (!token) throw new LexerError(at);
    tokens.push(token);
    at += token.text.length;
    if (mode === KEY_MODE && token.type === 'EQUAL') mode = VALUE_MODE;
  }
  tokens.push({ type: 'EOF', text: '', start: text.length });
  return tokens;
}

function longestMatch(mode: CompiledRule[], text: string, at: number): Token | undefined {
  let best: Token | undefined;
  for (const rule of mode) {
    for (const pattern of rule.patterns) {
      pattern.lastIndex = at;
      const match = pattern.exec(text);
      if (match && match[0].length > 0 && match[0].length > (best?.text.length ?? 0)) {
        best = { type: rule.type, text: match[0], start: at };
      }
    }
  }
  return best;
}
