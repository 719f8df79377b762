import type { LocalAthena } from './athena/local-athena';
import type { ResolvedStateMachine } from './definition';
import type { ExecutionResult } from './executor';
import { integrationOf } from './task-handlers';

/** One Athena query an execution ran, and what the engine read for it. */
export interface QueryReads {
  /** The Task state that ran it. */
  readonly state: string;
  readonly queryExecutionId: string;
  /** DuckDB's `total_bytes_read`: the local counterpart of Athena's DataScannedInBytes. */
  readonly bytesRead: number;
  /** Data files opened by the query's scans. */
  readonly filesRead: number;
  /** The data files, as far as DuckDB's profile names them (it shortens long lists with `...`). */
  readonly files: string[];
}

/**
 * The Athena queries of an execution, in the order they ran, each with the bytes and files
 * DuckDB's profile says it read. A query's id is found where the state's ResultPath put it.
 */
export function queryReads(athena: LocalAthena, machine: ResolvedStateMachine, result: ExecutionResult): QueryReads[] {
  const states = machine.definition.States as Record<string, { Type: string; Resource?: string; ResultPath?: string | null }>;
  return result.events.flatMap((event) => {
    if (event.type !== 'StateExited') return [];
    const state = states[event.state.name];
    if (state?.Type !== 'Task' || integrationOf(state.Resource ?? '') !== 'athena:startQueryExecution.sync' || !state.ResultPath) return [];
    const queryExecutionId = valueAt(event.state.output, state.ResultPath)?.QueryExecutionId as string | undefined;
    if (!queryExecutionId) return [];
    const profile = athena.queryProfile(queryExecutionId) ?? {};
    const scans = scansOf(profile);
    return [{
      state: event.state.name,
      queryExecutionId,
      bytesRead: Number(profile.total_bytes_read ?? 0),
      filesRead: scans.reduce((sum, scan) => sum + Number(scan['Total Files Read'] ?? 0), 0),
      files: scans.flatMap((scan) => String(scan['Filename(s)'] ?? '').split(', ').filter((file) => file !== '')),
    }];
  });
}

/**
 * State transitions as Step Functions bills them: each state entered, and each retry of one.
 */
export function stateTransitions(result: ExecutionResult): number {
  return result.events.filter((event) => event.type === 'StateEntered' || event.type === 'StateRetried').length;
}

/** The `extra_info` of every operator of a DuckDB JSON profile that read files. */
function scansOf(node: Record<string, any>): Array<Record<string, unknown>> {
  const own = node.extra_info && node.extra_info['Total Files Read'] !== undefined ? [node.extra_info] : [];
  return [...own, ...((node.children ?? []) as Array<Record<string, any>>).flatMap(scansOf)];
}

/** The value at a plain `$.a.b` reference path. */
function valueAt(document: unknown, referencePath: string): Record<string, unknown> | undefined {
  let value: any = document;
  for (const key of referencePath.replace(/^\$\.?/, '').split('.').filter((part) => part !== '')) value = value?.[key];
  return value;
}
