/**
 * A value as Trino's documentation prints it: scalars as text, `null` for NULL, arrays as
 * lists, maps as `{ map: [[key, value], …] }` (compared without regard to order, as Trino's
 * maps have none).
 */
export type Cell = string | null | Cell[] | { readonly map: ReadonlyArray<readonly Cell[]> };

/** One documented Trino behaviour, checked against the local runner. */
export interface ConformanceCase {
  /** The function family, for the figures. */
  readonly family: string;
  /** A query that runs as a plain SELECT and as the body of a CTAS. */
  readonly query: string;
  /** Its rows, as Trino documents them (none when it fails). */
  readonly rows: ReadonlyArray<readonly Cell[]>;
  /** The failure Trino documents, when the query fails: a part of its message. @default - the query succeeds */
  readonly error?: string;
  /** The Glue types Athena registers for its columns in a CTAS (Trino's `varchar` is `string`). */
  readonly types: readonly string[];
  /** The trino.io page that documents the result. */
  readonly source: string;
  /** Whether the order of the rows is part of the result (the query has an ORDER BY). @default false */
  readonly ordered?: boolean;
}

/** The trino.io URL of a page under docs/current. */
export const trinoDocs = (page: string): string => `https://trino.io/docs/current/${page}.html`;
