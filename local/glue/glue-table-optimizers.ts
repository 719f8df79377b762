import * as fs from 'node:fs';
import { GlueCatalog } from './glue-catalog';
import { namedError } from '../execution/integrations';

/** A Glue `CreateTableOptimizer` request, as the workflow sends it. */
export interface CreateTableOptimizerInput {
  readonly CatalogId: string;
  readonly DatabaseName: string;
  readonly TableName: string;
  readonly Type: string;
  readonly TableOptimizerConfiguration: Record<string, any>;
}

/** A Glue `UpdateTableOptimizer` request: the same members as `CreateTableOptimizer`. */
export type UpdateTableOptimizerInput = CreateTableOptimizerInput;

/** A Glue `GetTableOptimizer` request. */
export type GetTableOptimizerInput = Omit<CreateTableOptimizerInput, 'TableOptimizerConfiguration'>;

/** One optimizer a local run created, with the request that created it. */
export interface LocalTableOptimizer {
  readonly databaseName: string;
  readonly tableName: string;
  readonly type: string;
  readonly configuration: Record<string, any>;
}

/**
 * A stand-in for Glue's table optimizers, kept in one JSON file beside the catalog. It records
 * the optimizers; nothing runs them. `CreateTableOptimizer` fails with `EntityNotFoundException`
 * for a table the catalog lacks and `AlreadyExistsException` for an optimizer of that type that
 * exists; `GetTableOptimizer` and `UpdateTableOptimizer` fail with `EntityNotFoundException`
 * when there is none, and an update replaces the optimizer's configuration
 * (https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTableOptimizer.html,
 * https://docs.aws.amazon.com/glue/latest/webapi/API_GetTableOptimizer.html,
 * https://docs.aws.amazon.com/glue/latest/webapi/API_UpdateTableOptimizer.html).
 */
export class LocalTableOptimizers {
  private readonly optimizers: LocalTableOptimizer[];

  constructor(private readonly file: string, private readonly catalog: GlueCatalog) {
    this.optimizers = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as LocalTableOptimizer[] : [];
  }

  /** Every optimizer created so far. */
  public list(): LocalTableOptimizer[] {
    return [...this.optimizers];
  }

  public create(input: CreateTableOptimizerInput): Record<string, never> {
    if (!this.catalog.getTable(input.DatabaseName, input.TableName)) {
      throw namedError('Glue.EntityNotFoundException', `Table ${input.TableName} not found. (Service: Glue, Status Code: 400, Error Code: EntityNotFoundException)`);
    }
    if (this.find(input)) {
      throw namedError('Glue.AlreadyExistsException', `Table optimizer of type ${input.Type} already exists. (Service: Glue, Status Code: 400, Error Code: AlreadyExistsException)`);
    }
    this.optimizers.push({
      databaseName: input.DatabaseName, tableName: input.TableName, type: input.Type, configuration: input.TableOptimizerConfiguration,
    });
    fs.writeFileSync(this.file, JSON.stringify(this.optimizers, null, 2));
    return {};
  }

  public update(input: UpdateTableOptimizerInput): Record<string, never> {
    const optimizer = this.existing(input);
    this.optimizers[this.optimizers.indexOf(optimizer)] = { ...optimizer, configuration: input.TableOptimizerConfiguration };
    fs.writeFileSync(this.file, JSON.stringify(this.optimizers, null, 2));
    return {};
  }

  public get(input: GetTableOptimizerInput): Record<string, any> {
    const optimizer = this.existing(input);
    return {
      CatalogId: input.CatalogId,
      DatabaseName: input.DatabaseName,
      TableName: input.TableName,
      TableOptimizer: { Type: optimizer.type, Configuration: optimizer.configuration },
    };
  }

  private existing(input: GetTableOptimizerInput): LocalTableOptimizer {
    const optimizer = this.find(input);
    if (!optimizer) {
      throw namedError('Glue.EntityNotFoundException', `Table optimizer of type ${input.Type} not found. (Service: Glue, Status Code: 400, Error Code: EntityNotFoundException)`);
    }
    return optimizer;
  }

  private find(input: GetTableOptimizerInput): LocalTableOptimizer | undefined {
    return this.optimizers.find((optimizer) =>
      optimizer.databaseName === input.DatabaseName && optimizer.tableName === input.TableName && optimizer.type === input.Type);
  }
}
