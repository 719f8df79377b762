import { randomUUID } from 'node:crypto';
import { JSONPath } from 'jsonpath-plus';
import { namedError } from './integrations';

/*
 * The Amazon States Language's intrinsic functions, parsed and evaluated as the specification
 * says, in place of aws-local-stepfunctions' own (which miscounts a parenthesis inside a quoted
 * argument, and drops every backslash from a result) and of asl-validator's format check (which
 * refuses an escaped backslash). See docs/athena-rules.md rule 12.
 */

/** An argument of an intrinsic function, as parsed. */
export type IntrinsicArgument =
  | { readonly kind: 'string'; readonly value: string; readonly formatParts: readonly string[] }
  | { readonly kind: 'literal'; readonly value: number | boolean | null }
  | { readonly kind: 'path'; readonly path: string }
  | IntrinsicCall;

export interface IntrinsicCall {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly IntrinsicArgument[];
}

/** The characters an intrinsic's string literal reserves, each written after a `\` to stand for itself (rule 12). */
const RESERVED = new Set(["'", '{', '}', '\\']);
/** "You can nest up to 10 intrinsic functions within a field" (rule 12). */
const MAX_NESTING = 10;

/** Whether a `.$` field's value is an intrinsic function rather than a path. */
export function isIntrinsic(value: string): boolean {
  return value.startsWith('States.');
}

/** Parses one intrinsic function call; a malformed one throws an error that says where and why. */
export function parseIntrinsic(text: string): IntrinsicCall {
  const parser = new Parser(text);
  const call = parser.call(1);
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail('unexpected text after the closing parenthesis');
  return call;
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  public atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  public skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.pos])) this.pos++;
  }

  public fail(reason: string): never {
    throw new Error(`invalid intrinsic function at character ${this.pos + 1} of ${this.text}: ${reason}`);
  }

  public call(depth: number): IntrinsicCall {
    if (depth > MAX_NESTING) this.fail(`more than ${MAX_NESTING} nested intrinsic functions`);
    const name = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.pos))?.[0];
    if (!name) this.fail('expected States.<Function>(');
    this.pos += name.length;
    if (this.text[this.pos] !== '(') this.fail(`expected ( after ${name}`);
    this.pos++;
    const args: IntrinsicArgument[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return { kind: 'call', name, args };
    }
    for (;;) {
      this.skipSpace();
      args.push(this.argument(depth));
      this.skipSpace();
      const next = this.text[this.pos++];
      if (next === ')') return { kind: 'call', name, args };
      if (next !== ',') {
        this.pos--;
        this.fail(this.atEnd() ? `missing ) at the end of ${name}` : 'expected , or )');
      }
    }
  }

  private argument(depth: number): IntrinsicArgument {
    const rest = this.text.slice(this.pos);
    if (rest.startsWith("'")) return this.string();
    if (rest.startsWith('$')) return this.path();
    if (rest.startsWith('States.')) return this.call(depth + 1);
    const literal = /^(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)(?=\s*[,)])/.exec(rest)?.[1];
    if (literal === undefined) this.fail("expected a 'string', a number, true, false, null, a path or an intrinsic function");
    this.pos += literal.length;
    return { kind: 'literal', value: JSON.parse(literal) };
  }

  /** A quoted string: `\` makes a reserved character stand for itself; an unescaped `{}` is States.Format's placeholder. */
  private string(): IntrinsicArgument {
    this.pos++;
    const parts: string[] = [];
    let part = '';
    for (;;) {
      if (this.atEnd()) this.fail("missing ' at the end of a string");
      const char = this.text[this.pos];
      if (char === "'") break;
      if (char === '\\') {
        const escaped = this.text[this.pos + 1];
        if (!RESERVED.has(escaped)) this.fail(`a \\ must be escaped as \\\\ (it is followed by ${escaped === undefined ? 'nothing' : `'${escaped}'`})`);
        part += escaped;
        this.pos += 2;
      } else if (char === '{' && this.text[this.pos + 1] === '}') {
        parts.push(part);
        part = '';
        this.pos += 2;
      } else if (char === '{' || char === '}') {
        this.fail(`${char} must be escaped as \\${char}, or be half of a {} placeholder`);
      } else {
        part += char;
        this.pos++;
      }
    }
    this.pos++;
    parts.push(part);
    return { kind: 'string', value: parts.join('{}'), formatParts: parts };
  }

  /** A path runs to the next `,` or `)` outside brackets and quotes. */
  private path(): IntrinsicArgument {
    const start = this.pos;
    let brackets = 0;
    let quote: string | undefined;
    while (!this.atEnd()) {
      const char = this.text[this.pos];
      if (quote) {
        if (char === quote) quote = undefined;
      } else if (char === "'" || char === '"') {
        quote = char;
      } else if (char === '[') {
        brackets++;
      } else if (char === ']') {
        brackets--;
      } else if (brackets === 0 && (char === ',' || char === ')' || /\s/.test(char))) {
        break;
      }
      this.pos++;
    }
    return { kind: 'path', path: this.text.slice(start, this.pos) };
  }
}

