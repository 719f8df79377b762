import type { FileRead } from './file-reads';
import type { LocalAthena } from './local-athena';
import type { ResolvedStateMachine } from '../../assembly/definition';
import type { ExecutionResult } from '../../execution/executor';
import { integrationOf } from '../../execution/integrations';

/** One Athena query an execution ran, and what the engine read for it. */
export interface QueryReads {
  /** The Task state that ran it. */
  readonly state: string;
  readonly queryExecutionId: string;
  /** Every byte read from data files, footers included: the query's DataScannedInBytes. */
  readonly bytesRead: number;
  /** The files whose data (column chunks) the query read. */
  readonly dataFiles: string[];
  /** The files it opened only for their footer (a schema to bind the query, or row counts). */
  readonly footerOnlyFiles: string[];
  /** The files its scans opened, by DuckDB's profile (`Total Files Read`). */
  readonly filesScanned: number;
  /** What it read from each file. */
  readonly reads: FileRead[];
}

/**
 * The Athena queries of an execution, in the order they ran, each with what it read: the
 * files and bytes from DuckDB's file-system log, the files its scans opened from its profile.
 * A query's id is found where the state's ResultPath put it.
 */
export function queryReads(athena: LocalAthena, machine: ResolvedStateMachine, result: ExecutionResult): QueryReads[] {
  const states = machine.definition.States as Record<string, { Type: string; Resource?: string; ResultPath?: string | null }>;
  return result.events.flatMap((event) => {
    if (event.type !== 'StateExited') return [];
    const state = states[event.state.name];
    if (state?.Type !== 'Task' || integrationOf(state.Resource ?? '') !== 'athena:startQueryExecution.sync' || !state.ResultPath) return [];
    const queryExecutionId = valueAt(event.state.output, state.ResultPath)?.QueryExecutionId as string | undefined;
    if (!queryExecutionId) return [];
    const reads = athena.fileReads(queryExecutionId) ?? [];
    return [{
      state: event.state.name,
      queryExecutionId,
      bytesRead: reads.reduce((sum, read) => sum + read.bytes, 0),
      dataFiles: reads.filter((read) => read.dataBytes > 0).map((read) => read.path),
      footerOnlyFiles: reads.filter((read) => read.dataBytes === 0).map((read) => read.path),
      filesScanned: scansOf(athena.queryProfile(queryExecutionId) ?? {}).reduce((sum, scan) => sum + Number(scan['Total Files Read'] ?? 0), 0),
      reads,
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
