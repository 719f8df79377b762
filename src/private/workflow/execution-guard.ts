import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeLockHolderDescription } from '../nag-acknowledgements';

/** The one item of the lock table that says which execution loads the target. */
const LOCK_KEY = { LockName: tasks.DynamoAttributeValue.fromString('load') };
/** The item that remembers the newest scheduled time an execution was started for. */
const SCHEDULE_KEY = { LockName: tasks.DynamoAttributeValue.fromString('schedule') };
const CONDITION_FAILED = 'DynamoDB.ConditionalCheckFailedException';
const ME = tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id'));

export interface ExecutionLockProps {
  readonly table: dynamodb.ITable;
  /** The state machine's name, whose executions may hold the lock. */
  readonly stateMachineName: string;
  /** The workflow's role, which is allowed to describe the lock's holder. */
  readonly role: IConstruct;
  /** What an execution that holds the lock does. */
  readonly load: sfn.IChainable;
}

/**
 * Lets one execution at a time load the target, as the Step Functions "controlling concurrency"
 * sample does with a DynamoDB conditional write
 * (https://docs.aws.amazon.com/step-functions/latest/dg/sample-controlling-concurrency.html):
 * an `UpdateItem` that sets the lock's holder only where it has none is atomic, so of two
 * executions started at the same instant exactly one gets it
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html).
 * Unlike `ListExecutions` (see docs/athena-rules.md rule 15), nothing here is eventually consistent.
 *
 * An execution that cannot take the lock reads who holds it. The lock expires when its holder
 * ends, however it ends (succeeded, failed, timed out or stopped, when it could not release
 * anything): `DescribeExecution` says the holder is no longer `RUNNING`, and the lock is taken
 * over with a write conditional on that same holder, so of two executions that both find the
 * holder ended, one takes it. A holder Step Functions does not know yet
 * (`ExecutionDoesNotExist`) counts as running: an ended execution is never mistaken for a running
 * one the other way round.
 *
 * A scheduled start (input `{"scheduledTime": "<aws.scheduler.scheduled-time>"}`) first records
 * its scheduled time, conditional on it being newer than the last one recorded: a second delivery
 * of the same scheduled start is rejected, even after the first has ended.
 */
