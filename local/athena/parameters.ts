import { AthenaQueryError } from './errors';
import { tokenize } from './lexer';

/**
 * Puts Athena's `ExecutionParameters` in place of the statement's `?` markers, in order. Athena
 * takes each value as SQL text (`'2026-01-31'` is a string literal, `5` a number), so the
 * values are inserted as written.
 */
export function bindExecutionParameters(statement: string, parameters: readonly string[] = []): string {
  const markers = tokenize(statement).filter((token) => token.kind === 'parameter');
  if (markers.length !== parameters.length) {
    throw new AthenaQueryError(
      `Incorrect number of parameters: expected ${markers.length} but found ${parameters.length}`,
    );
  }
  let bound = statement;
  for (let i = markers.length - 1; i >= 0; i--) {
    bound = bound.slice(0, markers[i].start) + parameters[i] + bound.slice(markers[i].end);
  }
  return bound;
}
