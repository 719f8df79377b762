import * as fs from 'node:fs';
import * as path from 'node:path';
import { namedError } from '../execution/integrations';

/** A DynamoDB attribute value in its wire form: `{ S: 'text' }` or `{ N: '12' }`. */
export type AttributeValue = { readonly S: string } | { readonly N: string };
export type Item = Record<string, AttributeValue>;

export interface UpdateItemInput {
  readonly TableName: string;
  readonly Key: Item;
  readonly UpdateExpression: string;
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, AttributeValue>;
}

export interface GetItemInput {
  readonly TableName: string;
  readonly Key: Item;
  readonly ConsistentRead?: boolean;
}

/**
 * A stand-in for the DynamoDB calls the workflow's lock makes through the Step Functions
 * integration (`dynamodb:updateItem`, `dynamodb:getItem`), in memory. Every write is atomic, as
 * a single-item write in DynamoDB is, and a failed condition fails the task with
 * `DynamoDB.ConditionalCheckFailedException`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html).
 *
 * Expressions: `SET a = :v, …` and `REMOVE a, …` updates; conditions made of
 * `attribute_exists(a)`, `attribute_not_exists(a)` and `a <op> :v` (`=`, `<>`, `<`, `<=`, `>`, `>=`;
 * strings compare by code point, numbers as numbers) joined by `AND` and `OR` (AND binding first).
 * Anything else is refused, rather than answered differently from DynamoDB.
 */
export class LocalDynamoDb {
  private readonly tables = new Map<string, Map<string, Item>>();

  /** @param file where the items are kept between runs (a kept work directory continues from them) @default - in memory only */
  constructor(private readonly file?: string) {
    if (file && fs.existsSync(file)) {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Array<[string, Item]>>;
      for (const [table, items] of Object.entries(saved)) this.tables.set(table, new Map(items));
    }
  }

  public updateItem(input: UpdateItemInput): Record<string, never> {
    const items = this.table(input.TableName);
    const key = keyOf(input.Key);
    const current = items.get(key);
    if (input.ConditionExpression && !condition(input.ConditionExpression, current, input)) {
      throw namedError('DynamoDB.ConditionalCheckFailedException', 'The conditional request failed');
    }
    const next: Item = { ...(current ?? {}), ...input.Key };
    for (const [, action, body] of input.UpdateExpression.matchAll(/\b(SET|REMOVE)\s+(.+?)(?=\s+\b(?:SET|REMOVE)\b|$)/gis)) {
      for (const part of body.split(',').map((text) => text.trim())) {
        if (action.toUpperCase() === 'REMOVE') {
          delete next[nameOf(part, input)];
        } else {
          const match = /^(\S+)\s*=\s*(:\w+)$/.exec(part);
          if (!match) throw new Error(`The local DynamoDB cannot evaluate the update '${part}'`);
          next[nameOf(match[1], input)] = valueOf(match[2], input);
        }
      }
    }
    items.set(key, next);
    this.save();
    return {};
  }

  public getItem(input: GetItemInput): { Item?: Item } {
    const item = this.table(input.TableName).get(keyOf(input.Key));
    return item ? { Item: { ...item } } : {};
  }

  private save(): void {
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify(Object.fromEntries([...this.tables].map(([table, items]) => [table, [...items]]))));
  }

  private table(name: string): Map<string, Item> {
    let items = this.tables.get(name);
    if (!items) this.tables.set(name, items = new Map());
    return items;
  }
}

function keyOf(key: Item): string {
  return JSON.stringify(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)));
}

function nameOf(token: string, input: UpdateItemInput): string {
  if (!token.startsWith('#')) return token;
  const name = input.ExpressionAttributeNames?.[token];
  if (name === undefined) throw namedError('DynamoDB.ValidationException', `An expression attribute name used in the document path is not defined; attribute name: ${token}`);
  return name;
}

function valueOf(token: string, input: UpdateItemInput): AttributeValue {
  const value = input.ExpressionAttributeValues?.[token];
  if (value === undefined) throw namedError('DynamoDB.ValidationException', `An expression attribute value used in expression is not defined; attribute value: ${token}`);
  return value;
}

function condition(expression: string, item: Item | undefined, input: UpdateItemInput): boolean {
  return expression.split(/\s+OR\s+/i).some((conjunction) => conjunction.split(/\s+AND\s+/i).every((atom) => {
    const text = atom.trim();
    const exists = /^attribute_(not_)?exists\(\s*(\S+?)\s*\)$/i.exec(text);
    if (exists) return (item?.[nameOf(exists[2], input)] !== undefined) === !exists[1];
    const comparison = /^(\S+)\s*(=|<>|<=|>=|<|>)\s*(:\w+)$/.exec(text);
    if (!comparison) throw new Error(`The local DynamoDB cannot evaluate the condition '${text}'`);
    const left = item?.[nameOf(comparison[1], input)];
    const right = valueOf(comparison[3], input);
    // A comparison with a missing attribute, or of different types, is false.
    if (left === undefined || ('S' in left) !== ('S' in right)) return false;
    const [a, b] = 'S' in left ? [left.S, (right as { S: string }).S] : [Number(left.N), Number((right as { N: string }).N)];
    switch (comparison[2]) {
      case '=': return a === b;
      case '<>': return a !== b;
      case '<': return a < b;
      case '<=': return a <= b;
      case '>': return a > b;
      default: return a >= b;
    }
  }));
}
