import { AsyncLocalStorage } from 'node:async_hooks';
import { AuthorizationRequest, Decision, evaluate } from './policy-evaluator';
import { LOCAL_PSEUDO_PARAMETERS, PseudoParameters } from '../assembly/cfn-intrinsics';
import type { StateMachineRole } from '../assembly/definition';
import { namedError } from '../execution/integrations';

/** The role of the execution whose calls are being served, for the stand-ins that act on its behalf (Athena). */
export const executionRole = new AsyncLocalStorage<RoleAuthorizer>();

/** The bucket the runner puts the fixture tables that do not state their S3 location in. */
export const UNSTATED_SOURCE_BUCKET = 'local-source-tables';

/**
 * Checks each call an execution makes with its role, and each S3 object Athena reads or writes on
 * the role's behalf, against the role's identity policies (see docs/athena-rules.md rule 20).
 */
export class RoleAuthorizer {
  /** Tables whose reads were not checked: their fixtures do not state their S3 location. */
  public readonly uncheckedTables = new Set<string>();
  /** Whether Athena read or wrote an S3 table's data, which S3 Tables authorizes by its own actions, not checked here. */
  public s3TablesData = false;

  constructor(private readonly role: StateMachineRole, private readonly environment: PseudoParameters = LOCAL_PSEUDO_PARAMETERS) {}

  public decide(request: AuthorizationRequest): Decision {
    return evaluate(this.role.policies, request);
  }

  /**
   * Fails a Task's call as the service fails it when one of its requests is denied:
   * `<Service>.AccessDeniedException`, with AWS's message naming the action and the resource.
   */
  public authorizeTask(service: string, requests: readonly AuthorizationRequest[]): void {
    const denial = this.firstDenial(requests);
    if (denial) throw namedError(`${service}.AccessDeniedException`, `${denial} (Service: ${service}, Status Code: 400, Error Code: AccessDeniedException)`);
  }

  /** AWS's message for the first request the policies deny; undefined when all are allowed. */
  public firstDenial(requests: readonly AuthorizationRequest[]): string | undefined {
    for (const request of requests) {
      const decision = this.decide(request);
      if (decision !== 'Allowed') return this.message(request, decision);
    }
    return undefined;
  }

  /**
   * An S3 request Athena makes for the role (`s3:GetObject` on an object it reads, `s3:PutObject`
   * on one it writes): Athena's failure reason when the policies deny it. An object of a fixture
   * table that states no location is not checked, and its table remembered.
   */
  public s3(action: string, uri: string): string | undefined {
    const [, bucket, key] = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri) ?? [];
    if (bucket === UNSTATED_SOURCE_BUCKET) {
      this.uncheckedTables.add(key.split('/').slice(0, 2).join('.'));
      return undefined;
    }
    // A table bucket's storage (`…--table-s3`) is authorized by s3tables:GetTableData and PutTableData.
    if (bucket.endsWith('--table-s3')) {
      this.s3TablesData = true;
      return undefined;
    }
    const denial = this.firstDenial([{ action, resource: `arn:${this.environment.partition}:s3:::${bucket}/${key}` }]);
    // Athena's reason when the caller may not read (or write) an object (AWS Knowledge Center,
    // "Why do I get an Access Denied error when I run a query in Amazon Athena?").
    return denial && `Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied) (Path: ${uri}): ${denial}`;
  }

  /** IAM's access denied message (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html). */
  private message(request: AuthorizationRequest, decision: Decision): string {
    const principal = `arn:${this.environment.partition}:sts::${this.environment.accountId}:assumed-role/${this.role.name}/local-execution`;
    const why = decision === 'ExplicitlyDenied'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${request.action} action`;
    return `User: ${principal} is not authorized to perform: ${request.action} on resource: ${request.resource} ${why}`;
  }
}
