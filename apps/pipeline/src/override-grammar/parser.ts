/**
 * A recursive-descent parser for Hydra's OverrideParser.g4 (Hydra 1.3), one function per rule.
 * It builds a syntax tree; evaluate.ts gives it its values.
 */
import { type Token, type TokenType, tokenize } from './lexer.js';

export type Prefix = '' | '+' | '++' | '~';

export interface OverrideSyntax {
  prefix: Prefix;
  /** The config key or group path: `a.b.c`, `db`, `server/db`, or '' (Hydra allows an empty key). */
  key: string;
  /** After `@`: `group@pkg`; '' for `group@`; undefined without `@`. */
  package?: string;
  /** Whether an `=` follows the key (`~key` has none). */
  hasEquals: boolean;
  /** The value after `=`, if any: one element, or the elements of a simple sweep `a,b,c`. */
  value?: ElementNode | SimpleSweepNode;
}

export interface SimpleSweepNode {
  kind: 'simpleSweep';
  elements: ElementNode[];
  start: number;
  end: number;
}

export type ElementNode = PrimitiveNode | ListNode | DictNode | FunctionNode;

export interface PrimitiveNode {
  kind: 'primitive';
  tokens: Token[];
  start: number;
  end: number;
}

export interface ListNode {
  kind: 'list';
  items: ElementNode[];
  start: number;
  end: number;
}

export interface DictNode {
  kind: 'dict';
  pairs: { key: PrimitiveNode; value: ElementNode }[];
  start: number;
  end: number;
}

export interface FunctionNode {
  kind: 'function';
  name: string;
  args: { name?: string; value: ElementNode }[];
  start: number;
  end: number;
}

/** The override does not follow the grammar: at offset `at`, `expected` was wanted, `found` came. */
export class OverrideSyntaxError extends Error {
  constructor(
    readonly at: number,
    readonly expected: string,
    readonly found: Token | undefined,
  ) {
    super(`expected ${expected}`);
  }
}

// primitive: QUOTED_VALUE | (ID | NULL | INT | FLOAT | BOOL | INTERPOLATION | UNQUOTED_CHAR | COLON | ESC | WS)+
const PRIMITIVE_TOKENS = new Set<TokenType>(['ID', 'NULL', 'INT', 'FLOAT', 'BOOL', 'INTERPOLATION', 'UNQUOTED_CHAR', 'COLON', 'ESC', 'WS']);
// dictKey: the same without COLON and INTERPOLATION (and without QUOTED_VALUE).
const DICT_KEY_TOKENS = new Set<TokenType>(['ID', 'NULL', 'INT', 'FLOAT', 'BOOL', 'UNQUOTED_CHAR', 'ESC', 'WS']);

export function parseOverrideSyntax(text: string): OverrideSyntax {
  return new Parser(tokenize(text)).override();
}

class Parser {
  private at = 0;

  constructor(private readonly tokens: Token[]) {}

  private get current(): Token {
    return this.tokens[this.at];
  }

