import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeAnalyticsApp, writeCsvOrders } from './local-package-app';
import { runLocally } from 'cdk-keep-data-up-to-date-local';

/*
 * A fixture value that is not exactly a value of its schema.json type is an error naming the
 * file, the row and the column: nothing is rounded or truncated silently.
 */

let workDir: string;
let assembly: string;
beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-fixture-types-'));
  assembly = path.join(workDir, 'cdk.out');
  synthesizeAnalyticsApp(assembly);
});
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** The CSV orders fixture, with `amount` declared as `type` and the file's text edited. */
function csvFixture(name: string, amountType: string, edit: (csv: string) => string = (csv) => csv): string {
  const data = path.join(workDir, name);
  writeCsvOrders(data);
  const tableDir = path.join(data, 'sales', 'orders');
  const schema = JSON.parse(fs.readFileSync(path.join(tableDir, 'schema.json'), 'utf8'));
  schema.columns.find((column: { name: string }) => column.name === 'amount').type = amountType;
  fs.writeFileSync(path.join(tableDir, 'schema.json'), JSON.stringify(schema));
  fs.writeFileSync(path.join(tableDir, 'orders.csv'), edit(fs.readFileSync(path.join(tableDir, 'orders.csv'), 'utf8')));
  return data;
}

const run = (data: string) => runLocally({ assembly, construct: 'Analytics/DailySales', data, executions: 1 });

test.each([
  ['a fraction in a bigint column', 'bigint', (csv: string) => csv, /orders\.csv, row 1 \(line 2\), column amount: '10\.50' is not a bigint value as .*schema\.json declares it \(expected a whole number in bigint's range\)/],
  ['more decimals than the scale', 'decimal(10,2)', (csv: string) => csv.replace('7.25', '7.255'), /orders\.csv, row 3 \(line 4\), column amount: '7\.255' is not a decimal\(10,2\) value .*at most 8 digits before the point and 2 after it/],
  ['more digits than the precision', 'decimal(3,2)', (csv: string) => csv, /row 1 \(line 2\), column amount: '10\.50' is not a decimal\(3,2\) value/],
  ['a text in a double column', 'double', (csv: string) => csv.replace('4.50', 'four'), /row 2 \(line 3\), column amount: 'four' is not a double value/],
])('fails on %s, naming the file, row and column', async (name, type, edit, error) => {
  await expect(run(csvFixture(name.replace(/\W+/g, '-'), type, edit))).rejects.toThrow(error);
});

test('fails on a partition directory value that is not its type', async () => {
  const data = csvFixture('partition', 'decimal(10,2)');
  const tableDir = path.join(data, 'sales', 'orders');
  fs.mkdirSync(path.join(tableDir, 'dt=yesterday'));
  fs.renameSync(path.join(tableDir, 'orders.csv'), path.join(tableDir, 'dt=yesterday', 'orders.csv'));
  const csv = path.join(tableDir, 'dt=yesterday', 'orders.csv');
  fs.writeFileSync(csv, fs.readFileSync(csv, 'utf8').split('\n').map((line) => line.split(',').slice(0, 3).join(',')).join('\n'));
  const schema = JSON.parse(fs.readFileSync(path.join(tableDir, 'schema.json'), 'utf8'));
  fs.writeFileSync(path.join(tableDir, 'schema.json'), JSON.stringify({ ...schema, partitionKeys: [{ name: 'dt', type: 'date' }] }));
  await expect(run(data)).rejects.toThrow(/dt=yesterday.orders\.csv, row 1 \(line 2\), column dt: 'yesterday' is not a date value .*YYYY-MM-DD/);
});

test('fails on a JSON lines value that is not its type, by line', async () => {
  const data = path.join(workDir, 'jsonl');
  const tableDir = path.join(data, 'sales', 'orders');
  fs.mkdirSync(tableDir, { recursive: true });
  fs.writeFileSync(path.join(tableDir, 'orders.jsonl'), [
    { order_id: 'o-1', customer: 'c-1', amount: 10, dt: '2026-01-01' },
    { order_id: 'o-2', customer: 'c-2', amount: 4.5, dt: '2026-01-01' },
  ].map((row) => JSON.stringify(row)).join('\n'));
  fs.writeFileSync(path.join(tableDir, 'schema.json'), JSON.stringify({
    columns: [{ name: 'order_id', type: 'string' }, { name: 'customer', type: 'string' }, { name: 'amount', type: 'int' }, { name: 'dt', type: 'string' }],
  }));
  await expect(run(data)).rejects.toThrow(/orders\.jsonl, line 2, column amount: '4\.5' is not a int value/);
});

test('values that are exactly their types load as written', async () => {
  const data = csvFixture('exact', 'decimal(10,3)', (csv) => csv.replace('7.25', '+7.250'));
  const result = await run(data);
  expect(result.executions[0].status).toBe('SUCCEEDED');
  expect(result.target.rows).toEqual(expect.arrayContaining([{ orders: '1', total: '7.250', dt: '2026-01-02' }]));
});
