import { LocalDynamoDb } from '../../dynamodb/local-dynamodb';

const KEY = { LockName: { S: 'load' } };

describe('the local DynamoDB stand-in', () => {
  test('a conditional write succeeds once: the second attribute_not_exists write fails as DynamoDB fails it', () => {
    const dynamodb = new LocalDynamoDb();
    const acquire = (me: string) => dynamodb.updateItem({
      TableName: 'locks',
      Key: KEY,
      UpdateExpression: 'SET Holder = :me',
      ConditionExpression: 'attribute_not_exists(Holder)',
      ExpressionAttributeValues: { ':me': { S: me } },
    });

    acquire('a');

    expect(() => acquire('b')).toThrow(expect.objectContaining({ name: 'DynamoDB.ConditionalCheckFailedException' }));
    expect(dynamodb.getItem({ TableName: 'locks', Key: KEY })).toEqual({ Item: { LockName: { S: 'load' }, Holder: { S: 'a' } } });
  });

  test('AND binds before OR (DynamoDB: NOT, AND, then OR); strings compare by code point, numbers as numbers', () => {
    const dynamodb = new LocalDynamoDb();
    const record = (time: string) => dynamodb.updateItem({
      TableName: 'locks',
      Key: { LockName: { S: 'schedule' } },
      UpdateExpression: 'SET ScheduledTime = :t, Runs = :n',
      ConditionExpression: 'attribute_not_exists(ScheduledTime) OR ScheduledTime < :t AND Runs < :n',
      ExpressionAttributeValues: { ':t': { S: time }, ':n': { N: String(time.length) } },
    });

    record('2026-01-06T00:00:00Z');
    expect(() => record('2026-01-06T00:00:00Z')).toThrow(/The conditional request failed/);
    expect(() => record('2026-01-05T23:00:00Z')).toThrow(/The conditional request failed/);
    // Runs (20) < 21: the later time, one character longer, passes both comparisons.
    record('2026-01-06T01:00:00.0Z');
    expect(dynamodb.getItem({ TableName: 'locks', Key: { LockName: { S: 'schedule' } } }).Item?.ScheduledTime).toEqual({ S: '2026-01-06T01:00:00.0Z' });
  });

  test('REMOVE drops attributes, and an expression it cannot evaluate is refused rather than answered', () => {
    const dynamodb = new LocalDynamoDb();
    dynamodb.updateItem({ TableName: 'locks', Key: KEY, UpdateExpression: 'SET Holder = :me, Since = :me', ExpressionAttributeValues: { ':me': { S: 'a' } } });
    dynamodb.updateItem({ TableName: 'locks', Key: KEY, UpdateExpression: 'REMOVE Since' });
    expect(dynamodb.getItem({ TableName: 'locks', Key: KEY }).Item).toEqual({ LockName: { S: 'load' }, Holder: { S: 'a' } });
    expect(() => dynamodb.updateItem({
      TableName: 'locks', Key: KEY, UpdateExpression: 'SET Holder = :me', ConditionExpression: 'begins_with(Holder, :me)', ExpressionAttributeValues: { ':me': { S: 'a' } },
    })).toThrow(/cannot evaluate the condition/);
  });
});
