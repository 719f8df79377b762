/**
 * Which `TargetQueries` factory made a set of statements, and what its options call the fields
 * the construct validates, so that an error about them names the option the user wrote
 * (`initialWatermark`), not the field it became (`watermark.initialValue`).
 */
interface QueryOrigin {
  readonly method: string;
  /** Option names by field: `createTargetQuery`, `updateTargetQuery`, `watermark.<field>`. */
  readonly names: Record<string, string>;
}

const origins = new WeakMap<object, QueryOrigin>();

export function recordOrigin(queries: object, method: string, names: Record<string, string>): void {
  origins.set(queries, { method, names });
}

/** How an error names a field of the statements: as the prop the user set, or inside `queries`. */
export function propNamer(queries: object | undefined): (field: string) => string {
  if (!queries) return (field) => field;
  const origin = origins.get(queries);
  return (field) => (origin ? `queries (TargetQueries.${origin.method}: ${origin.names[field] ?? field})` : `queries (${field})`);
}
