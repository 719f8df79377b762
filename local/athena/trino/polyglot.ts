import { setFlagsFromString } from 'node:v8';
import { Dialect, generate, init, isInitialized, parse, transpile } from '@polyglot-sql/sdk';

/**
 * A node of polyglot's AST: an object with one key, the node's kind, whose value holds its
 * fields (`{ div: { left, right } }`, `{ function: { name, args } }`).
 */
export type AstNode = Record<string, any>;

let loading: Promise<void> | undefined;

/**
 * The Trino parser and DuckDB generator of `@polyglot-sql/sdk`, a WebAssembly build of a
 * dialect transpiler: it reads Trino's grammar and writes DuckDB's, including many function
 * renames (`date_format` patterns, `json_extract_scalar`, `regexp_like`, …). What it cannot
 * know (types, Trino's errors) is added on its AST by the modules next to this one.
 */
export function loadParser(): Promise<void> {
  if (isInitialized()) return Promise.resolve();
  if (!loading) {
    useBaselineWebAssemblyCompilerOnly();
    loading = init();
  }
  return loading;
}

/**
 * Keeps WebAssembly on V8's baseline compiler (Liftoff) in this process. polyglot's module is
 * 22 MB: on a two-core machine, V8's optimizing compiler (TurboFan) spent about 5 s of CPU time
 * re-compiling its hot functions in background threads during a five-execution run, starving
 * DuckDB's threads and making each later execution about 450 ms instead of about 20 ms (the
 * query texts are short: optimized code never pays back its compilation). The flag is set before
 * the module compiles and left set, as V8 may choose a function's tiers when it first runs
 * (lazy compilation). It changes how fast WebAssembly runs, never what it computes.
 * (`v8.setFlagsFromString`: https://nodejs.org/api/v8.html#v8setflagsfromstringflags)
 */
function useBaselineWebAssemblyCompilerOnly(): void {
  setFlagsFromString('--liftoff-only');
}

/** The statements of a Trino text as polyglot's AST, or the parser's message. */
export function parseTrino(sql: string): { ast?: AstNode[]; error?: string } {
  const result = parse(sql, Dialect.Trino);
  return result.success ? { ast: result.ast as unknown as AstNode[] } : { error: result.error ?? 'syntax error' };
}

/**
 * DuckDB SQL for an AST read from Trino: written back as Trino, then transpiled, as polyglot's
 * function translations (`date_format` patterns, `approx_distinct`, `listagg`…) happen in its
 * transpiler, not its generator. Functions the rewrites introduce are DuckDB macros or names
 * Trino does not have, which the transpiler passes through.
 */
export function generateDuckDb(ast: AstNode[]): string {
  const trino = generate(ast, Dialect.Trino);
  if (!trino.success || !trino.sql) throw new Error(`polyglot could not write the query back: ${trino.error}`);
  const result = transpile(trino.sql.join(';\n'), Dialect.Trino, Dialect.DuckDB);
  if (!result.success || !result.sql) throw new Error(`polyglot could not transpile the query: ${result.error}`);
  return result.sql.join(';\n');
}