/** What an intrinsic reads: the state's input (`$`) and the context object (`$$`). */
export interface IntrinsicScope {
  readonly input: unknown;
  readonly context: unknown;
}

/** The value a path selects; a path that selects nothing fails the state, as Step Functions does. */
export function selectPath(path: string, scope: IntrinsicScope, field: string): unknown {
  const [json, query] = path.startsWith('$$') ? [scope.context, path.slice(1)] : [scope.input, path];
  const value = JSONPath({ path: query, json: json as object, wrap: false });
  if (value === undefined) {
    throw statesRuntimeError(`The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(scope.input)}'`);
  }
  return value;
}

type Value = unknown;
interface IntrinsicFunction {
  /** How many arguments it takes: exactly, or at least `min`. */
  readonly arity: number | { readonly min: number };
  readonly evaluate: (args: readonly Value[], call: IntrinsicCall, fail: (reason: string) => never) => Value;
}

const typeOf = (value: Value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * The intrinsic functions the construct's workflows use, as the Step Functions guide defines them
 * (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html). To add one,
 * add its entry here and a test in the intrinsic functions' tests.
 */
const FUNCTIONS: Record<string, IntrinsicFunction> = {
  'States.Format': {
    arity: { min: 1 },
    evaluate: ([template, ...values], call, fail) => {
      if (typeof template !== 'string') return fail(`its first argument must be a string (got ${typeOf(template)})`);
      const first = call.args[0];
      // A literal's escaped braces are text; a template read from a path has only placeholders.
      const parts = first.kind === 'string' ? first.formatParts : template.split('{}');
      if (parts.length - 1 !== values.length) fail(`the template has ${parts.length - 1} {} but ${values.length} values follow it`);
      values.forEach((value, i) => {
        if (typeof value === 'object' && value !== null) fail(`argument ${i + 2} must be a string, number, boolean or null (got ${typeOf(value)})`);
      });
      return parts.reduce((text, part, i) => text + String(values[i - 1]) + part);
    },
  },
  'States.StringToJson': {
    arity: 1,
    evaluate: ([text], _call, fail) => {
      if (typeof text !== 'string') return fail(`its argument must be a string (got ${typeOf(text)})`);
      try {
        return JSON.parse(text);
      } catch {
        return fail(`its argument is not JSON: ${text}`);
      }
    },
  },
  'States.ArrayLength': {
    arity: 1,
    evaluate: ([array], _call, fail) => (Array.isArray(array) ? array.length : fail(`its argument must be an array (got ${typeOf(array)})`)),
  },
  'States.UUID': {
    arity: 0,
    evaluate: () => randomUUID(),
  },
};

/** Checks what can be checked before running: the syntax, that the runner knows each function, each function's number of arguments. */
export function checkIntrinsic(text: string): void {
  const check = (call: IntrinsicCall): void => {
    const fn = FUNCTIONS[call.name];
    if (!fn) {
      throw new Error(`the local runner does not evaluate ${call.name} (it evaluates ${Object.keys(FUNCTIONS).join(', ')}): in ${text}`);
    }
    const expected = typeof fn.arity === 'number' ? fn.arity : fn.arity.min;
    if (typeof fn.arity === 'number' ? call.args.length !== expected : call.args.length < expected) {
      throw new Error(`${call.name} takes ${typeof fn.arity === 'number' ? 'exactly' : 'at least'} ${expected} argument${expected === 1 ? '' : 's'}, not ${call.args.length}: in ${text}`);
    }
    call.args.forEach((arg) => arg.kind === 'call' && check(arg));
  };
  check(parseIntrinsic(text));
}

/** Evaluates an intrinsic function; what fails at run time fails the state with `States.Runtime`, as in Step Functions. */
export function evaluateIntrinsic(text: string, scope: IntrinsicScope, field: string): Value {
  const evaluate = (call: IntrinsicCall): Value => {
    const args = call.args.map((arg) => {
      switch (arg.kind) {
        case 'string': return arg.value;
        case 'literal': return arg.value;
        case 'path': return selectPath(arg.path, scope, field);
        case 'call': return evaluate(arg);
      }
    });
    const fail = (reason: string): never => {
      throw statesRuntimeError(`The value for the field '${field}' must be a valid ${call.name} call: ${reason}`);
    };
    return FUNCTIONS[call.name].evaluate(args, call, fail);
  };
  return evaluate(parseIntrinsic(text));
}

/** Step Functions' `States.Runtime`: no Retry or Catch (not even `States.ALL`) matches it. */
export function statesRuntimeError(message: string): Error {
  return Object.assign(namedError('States.Runtime', message), { isRetryable: false, isCatchable: false });
}
