import { AthenaApiError, AthenaQueryError } from './errors';
import type { LocalWorkGroup } from '../../assembly/definition';
import { isS3TablesDatabase, localDatabase } from '../statements/catalog-views';
import { AthenaStatement } from '../statements/statement';

/** What a query's `ResultConfiguration` says, as the client sent it. */
export interface ClientResultConfiguration {
  readonly OutputLocation?: string;
  readonly EncryptionConfiguration?: { readonly EncryptionOption: string; readonly KmsKey?: string };
}

/**
 * The result configuration a query runs with. A workgroup that enforces its configuration uses
 * its own for every query, whatever the client sent; one that does not uses the client's, and
 * its own where the client sent none
 * (https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html).
 */
export function effectiveResultConfiguration(
  workGroup: LocalWorkGroup | undefined,
  client: ClientResultConfiguration | undefined,
): ClientResultConfiguration {
  const own: ClientResultConfiguration = {
    OutputLocation: workGroup?.outputLocation,
    EncryptionConfiguration: workGroup?.encryptionOption
      ? { EncryptionOption: workGroup.encryptionOption, ...(workGroup.kmsKey ? { KmsKey: workGroup.kmsKey } : {}) }
      : undefined,
  };
  if (workGroup?.enforceConfiguration) return own;
  return {
    OutputLocation: client?.OutputLocation ?? own.OutputLocation,
    EncryptionConfiguration: client?.EncryptionConfiguration ?? own.EncryptionConfiguration,
  };
}

/**
 * Refuses, as `StartQueryExecution` does, a Hive CTAS that sets `external_location` in a workgroup
 * that enforces its result location. An Iceberg CTAS's `location` is not named by the guide, so
 * it is allowed (https://docs.aws.amazon.com/athena/latest/ug/workgroups-troubleshooting.html).
 */
export function checkWorkGroupRules(workGroup: LocalWorkGroup | undefined, statement: AthenaStatement): void {
  if (!workGroup?.enforceConfiguration || statement.kind !== 'CREATE_TABLE_AS_SELECT') return;
  if (statement.properties.tableType !== 'ICEBERG' && statement.properties.externalLocation !== undefined) {
    throw new AthenaApiError('InvalidRequestException',
      "The Create Table As Select query failed because it was submitted with an 'external_location' property to an Athena Workgroup that enforces a centralized output location for all queries. Please remove the 'external_location' property and resubmit the query.");
  }
}

/**
 * Fails a write to an S3 table in a query whose results are encrypted with SSE-KMS or CSE-KMS:
 * "In workgroups with SSE-KMS, CSE-KMS encryption enabled, you can't run write operations like
 * INSERT, UPDATE, DELETE, or MERGE on S3 Tables"
 * (https://docs.aws.amazon.com/athena/latest/ug/gdc-register-s3-table-bucket-cat.html). The guide
 * gives no error message, nor whether the query fails or is refused: the local runner fails the
 * query, in its own words.
 */
export function checkS3TablesWrite(results: ClientResultConfiguration, statement: AthenaStatement, contextDatabase: string): void {
  if (statement.kind !== 'INSERT' && statement.kind !== 'MERGE') return;
  const database = statement.table.database !== undefined ? localDatabase(statement.table.catalog, statement.table.database) : contextDatabase;
  const encryption = results.EncryptionConfiguration?.EncryptionOption;
  if (isS3TablesDatabase(database) && (encryption === 'SSE_KMS' || encryption === 'CSE_KMS')) {
    throw new AthenaQueryError(`${statement.kind} into an S3 table cannot run with query results encrypted with ${encryption} (Athena documents that workgroups with SSE-KMS or CSE-KMS encryption cannot write to S3 Tables; the message is the local runner's)`);
  }
}