  private peek(offset = 1): Token {
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)];
  }

  private is(type: TokenType): boolean {
    return this.current.type === type;
  }

  private take(): Token {
    const token = this.current;
    if (token.type !== 'EOF') this.at++;
    return token;
  }

  private expect(type: TokenType, expected: string): Token {
    if (!this.is(type)) throw this.error(expected);
    return this.take();
  }

  private error(expected: string): OverrideSyntaxError {
    return new OverrideSyntaxError(this.current.start, expected, this.current);
  }

  // override: (key EQUAL value? | TILDE key (EQUAL value?)? | PLUS PLUS? key EQUAL value?) EOF
  override(): OverrideSyntax {
    let prefix: Prefix = '';
    if (this.is('TILDE')) {
      this.take();
      prefix = '~';
    } else if (this.is('PLUS')) {
      this.take();
      prefix = '+';
      if (this.is('PLUS')) {
        this.take();
        prefix = '++';
      }
    }
    const { key, package: pkg } = this.key();
    let hasEquals = false;
    let value: OverrideSyntax['value'];
    if (prefix !== '~' || this.is('EQUAL')) {
      this.expect('EQUAL', prefix === '~' ? '"=" or the end' : '"="');
      hasEquals = true;
      if (!this.is('EOF')) value = this.value();
    }
    this.expect('EOF', value ? '"," or the end of the value' : prefix === '~' && !hasEquals ? '"=" or the end' : 'the end');
    return { prefix, key, package: pkg, hasEquals, value };
  }

  // key: packageOrGroup (AT package)?
  private key(): { key: string; package?: string } {
    const key = this.packageOrGroup();
    if (!this.is('AT')) return { key };
    this.take();
    return { key, package: this.package() };
  }

  // packageOrGroup: package | ID (SLASH ID)+
  private packageOrGroup(): string {
    if (this.is('ID') && this.peek().type === 'SLASH') {
      let path = this.take().text;
      while (this.is('SLASH')) {
        this.take();
        path += `/${this.expect('ID', 'a config group name after "/"').text}`;
      }
      return path;
    }
    return this.package();
  }

  // package: ( | ID | KEY_SPECIAL | DOT_PATH)
  private package(): string {
    if (this.is('ID') || this.is('KEY_SPECIAL') || this.is('DOT_PATH')) return this.take().text;
    return '';
  }

  // value: element | simpleChoiceSweep; simpleChoiceSweep: element (COMMA element)+
  private value(): ElementNode | SimpleSweepNode {
    const first = this.element();
    if (!this.is('COMMA')) return first;
    const elements = [first];
    while (this.is('COMMA')) {
      this.take();
      elements.push(this.element());
    }
    return { kind: 'simpleSweep', elements, start: first.start, end: elements[elements.length - 1].end };
  }

  // element: primitive | listContainer | dictContainer | function
  private element(): ElementNode {
    if (this.is('BRACKET_OPEN')) return this.listContainer();
    if (this.is('BRACE_OPEN')) return this.dictContainer();
    if (this.is('ID') && this.peek().type === 'POPEN') return this.function();
    return this.primitive();
  }

  // function: ID POPEN (argName? element (COMMA argName? element)*)? PCLOSE; argName: ID EQUAL
  private function(): FunctionNode {
    const name = this.take();
    this.take(); // POPEN
    const args: FunctionNode['args'] = [];
    if (!this.is('PCLOSE')) {
      do {
        if (args.length > 0) this.take(); // COMMA
        let argName: string | undefined;
        if (this.is('ID') && this.peek().type === 'EQUAL') {
          argName = this.take().text;
          this.take();
        }
        args.push({ name: argName, value: this.element() });
      } while (this.is('COMMA'));
    }
    const close = this.expect('PCLOSE', `"," or ")" to close ${name.text}(`);
    return { kind: 'function', name: name.text, args, start: name.start, end: close.start + close.text.length };
  }

  // listContainer: BRACKET_OPEN (element (COMMA element)*)? BRACKET_CLOSE
  private listContainer(): ListNode {
    const open = this.take();
    const items: ElementNode[] = [];
    if (!this.is('BRACKET_CLOSE')) {
      items.push(this.element());
      while (this.is('COMMA')) {
        this.take();
        items.push(this.element());
      }
    }
    const close = this.expect('BRACKET_CLOSE', '"," or "]"');
    return { kind: 'list', items, start: open.start, end: close.start + close.text.length };
  }

  // dictContainer: BRACE_OPEN (dictKeyValuePair (COMMA dictKeyValuePair)*)? BRACE_CLOSE
  // dictKeyValuePair: dictKey COLON element
  private dictContainer(): DictNode {
    const open = this.take();
    const pairs: DictNode['pairs'] = [];
    if (!this.is('BRACE_CLOSE')) {
      do {
        if (pairs.length > 0) this.take(); // COMMA
        const key = this.tokensOf(DICT_KEY_TOKENS, 'a dict key (an unquoted name, number, bool or null)');
        this.expect('COLON', '":" after the dict key');
        pairs.push({ key, value: this.element() });
      } while (this.is('COMMA'));
    }
    const close = this.expect('BRACE_CLOSE', '"," or "}"');
    return { kind: 'dict', pairs, start: open.start, end: close.start + close.text.length };
  }

  private primitive(): PrimitiveNode {
    if (this.is('QUOTED_VALUE')) {
      const token = this.take();
      return { kind: 'primitive', tokens: [token], start: token.start, end: token.start + token.text.length };
    }
    return this.tokensOf(PRIMITIVE_TOKENS, 'a value');
  }

  private tokensOf(allowed: Set<TokenType>, expected: string): PrimitiveNode {
    const tokens: Token[] = [];
    while (allowed.has(this.current.type)) tokens.push(this.take());
    if (tokens.length === 0) throw this.error(expected);
    const last = tokens[tokens.length - 1];
    return { kind: 'primitive', tokens, start: tokens[0].start, end: last.start + last.text.length };
  }
}
