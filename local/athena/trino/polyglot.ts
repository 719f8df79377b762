import { Dialect, generate, init, isInitialized, parse, transpile } from '@polyglot-sql/sdk';
import { AstNode } from './ast';

/**
 * The Trino parser and DuckDB generator of `@polyglot-sql/sdk`, a WebAssembly build of a
 * dialect transpiler: it reads Trino's grammar and writes DuckDB's, including many function
 * renames (`date_format` patterns, `json_extract_scalar`, `regexp_like`, …). What it cannot
 * know (types, Trino's errors) is added on its AST by the modules next to this one.
 */
export async function loadParser(): Promise<void> {
  if (!isInitialized()) await init();
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