export function executionLock(scope: Construct, props: ExecutionLockProps): sfn.IChainable {
  const acquire = new tasks.DynamoUpdateItem(scope, 'Acquire Lock', {
    comment: 'Takes the lock, if no execution holds it',
    table: props.table,
    key: LOCK_KEY,
    updateExpression: 'SET Holder = :me, HolderStartTime = :started',
    conditionExpression: 'attribute_not_exists(Holder)',
    expressionAttributeValues: { ':me': ME, ':started': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.StartTime')) },
    resultPath: sfn.JsonPath.DISCARD,
  });
  // The holder may have released the lock between the failed write and this read.
  const read = new tasks.DynamoGetItem(scope, 'Read Lock', {
    comment: 'Which execution holds the lock?',
    table: props.table,
    key: LOCK_KEY,
    consistentRead: true,
    resultPath: '$.lock',
  });
  const executionsArn = Stack.of(scope).formatArn({
    service: 'states',
    resource: 'execution',
    // `?*`: any execution name (1 to 80 characters) of this state machine, and nothing else.
    resourceName: `${props.stateMachineName}:?*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const describe = new tasks.CallAwsService(scope, 'Describe Lock Holder', {
    comment: 'Is the execution that holds the lock still running?',
    service: 'sfn',
    action: 'describeExecution',
    iamAction: 'states:DescribeExecution',
    iamResources: [executionsArn],
    parameters: { ExecutionArn: sfn.JsonPath.stringAt('$.lock.Item.Holder.S') },
    resultSelector: { 'status.$': '$.Status' },
    resultPath: '$.lockHolder',
  });
  const takeOver = new tasks.DynamoUpdateItem(scope, 'Take Over Lock', {
    comment: 'Takes the lock from an execution that has ended without releasing it',
    table: props.table,
    key: LOCK_KEY,
    updateExpression: 'SET Holder = :me, HolderStartTime = :started',
    conditionExpression: 'Holder = :ended',
    expressionAttributeValues: {
      ':me': ME,
      ':started': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.StartTime')),
      ':ended': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.lock.Item.Holder.S')),
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  acknowledgeLockHolderDescription(props.role, executionsArn);
  const skip = new sfn.Succeed(scope, 'Skip: Another Execution Holds The Lock', {
    comment: 'The execution that holds the lock loads everything',
  });

  acquire.addCatch(read, { errors: [CONDITION_FAILED], resultPath: sfn.JsonPath.DISCARD });
  // Another execution took over first.
  takeOver.addCatch(skip, { errors: [CONDITION_FAILED], resultPath: sfn.JsonPath.DISCARD });
  describe.addCatch(skip, { errors: ['Sfn.ExecutionDoesNotExistException'], resultPath: sfn.JsonPath.DISCARD });
  acquire.next(props.load);
  takeOver.next(props.load);
  read.next(new sfn.Choice(scope, 'Lock Held?')
    .when(sfn.Condition.isPresent('$.lock.Item.Holder.S'), describe.next(new sfn.Choice(scope, 'Lock Holder Running?')
      .when(sfn.Condition.stringEquals('$.lockHolder.status', 'RUNNING'), skip)
      .otherwise(takeOver)))
    .otherwise(acquire));

  const recordSchedule = new tasks.DynamoUpdateItem(scope, 'Record Scheduled Start', {
    comment: 'Rejects a second delivery of the same scheduled start',
    table: props.table,
    key: SCHEDULE_KEY,
    updateExpression: 'SET ScheduledTime = :scheduled',
    // ISO 8601 times in UTC ("2026-03-22T18:00:00Z") order as strings do.
    conditionExpression: 'attribute_not_exists(ScheduledTime) OR ScheduledTime < :scheduled',
    expressionAttributeValues: { ':scheduled': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.scheduledTime')) },
    resultPath: sfn.JsonPath.DISCARD,
  });
  recordSchedule.addCatch(new sfn.Succeed(scope, 'Skip: Scheduled Start Already Delivered', {
    comment: 'EventBridge Scheduler delivers at least once: an execution for this scheduled time has started before',
  }), { errors: [CONDITION_FAILED], resultPath: sfn.JsonPath.DISCARD });
  recordSchedule.next(acquire);
  return new sfn.Choice(scope, 'Scheduled Start?')
    .when(sfn.Condition.isPresent('$.scheduledTime'), recordSchedule)
    .otherwise(acquire);
}

export interface ExecutionGuardProps {
  /** The state machine's own ARN, whose running executions the guard lists. */
  readonly stateMachineArn: string;
  /** With a watermark, the lock each loading execution takes (see `executionLock`). */
  readonly lock?: Omit<ExecutionLockProps, 'load'>;
  /** What an execution that is alone (and holds the lock) does. */
  readonly load: sfn.IChainable;
}

/**
 * **List Running Executions**: an execution that finds another one running ends at once, in
 * **Skip: Another Execution Is Running**, having loaded nothing; the others take the lock, when
 * there is one, and load.
 */
export class ExecutionGuard extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: ExecutionGuardProps) {
    super(scope, id);
    const guarded = props.lock ? executionLock(this, { ...props.lock, load: props.load }) : props.load;
    const listRunning = new tasks.CallAwsService(this, 'List Running Executions', {
      comment: 'Is another execution of this workflow loading the target right now?',
      service: 'sfn',
      action: 'listExecutions',
      iamAction: 'states:ListExecutions',
      iamResources: [props.stateMachineArn],
      parameters: { StateMachineArn: sfn.JsonPath.stateMachineId, StatusFilter: 'RUNNING', MaxResults: 2 },
      resultSelector: { count: sfn.JsonPath.arrayLength(sfn.JsonPath.listAt('$.Executions')) },
      resultPath: '$.runningExecutions',
    });
    const skip = new sfn.Succeed(this, 'Skip: Another Execution Is Running', {
      comment: 'Two executions loading at once could insert the same rows twice; the running one loads everything',
    });
    listRunning.next(new sfn.Choice(this, 'Another Execution Running?')
      .when(sfn.Condition.numberGreaterThan('$.runningExecutions.count', 1), skip)
      .otherwise(guarded));
    this.startState = listRunning;
    this.endStates = props.load.endStates;
  }
}
