/**
 * Draws docs/architecture.svg (the workflow with your own two statements, and the resources the
 * construct creates) and docs/watermark-loop.svg (the workflow of `TargetQueries.appendNewerRows`)
 * from synthesized stacks: the states and transitions come from the state machine definition
 * CloudFormation receives, the resources from the template, so the pictures in the README cannot
 * drift from what the construct deploys.
 *
 *   npx projen diagram
 */
import { writeFileSync } from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KeepDataUpToDate, KeepDataUpToDateProps, TargetQueries } from '../src';

export const DIAGRAM_PATH = path.join(__dirname, '..', 'docs', 'architecture.svg');
export const WATERMARK_DIAGRAM_PATH = path.join(__dirname, '..', 'docs', 'watermark-loop.svg');

/** A workflow with two statements of your own and the default settings. */
export function synthesizeExample(): Template {
  return synthesize({
    createTargetQuery: 'CREATE TABLE {{database}}.{{targetTable}} AS SELECT * FROM {{database}}.{{sourceTable}}',
    updateTargetQuery: 'INSERT INTO {{database}}.{{targetTable}} SELECT * FROM {{database}}.{{sourceTable}}',
  });
}

/** The README's quick start: `TargetQueries.appendNewerRows` and the default settings. */
export function synthesizeWatermarkExample(): Template {
  return synthesize({ queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt' }) });
}

function synthesize(statements: Pick<KeepDataUpToDateProps, 'createTargetQuery' | 'updateTargetQuery' | 'queries'>): Template {
  const app = new App();
  const stack = new Stack(app, 'Analytics', { env: { account: '111111111111', region: 'us-east-1' } });
  const rawData = s3.Bucket.fromBucketName(stack, 'RawData', 'my-raw-data-bucket');
  new KeepDataUpToDate(stack, 'DailySales', {
    databaseName: 'analytics',
    targetTableName: 'daily_sales',
    sourceTableNames: ['raw_sales'],
    sourceDataLocations: [{ bucket: rawData, prefix: 'sales/' }],
    ...statements,
  });
  return Template.fromStack(stack);
}

/** The parts of an Amazon States Language state the diagram draws. */
interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: Record<string, any>[];
  readonly Catch?: { ErrorEquals: string[]; Next: string }[];
  readonly Retry?: { ErrorEquals: string[] }[];
}

interface Asl {
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
}

export interface Transition {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

/**
 * The definition as CloudFormation receives it. Tokens (the partition, bucket and workgroup
 * names) sit inside JSON strings, so a bare word in their place keeps the JSON valid.
 */
export function stateMachineDefinition(template: Template): Asl {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const definition = machines[0].Properties.DefinitionString;
  const text = typeof definition === 'string'
    ? definition
    : (definition['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text);
}

const OPERATORS: Record<string, string> = {
  NumericEquals: '=',
  NumericGreaterThan: '>',
  NumericGreaterThanEquals: '≥',
  NumericLessThan: '<',
  NumericLessThanEquals: '≤',
  StringEquals: '=',
  StringGreaterThan: '>',
  StringLessThan: '<',
  BooleanEquals: '=',
  IsPresent: 'present:',
  IsNull: 'null:',
};

/** `{ Variable: '$.runningExecutions.count', NumericGreaterThan: 1 }` → `runningExecutions.count > 1`. */
function describeChoice(rule: Record<string, any>): string {
  if (rule.Not) return `not ${describeChoice(rule.Not)}`;
  for (const [key, joiner] of [['Or', ' or '], ['And', ' and ']] as const) {
    if (!rule[key]) continue;
    const rules = rule[key] as Record<string, any>[];
    // One variable compared with several strings reads as a set.
    if (rules.every((r) => r.Variable === rules[0].Variable && r.StringEquals !== undefined) && key === 'Or') {
      const values = rules.map((r) => String(r.StringEquals));
      const anyCase = values.every((value) => value.toLowerCase() === values[0].toLowerCase());
      return `${shortPath(rules[0].Variable)} ${anyCase ? `= "${values[0]}" (any case)` : `in ${JSON.stringify(values)}`}`;
    }
    return rules.map(describeChoice).join(joiner);
  }
  const operator = Object.keys(rule).find((key) => key in OPERATORS);
  if (!rule.Variable || !operator) return 'condition';
  if (operator === 'IsPresent') return `${shortPath(rule.Variable)} ${rule.IsPresent ? 'present' : 'absent'}`;
  return `${shortPath(rule.Variable)} ${OPERATORS[operator]} ${JSON.stringify(rule[operator])}`;
}

/** `$.watermarkResult.rows[1].Data[0].VarCharValue` → `watermarkResult…VarCharValue`. */
function shortPath(variable: string): string {
  // Dots inside brackets (['projection.enabled']) belong to a key.
  const segments = String(variable).replace(/^\$\.?/, '').split(/\.(?![^[]*\])/);
  const last = segments[segments.length - 1];
  // A bracketed key names itself: ['projection.enabled'] → projection.enabled.
  const key = /\['([^']+)'\]$/.exec(last);
  if (key) return key[1];
  return segments.length > 2 ? `${segments[0]}…${last}` : segments.join('.');
}

/** Every edge of the workflow, including the start and one end per terminal state. */
export function transitions(asl: Asl): Transition[] {
  const edges: Transition[] = [{ from: 'Start', to: asl.StartAt, label: '' }];
  for (const [name, state] of Object.entries(asl.States)) {
    for (const rule of state.Choices ?? []) edges.push({ from: name, to: rule.Next, label: describeChoice(rule) });
    if (state.Default) edges.push({ from: name, to: state.Default, label: 'otherwise' });
    for (const c of state.Catch ?? []) {
      edges.push({ from: name, to: c.Next, label: `catch ${c.ErrorEquals.join(', ')}` });
    }
    if (state.Next) edges.push({ from: name, to: state.Next, label: state.Catch ? 'succeeded' : '' });
    if (state.End || ['Succeed', 'Fail'].includes(state.Type)) edges.push({ from: name, to: endOf(name), label: '' });
  }
  // Two rules of one Choice that lead to the same state are one arrow.
  const merged: Transition[] = [];
  for (const edge of edges) {
    const index = merged.findIndex((other) => other.from === edge.from && other.to === edge.to);
    if (index < 0) merged.push(edge);
    else merged[index] = { ...merged[index], label: `${merged[index].label}, or ${edge.label}` };
  }
  return merged;
}

function endOf(state: string): string {
  return `End/${state}`;
}

function isEnd(node: string): boolean {
  return node.startsWith('End/');
}

/**
 * Rows top to bottom: each state goes below every state that leads to it, ignoring the edges
 * that close a loop (found by a depth-first walk from the start).
 */
function layers(edges: Transition[]): { level: Map<string, number>; backEdges: Set<Transition> } {
  const out = new Map<string, Transition[]>();
  for (const edge of edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  const backEdges = new Set<Transition>();
  const onPath = new Set<string>();
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (node: string) => {
    onPath.add(node);
    for (const edge of out.get(node) ?? []) {
      if (onPath.has(edge.to)) backEdges.add(edge);
      else if (!done.has(edge.to)) visit(edge.to);
    }
    onPath.delete(node);
    done.add(node);
    order.unshift(node);
  };
  visit('Start');
  const level = new Map<string, number>(order.map((node) => [node, 0]));
  for (const node of order) {
    for (const edge of out.get(node) ?? []) {
      if (!backEdges.has(edge)) level.set(edge.to, Math.max(level.get(edge.to)!, level.get(node)! + 1));
    }
  }
  // An end sits right under its state.
  for (const node of order) if (isEnd(node)) level.set(node, level.get(node.slice(4))! + 1);
  return { level, backEdges };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `arn:${Partition}:states:::aws-sdk:glue:getTable` → `aws-sdk:glue:getTable`. */
function integration(state: AslState): string {
  return state.Resource?.split(':::')[1] ?? state.Type;
}

interface ResourceBox {
  readonly title: string;
  readonly lines: string[];
  readonly external?: boolean;
}

/** The resources the template creates, and the catalog and source data the workflow reads. */
function resourceBoxes(template: Template, asl: Asl): ResourceBox[] {
  const boxes: ResourceBox[] = [];
  const byType = (type: string) => Object.entries(template.findResources(type));
  const getTable = Object.values(asl.States).find((s) => integration(s).startsWith('aws-sdk:glue:getTable')) as any;
  if (getTable) {
    const params = getTable.Parameters ?? getTable.Arguments ?? {};
    boxes.push({
      title: 'AWS Glue Data Catalog (yours)',
      lines: [`database ${params.DatabaseName}`, `target table ${params.Name}`, 'source tables'],
      external: true,
    });
  }
  for (const [id, wg] of byType('AWS::Athena::WorkGroup')) {
    const cfg = wg.Properties.WorkGroupConfiguration ?? {};
    boxes.push({
      title: `Athena workgroup (${logicalName(id)})`,
      lines: [
        cfg.EnforceWorkGroupConfiguration ? 'enforces its configuration' : 'each query sends its result settings',
        `engine: ${cfg.EngineVersion?.SelectedEngineVersion ?? 'automatic'}`,
        `results encrypted: ${cfg.ResultConfiguration?.EncryptionConfiguration?.EncryptionOption ?? 'no'}`,
      ],
    });
  }
  const resultConfigurations = JSON.stringify(byType('AWS::Athena::WorkGroup').map(([, wg]) => wg.Properties.WorkGroupConfiguration?.ResultConfiguration));
  for (const [id, bucket] of byType('AWS::S3::Bucket')) {
    const holdsResults = resultConfigurations.includes(JSON.stringify({ Ref: id }));
    const rules = bucket.Properties.LifecycleConfiguration?.Rules ?? [];
    const expiry = rules.find((r: any) => r.ExpirationInDays)?.ExpirationInDays;
    boxes.push({
      title: `S3 bucket (${logicalName(id)})`,
      lines: [
        holdsResults ? 'Athena query results' : 'target table data',
        `encryption: ${bucket.Properties.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.SSEAlgorithm ?? 'none'}`,
        expiry ? `objects expire after ${expiry} days` : 'objects do not expire',
        bucket.DeletionPolicy === 'Retain' ? 'kept when the stack is deleted' : 'deleted with the stack',
      ],
    });
  }
  boxes.push({ title: 'S3 source data (yours)', lines: ['read only'], external: true });
  for (const [id] of byType('AWS::IAM::Role')) {
    const policies = byType('AWS::IAM::Policy').length;
    boxes.push({ title: `IAM role (${logicalName(id)})`, lines: [`assumed by states.amazonaws.com, ${policies} policy`] });
  }
  for (const [id, group] of byType('AWS::Logs::LogGroup')) {
    boxes.push({ title: `CloudWatch Logs (${logicalName(id)})`, lines: [`retention ${group.Properties.RetentionInDays} days`] });
  }
  for (const [id, alarm] of byType('AWS::CloudWatch::Alarm')) {
    const p = alarm.Properties;
    const operator = ({ GreaterThanOrEqualToThreshold: '≥', GreaterThanThreshold: '>', LessThanThreshold: '<', LessThanOrEqualToThreshold: '≤' } as Record<string, string>)[p.ComparisonOperator] ?? p.ComparisonOperator;
    boxes.push({
      title: `CloudWatch alarm (${logicalName(id)})`,
      lines: [`${p.MetricName} ${operator} ${p.Threshold} in ${p.Period / 60} minutes`, p.AlarmActions?.length ? 'notifies an SNS topic' : 'notifies no one'],
    });
  }
  for (const [id, schedule] of byType('AWS::Scheduler::Schedule')) {
    boxes.push({ title: `EventBridge Scheduler (${logicalName(id)})`, lines: [`${schedule.Properties.ScheduleExpression}`] });
  }
  return boxes;
}

/** `DailySalesResultsBucket1A2B3C4D` → `ResultsBucket`: the construct ID users see in the API. */
function logicalName(logicalId: string): string {
  return logicalId.replace(/^DailySales/, '').replace(/[0-9A-F]{8}$/, '');
}

const STATE_W = 280;
const STATE_H = 66;
const ROW = 120;
const COLUMN = STATE_W + 70;
const LEFT = 100;
const TOP = 80;
const RES_W = 350;

/** Renders the workflow (left) and, unless `resources` is false, its resources (right) as a standalone SVG. */
export function renderArchitecture(template: Template, options: { resources?: boolean } = {}): string {
  const asl = stateMachineDefinition(template);
  const edges = transitions(asl);
  const { level, backEdges } = layers(edges);

  // Within a row, the state with the longest way still to go comes first, so the main path
  // runs straight down the left column and early exits branch off to the right.
  const remaining = new Map<string, number>();
  const distanceToEnd = (node: string): number => {
    if (!remaining.has(node)) {
      remaining.set(node, 0);
      const next = edges.filter((edge) => edge.from === node && !backEdges.has(edge));
      remaining.set(node, Math.max(0, ...next.map((edge) => 1 + distanceToEnd(edge.to))));
    }
    return remaining.get(node)!;
  };
  const column = new Map<string, number>();
  const perRow = new Map<number, number>();
  const nodes = ['Start', ...new Set(edges.map((edge) => edge.to))]
    .map((node, index) => ({ node, index }))
    .sort((a, b) => level.get(a.node)! - level.get(b.node)! || distanceToEnd(b.node) - distanceToEnd(a.node) || a.index - b.index)
    .map(({ node }) => node);
  for (const node of nodes.filter((n) => !isEnd(n)).concat(nodes.filter(isEnd))) {
    const row = level.get(node)!;
    const col = isEnd(node) ? column.get(node.slice(4))! : (perRow.get(row) ?? 0);
    column.set(node, col);
    if (!isEnd(node)) perRow.set(row, col + 1);
  }
  const columns = Math.max(...perRow.values());
  const rows = Math.max(...level.values()) + 1;
  const x = (node: string) => LEFT + column.get(node)! * COLUMN;
  const centerX = (node: string) => x(node) + STATE_W / 2;
  const y = (node: string) => TOP + level.get(node)! * ROW;
  const isPoint = (node: string) => node === 'Start' || isEnd(node);
  const top = (node: string) => y(node) - (isPoint(node) ? 10 : 0);
  const bottom = (node: string) => y(node) + (isPoint(node) ? 10 : STATE_H);

  const resources = options.resources === false ? [] : resourceBoxes(template, asl);
  const resHeight = (box: ResourceBox) => 30 + box.lines.length * 17;
  const resTotal = resources.reduce((sum, box) => sum + resHeight(box) + 14, 0);
  const machineRight = LEFT + (columns - 1) * COLUMN + STATE_W + 60;
  const resX = machineRight + 40;
  const resWidth = resources.length > 0 ? RES_W + 20 : -20;
  const height = Math.max(TOP + (rows - 1) * ROW + STATE_H + 30, TOP + resTotal - 10);
  const width = resX + resWidth;
  const out: string[] = [];

  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13">`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>');
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<rect x="20" y="20" width="${machineRight - 20}" height="${height - 40}" rx="10" fill="#fdf6ec" stroke="#d9822b"/>`);
  out.push('<text x="36" y="44" font-weight="bold">Step Functions state machine (Standard)</text>');

  const label = (text: string, lx: number, ly: number, color: string, anchor = 'start') => text.replace(/^catch /, 'catch\n').split('\n').forEach((line, i) => {
    out.push(`<text x="${lx}" y="${ly + i * 15}" fill="${color}" font-size="12" text-anchor="${anchor}">${escape(line)}</text>`);
  });
  let leftLane = 0;
  let rightLane = 0;
  for (const edge of edges) {
    const span = level.get(edge.to)! - level.get(edge.from)!;
    const color = edge.label.startsWith('catch') ? '#a33' : '#262';
    if (backEdges.has(edge) || span <= 0) {
      // A loop runs back up the right side of its column.
      const lane = x(edge.from) + STATE_W + 14 + 10 * rightLane++;
      out.push(`<path d="M${x(edge.from) + STATE_W},${y(edge.from) + STATE_H / 2} H${lane} V${y(edge.to) + STATE_H / 2} H${x(edge.to) + STATE_W}" fill="none" stroke="#444" stroke-width="1.5" marker-end="url(#arrow)"/>`);
      if (edge.label) label(edge.label, lane + 4, y(edge.from) + STATE_H / 2 + 16, color);
    } else if (span > 1 && column.get(edge.from) === column.get(edge.to)) {
      // A transition that skips rows runs down the left side, clear of the states in between.
      const lane = x(edge.from) - 26 - 10 * leftLane++;
      out.push(`<path d="M${x(edge.from)},${y(edge.from) + STATE_H / 2} H${lane} V${y(edge.to) + STATE_H / 2} H${x(edge.to)}" fill="none" stroke="#444" stroke-width="1.5" marker-end="url(#arrow)"/>`);
      if (edge.label) label(edge.label, lane + 4, y(edge.from) + STATE_H + 18, color);
    } else {
      const x1 = centerX(edge.from);
      const x2 = centerX(edge.to);
      out.push(`<line x1="${x1}" y1="${bottom(edge.from)}" x2="${x2}" y2="${top(edge.to)}" stroke="#444" stroke-width="1.5" marker-end="url(#arrow)"/>`);
      // Straight down: the label beside the line; across: above the state it leads to.
      if (edge.label && x1 === x2) label(edge.label, x1 + 8, bottom(edge.from) + 20, color);
      else if (edge.label) label(edge.label, x(edge.to) + 12, top(edge.to) - 10, color);
    }
  }

  for (const node of nodes) {
    if (isPoint(node)) {
      out.push(`<circle cx="${centerX(node)}" cy="${y(node)}" r="10" fill="${node === 'Start' ? '#444' : '#fff'}" stroke="#444" stroke-width="${node === 'Start' ? 1 : 3}"/>`);
      out.push(`<text x="${centerX(node) + 18}" y="${y(node) + 4}" fill="#444">${node === 'Start' ? 'Start' : 'End'}</text>`);
      continue;
    }
    const state = asl.States[node];
    const retries = (state.Retry ?? []).flatMap((r) => r.ErrorEquals).length;
    out.push(`<rect x="${x(node)}" y="${y(node)}" width="${STATE_W}" height="${STATE_H}" rx="${state.Type === 'Choice' ? 24 : 6}" fill="#ffffff" stroke="#d9822b" stroke-width="1.5"/>`);
    out.push(`<text x="${centerX(node)}" y="${y(node) + 22}" text-anchor="middle" font-weight="bold">${escape(node)}</text>`);
    out.push(`<text x="${centerX(node)}" y="${y(node) + 40}" text-anchor="middle" fill="#555" font-size="12">${escape(integration(state))}</text>`);
    if (retries) out.push(`<text x="${centerX(node)}" y="${y(node) + 57}" text-anchor="middle" fill="#555" font-size="11">retries ${retries} transient error${retries > 1 ? 's' : ''}</text>`);
  }

  let boxTop = TOP - 40;
  for (const box of resources) {
    const h = resHeight(box);
    out.push(`<rect x="${resX}" y="${boxTop}" width="${RES_W}" height="${h}" rx="6" fill="${box.external ? '#f4f4f4' : '#eef4fb'}" stroke="${box.external ? '#888' : '#3b73b9'}"${box.external ? ' stroke-dasharray="5,3"' : ''}/>`);
    out.push(`<text x="${resX + 12}" y="${boxTop + 20}" font-weight="bold">${escape(box.title)}</text>`);
    box.lines.forEach((line, i) => out.push(`<text x="${resX + 12}" y="${boxTop + 38 + i * 17}" fill="#555" font-size="12">${escape(line)}</text>`));
    boxTop += h + 14;
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

if (require.main === module) {
  writeFileSync(DIAGRAM_PATH, renderArchitecture(synthesizeExample()));
  writeFileSync(WATERMARK_DIAGRAM_PATH, renderArchitecture(synthesizeWatermarkExample(), { resources: false }));
  for (const written of [DIAGRAM_PATH, WATERMARK_DIAGRAM_PATH]) console.log(`wrote ${path.relative(process.cwd(), written)}`);
}
