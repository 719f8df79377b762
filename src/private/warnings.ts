import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CODE_PREFIX } from './errors';
import { ResolvedProps } from './resolved-props';

/** What the warnings read of the statements. */
export interface WarnedStatements {
  readonly createTargetQuery: string;
}

/**
 * Warnings about the props, each with an id a user can acknowledge (`Annotations.of(construct).acknowledgeWarning(id)`),
 * for combinations of props that deploy but that docs/guarantees.md calls unsafe.
 */
export function warnOfUnsafeCombinations(
  scope: IConstruct,
  props: Pick<ResolvedProps, 'target' | 'workGroupName' | 'schedule' | 'singleWriter' | 'sourceDataLocations'>,
  statements: WarnedStatements,
): void {
  const warn = (id: string, message: string) => Annotations.of(scope).addWarningV2(`${CODE_PREFIX}:${id}`, message);
  const create = Token.isUnresolved(statements.createTargetQuery) ? undefined : statements.createTargetQuery;
  const s3Table = props.target.s3TablesTarget !== undefined;
  if (create !== undefined && props.workGroupName !== undefined && /\bexternal_location\s*=/i.test(create)) {
    warn('externalLocationInExistingWorkGroup',
      `The create statement sets external_location, and Athena fails such a CTAS in a workgroup that enforces its result location (athena-rules.md). If workgroup '${props.workGroupName}' does, create an Iceberg target (location = '{{targetLocation}}') or turn that setting off.`);
  }
  if (s3Table && props.workGroupName !== undefined) {
    warn('s3TablesInExistingWorkGroup',
      `The target is an S3 table, and Athena runs no INSERT, UPDATE, DELETE or MERGE on S3 Tables in a workgroup that encrypts query results with SSE-KMS or CSE-KMS, nor any DML in one with Requester Pays on. If workgroup '${props.workGroupName}' does, every update fails: use a workgroup that encrypts results with SSE-S3, or leave workGroupName unset.`);
  }
  if (props.schedule && !props.singleWriter) {
    warn('scheduleWithoutGuard',
      'schedule starts executions by itself while singleWriter is false: an execution that starts while the previous one still runs loads the same rows again, and they are inserted twice. Leave singleWriter at its default (true).');
  }
  if (props.sourceDataLocations.length === 0) {
    warn('noSourceDataLocations',
      'sourceDataLocations is not set: the workflow\'s role may read no source data, so its queries will fail with Access Denied. Name the S3 locations of the source tables.');
  }
}
