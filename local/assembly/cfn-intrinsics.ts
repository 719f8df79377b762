/** Values for CloudFormation's pseudo parameters in a local run. */
export interface PseudoParameters {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
}

export const LOCAL_PSEUDO_PARAMETERS: PseudoParameters = {
  partition: 'aws',
  region: 'us-east-1',
  accountId: '123456789012',
  stackName: 'local',
};

/**
 * The pseudo parameters of a stack synthesized for `aws://<account>/<region>`: its own account
 * and region where they are concrete (the role's policies name them as literals), else the local ones.
 */
export function pseudoParametersOf(environment: string | undefined): PseudoParameters {
  const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(environment ?? '') ?? [];
  return {
    ...LOCAL_PSEUDO_PARAMETERS,
    ...(account && /^\d{12}$/.test(account) ? { accountId: account } : {}),
    ...(region && region !== 'unknown-region' ? { region } : {}),
  };
}

/**
 * Resolves the CloudFormation intrinsic functions CDK writes into a state machine definition
 * (`Fn::Join`, `Ref`, `Fn::GetAtt`, `Fn::Select`, `Fn::Split`, `Fn::Sub`) to plain values, as
 * CloudFormation would at deploy time. A resource stands for itself by a stable local name:
 * `Ref` gives its lower-cased logical id, `Fn::GetAtt` an ARN or `<name>.<attribute>`.
 */
export class CfnIntrinsics {
  constructor(
    private readonly resources: Record<string, { Type: string }>,
    private readonly pseudo: PseudoParameters = LOCAL_PSEUDO_PARAMETERS,
  ) {}

  public resolve(value: unknown): any {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
      return this.intrinsic(entries[0][0], entries[0][1]);
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, this.resolve(item)]));
  }

  private intrinsic(name: string, argument: unknown): any {
    switch (name) {
      case 'Ref': return this.ref(argument as string);
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return (this.resolve(parts) as unknown[]).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = argument as [unknown, unknown];
        return (this.resolve(list) as unknown[])[Number(this.resolve(index))];
      }
      case 'Fn::Split': {
        const [separator, source] = argument as [string, unknown];
        return String(this.resolve(source)).split(separator);
      }
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = typeof argument === 'string' ? argument.split(/\.(.*)/s) : argument as [string, string];
        return this.getAtt(logicalId, attribute);
      }
      case 'Fn::Sub': {
        const [template, variables] = typeof argument === 'string' ? [argument, {}] : argument as [string, Record<string, unknown>];
        const resolved = this.resolve(variables) as Record<string, unknown>;
        return template.replace(/\$\{([^}!][^}]*)\}/g, (_match, key: string) => {
          if (key in resolved) return String(resolved[key]);
          return key.includes('.') ? this.getAtt(key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)) : this.ref(key);
        });
      }
      default:
        throw new Error(`The local runner cannot resolve ${name} in a state machine definition`);
    }
  }

  /**
   * The ARN of a resource of this type with this name, in the form its service gives it, so that
   * the role's policies and the definition name it alike (IAM matches ARNs as text).
   */
  private arnOf(type: string, name: string): string {
    const { partition, region, accountId } = this.pseudo;
    switch (type) {
      case 'AWS::S3::Bucket': return `arn:${partition}:s3:::${name}`;
      case 'AWS::IAM::Role': return `arn:${partition}:iam::${accountId}:role/${name}`;
      case 'AWS::DynamoDB::Table': return `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}`;
      case 'AWS::KMS::Key': return `arn:${partition}:kms:${region}:${accountId}:key/${name}`;
      case 'AWS::StepFunctions::StateMachine': return `arn:${partition}:states:${region}:${accountId}:stateMachine:${name}`;
      case 'AWS::Logs::LogGroup': return `arn:${partition}:logs:${region}:${accountId}:log-group:${name}:*`;
      case 'AWS::SNS::Topic': return `arn:${partition}:sns:${region}:${accountId}:${name}`;
      default: return `arn:${partition}:${type.split('::')[1].toLowerCase()}:${region}:${accountId}:${name}`;
    }
  }

  private ref(name: string): string {
    switch (name) {
      case 'AWS::Partition': return this.pseudo.partition;
      case 'AWS::Region': return this.pseudo.region;
      case 'AWS::AccountId': return this.pseudo.accountId;
      case 'AWS::StackName': return this.pseudo.stackName;
      case 'AWS::URLSuffix': return 'amazonaws.com';
    }
    if (!(name in this.resources)) throw new Error(`Ref to '${name}', which is not a resource of the template`);
    return localName(name);
  }

  private getAtt(logicalId: string, attribute: string): string {
    const resource = this.resources[logicalId];
    if (!resource) throw new Error(`Fn::GetAtt of '${logicalId}', which is not a resource of the template`);
    if (attribute === 'Arn') return this.arnOf(resource.Type, localName(logicalId));
    return `${localName(logicalId)}.${attribute}`;
  }
}

/** The name a template resource goes by locally: its logical id in lower case. */
export function localName(logicalId: string): string {
  return logicalId.toLowerCase();
}
