import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AppendNewerRowsOptions, KeepDataUpToDate, KeepDataUpToDateProps, TableCompression, TableFormat, TargetQueries, TargetTableType, WatermarkColumnType } from '../src';
import { definitionOf, newStack, watermarkProps } from './util';


const props = watermarkProps;


describe('TargetQueries.appendNewerRows', () => {
  test('creates the target empty, with quoted identifiers, and appends one window of newer rows per update', () => {
    const queries = TargetQueries.appendNewerRows({
      sourceTableName: 'raw_sales',
      watermarkColumn: 'dt',
      columns: ['order_id', 'amount', 'dt'],
    });
    expect(queries.createTargetQuery).toBe([
      'CREATE TABLE "{{database}}"."{{targetTable}}"',
      'WITH (',
      "  format = 'PARQUET',",
      "  write_compression = 'SNAPPY',",
      "  external_location = '{{targetLocation}}',",
      "  partitioned_by = ARRAY['dt']",
      ')',
      'AS SELECT "order_id", "amount", "dt" FROM "{{database}}"."raw_sales"',
      'WITH NO DATA',
    ].join('\n'));
    expect(queries.updateTargetQuery).toBe([
      'INSERT INTO "{{database}}"."{{targetTable}}"',
      'SELECT "order_id", "amount", "dt" FROM "{{database}}"."raw_sales"',
      'WHERE "dt" > {{watermark}} AND "dt" <= {{windowEnd}}',
    ].join('\n'));
    expect(queries.watermark).toEqual({ column: 'dt', isPartitionColumn: true, sourceTableName: 'raw_sales', initialValue: undefined, maxPartitionsPerQuery: undefined, columnType: undefined, lookbackPartitions: undefined });
  });

  test('ORC with ZSTD, every column, a non-partition watermark', () => {
    const queries = TargetQueries.appendNewerRows({
      sourceTableName: 'raw_events',
      watermarkColumn: 'event_time',
      partitionedBy: ['region'],
      format: TableFormat.ORC,
      compression: TableCompression.ZSTD,
    });
    expect(queries.createTargetQuery).toContain("format = 'ORC',\n  orc_compression = 'ZSTD'");
    expect(queries.createTargetQuery).toContain("partitioned_by = ARRAY['region']");
    expect(queries.createTargetQuery).toContain('AS SELECT * FROM "{{database}}"."raw_events"');
    expect(queries.watermark?.isPartitionColumn).toBe(false);
  });
});

describe('watermark step', () => {
  test('reads the target watermark from partition metadata, then loads window by window until the source has no newer value', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack, { singleWriter: false }));
    const states = definitionOf(stack).States;

    // Get Target Table → (Create Target Table →) Get Source Table → Source Uses Partition Projection?
    expect(states['Get Target Table'].Next).toBe('Get Source Table');
    expect(states['Create Target Table'].Next).toBe('Get Source Table');
    expect(states['Get Source Table'].Resource).toBe('arn:<Ref:AWS::Partition>:states:::aws-sdk:glue:getTable');
    expect(states['Get Source Table'].Parameters).toEqual({ DatabaseName: 'analytics', Name: 'raw_sales' });
    expect(states['Source Uses Partition Projection?'].Choices).toEqual([
      { Not: { Variable: "$.sourceTable.Table.Parameters['projection.enabled']", IsPresent: true }, Next: 'Source Partitions Are Registered' },
      {
        Or: ['true', 'TRUE', 'True'].map((value) => ({ Variable: "$.sourceTable.Table.Parameters['projection.enabled']", StringEquals: value })),
        Next: 'Source Uses Partition Projection',
      },
    ]);
    expect(states['Source Uses Partition Projection?'].Default).toBe('Source Partitions Are Registered');
    expect(states['Source Uses Partition Projection']).toEqual(expect.objectContaining({ Type: 'Fail', Error: 'KeepDataUpToDate.PartitionProjectionSource' }));
    expect(states['Source Partitions Are Registered'].Next).toBe('Get Watermark');

    // Get Watermark → Read Watermark → Target Has Rows?
    expect(states['Get Watermark'].Parameters.QueryString).toBe(
      'SELECT v, \'\'\'\' || replace(v, \'\'\'\', \'\'\'\'\'\') || \'\'\'\' AS literal FROM (SELECT CAST(max("dt") AS varchar) AS v FROM "analytics"."daily_sales$partitions")',
    );
    expect(states['Get Watermark'].Next).toBe('Read Watermark');
    expect(states['Read Watermark'].Resource).toBe('arn:<Ref:AWS::Partition>:states:::aws-sdk:athena:getQueryResults');
    expect(states['Read Watermark'].Parameters).toEqual({ 'QueryExecutionId.$': '$.watermarkQuery.QueryExecutionId', 'MaxResults': 2 });
    expect(states['Target Has Rows?'].Choices).toEqual([
      { Variable: '$.watermarkResult.rows[1].Data[0].VarCharValue', IsPresent: true, Next: 'Start After Newest Target Value' },
    ]);
    expect(states['Target Has Rows?'].Default).toBe('Start From Initial Watermark');
    expect(states['Start From Initial Watermark'].Parameters).toEqual({ value: '', literal: "''", before: '' });
    expect(states['Start After Newest Target Value'].Next).toBe('Find Next Window');

    // Find Next Window: at most 100 newer source partitions, after the watermark written into the text.
    expect(states['Find Next Window'].Parameters['QueryString.$']).toContain(
      'FROM (SELECT "dt" FROM "analytics"."raw_sales$partitions" WHERE "dt" > {} GROUP BY "dt" ORDER BY "dt" LIMIT 100))\', $.watermark.literal)',
    );
    expect(states['Find Next Window'].Parameters.ExecutionParameters).toBeUndefined();
    expect(states['Newer Source Data?'].Choices).toEqual([
      { Variable: '$.windowResult.rows[1].Data[0].VarCharValue', IsPresent: true, Next: 'Set Window' },
    ]);
    expect(states['Newer Source Data?'].Default).toBe('Target Is Up To Date');
    expect(states['Target Is Up To Date'].Type).toBe('Succeed');

    // Update with both bounds written into the statement, then advance the watermark to the window's end and loop.
    expect(states['Set Window'].Parameters).toEqual({
      'end.$': '$.windowResult.rows[1].Data[0].VarCharValue',
      'endLiteral.$': '$.windowResult.rows[1].Data[1].VarCharValue',
    });
    expect(states['Set Window'].Next).toBe('Update Target Table');
    expect(states['Update Target Table'].Parameters['QueryString.$']).toBe(
      'States.Format(\'INSERT INTO "analytics"."daily_sales"\nSELECT "order_id", "amount", "dt" FROM "analytics"."raw_sales"\nWHERE "dt" > {} AND "dt" <= {}\', $.watermark.literal, $.window.endLiteral)',
    );
    expect(states['Update Target Table'].Parameters.ExecutionParameters).toBeUndefined();
    expect(states['Update Target Table'].Next).toBe('Advance Watermark');
    expect(states['Advance Watermark'].Parameters).toEqual({ 'value.$': '$.window.end', 'literal.$': '$.window.endLiteral', 'before.$': '$.watermark.before' });
    expect(states['Advance Watermark'].Next).toBe('Find Next Window');
  });

  test('templates get the bounds where they use them, and a non-partition watermark reads the table', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack, {
      queries: undefined,
      createTargetQuery: 'CREATE TABLE {{targetTable}} AS SELECT * FROM {{sourceTable}} WITH NO DATA',
      updateTargetQuery: 'INSERT INTO {{targetTable}} SELECT * FROM {{sourceTable}} WHERE ts <= {{windowEnd}} AND ts > {{watermark}}',
      watermark: { column: 'ts', isPartitionColumn: false, initialValue: '2026-01-01 00:00:00', maxPartitionsPerQuery: 7 },
    }));
    const states = definitionOf(stack).States;
    expect(states['Update Target Table'].Parameters['QueryString.$']).toBe(
      "States.Format('INSERT INTO daily_sales SELECT * FROM raw_sales WHERE ts <= {} AND ts > {}', $.window.endLiteral, $.watermark.literal)",
    );
    expect(states['Get Watermark'].Parameters.QueryString).toContain('FROM "analytics"."daily_sales")');
    expect(states['Find Next Window'].Parameters['QueryString.$']).toContain('FROM "analytics"."raw_sales" WHERE "ts" > {} GROUP BY "ts" ORDER BY "ts" LIMIT 7');
    // A watermark on a column that is no partition column never reads $partitions: no projection check.
    expect(states['Get Source Table']).toBeUndefined();
    expect(states['Start From Initial Watermark'].Parameters).toEqual({ value: '2026-01-01 00:00:00', literal: "'2026-01-01 00:00:00'", before: '2026-01-01 00:00:00' });
  });

  test.each([
    [WatermarkColumnType.DATE, '2026-01-01', "DATE '2026-01-01'", "'DATE ' || '''' || replace(v, '''', '''''') || ''''"],
    [WatermarkColumnType.TIMESTAMP, '2026-01-01 06:00:00', "TIMESTAMP '2026-01-01 06:00:00'", "'TIMESTAMP ' || '''' || replace(v, '''', '''''') || ''''"],
    [WatermarkColumnType.INTEGER, '20260101', '20260101', 'v'],
  ])('a %s watermark column gets bounds of its type, from the initial value and from Athena', (columnType, initialValue, initialLiteral, literalExpression) => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack, {
      queries: TargetQueries.appendNewerRows({
        sourceTableName: 'raw_sales', watermarkColumn: 'dt', watermarkType: columnType, initialWatermark: initialValue, columns: ['order_id', 'amount', 'dt'],
      }),
    }));
    const states = definitionOf(stack).States;
    expect(states['Start From Initial Watermark'].Parameters).toEqual({ value: initialValue, literal: initialLiteral, before: initialValue });
    expect(states['Get Watermark'].Parameters.QueryString).toBe(
      `SELECT v, ${literalExpression} AS literal FROM (SELECT CAST(max("dt") AS varchar) AS v FROM "analytics"."daily_sales$partitions")`,
    );
  });

  test.each([
    [WatermarkColumnType.STRING, "''"],
    [WatermarkColumnType.DATE, "DATE '0001-01-01'"],
    [WatermarkColumnType.TIMESTAMP, "TIMESTAMP '0001-01-01 00:00:00'"],
    [WatermarkColumnType.INTEGER, '-9223372036854775807'],
  ])('without an initial value, a %s watermark starts below every value of its type', (columnType, literal) => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack, {
      queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt', watermarkType: columnType, columns: ['order_id', 'amount', 'dt'] }),
    }));
    expect(definitionOf(stack).States['Start From Initial Watermark'].Parameters.literal).toBe(literal);
  });

  test.each([
    [WatermarkColumnType.DATE, '2026-1-1'],
    [WatermarkColumnType.DATE, '2026-02-30'],
    [WatermarkColumnType.TIMESTAMP, 'yesterday'],
    [WatermarkColumnType.INTEGER, '1 OR 1=1'],
    [WatermarkColumnType.INTEGER, '2026.5'],
  ])('fails when the initial value of a %s watermark is %p', (columnType, initialValue) => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'DailySales', props(stack, {
      queries: TargetQueries.appendNewerRows({
        sourceTableName: 'raw_sales', watermarkColumn: 'dt', watermarkType: columnType, initialWatermark: initialValue, columns: ['order_id', 'amount', 'dt'],
      }),
    }))).toThrow(`KeepDataUpToDate 'Stack/DailySales': queries (TargetQueries.appendNewerRows: initialWatermark) must be a ${columnType.toLowerCase()} value`);
  });

  test('fails when appendNewerRows lists the partition columns anywhere but last, in order, naming the construct', () => {
    const build = (id: string, options: Partial<AppendNewerRowsOptions>) => {
      const stack = newStack();
      return () => new KeepDataUpToDate(stack, id, props(stack, { queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt', ...options }) }));
    };
    expect(build('A', { columns: ['dt', 'order_id', 'amount'] }))
      .toThrow("KeepDataUpToDate 'Stack/A': queries (TargetQueries.appendNewerRows: columns) must end with the partition columns, in partitionedBy order: [..., dt] (got [dt, order_id, amount]) (cdk-keep-data-up-to-date:InvalidColumns)");
    expect(build('B', { partitionedBy: ['dt', 'region'], columns: ['order_id', 'region', 'dt'] }))
      .toThrow('queries (TargetQueries.appendNewerRows: columns) must end with the partition columns, in partitionedBy order: [..., dt, region]');
    expect(build('C', { partitionedBy: ['dt', 'region'], columns: ['order_id', 'dt', 'region'] })).not.toThrow();
  });

  test('a string watermark escapes quotes in its initial value, and braces in the statement survive States.Format', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack, {
      queries: undefined,
      createTargetQuery: 'CREATE TABLE {{targetTable}} AS SELECT * FROM {{sourceTable}} WITH NO DATA',
      updateTargetQuery: "INSERT INTO {{targetTable}} SELECT * FROM {{sourceTable}} WHERE regexp_like(id, '^[a-z]{2}$') AND dt > {{watermark}} AND dt <= {{windowEnd}}",
      watermark: { column: 'dt', initialValue: "it's" },
    }));
    const states = definitionOf(stack).States;
    expect(states['Start From Initial Watermark'].Parameters.literal).toBe("'it''s'");
    expect(states['Update Target Table'].Parameters['QueryString.$']).toBe(
      "States.Format('INSERT INTO daily_sales SELECT * FROM raw_sales WHERE regexp_like(id, \\'^[a-z]\\{2\\}$\\') AND dt > {} AND dt <= {}', $.watermark.literal, $.window.endLiteral)",
    );
  });

  test('the role may read query results in its workgroup only', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: 'athena:getQueryResults',
          Effect: 'Allow',
          Resource: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':athena:eu-west-1:111122223333:workgroup/', { Ref: Match.stringLikeRegexp('^DailySalesWorkGroup') }]],
          },
        }]),
      },
    });
  });

  test.each([
    ['an update without {{windowEnd}}', { updateTargetQuery: 'INSERT INTO t SELECT * FROM s WHERE dt > {{watermark}}' }, /updateTargetQuery must use \{\{windowEnd\}\} with a watermark/],
    ['an update without both bounds', { updateTargetQuery: 'INSERT INTO t SELECT * FROM s' }, /updateTargetQuery must use \{\{watermark\}\} and \{\{windowEnd\}\} with a watermark/],
    ['more than 100 partitions per query', { watermark: { column: 'dt', maxPartitionsPerQuery: 101 } }, /watermark.maxPartitionsPerQuery must be a whole number from 1 to 100.*got 101/],
    ['an invalid watermark column', { watermark: { column: 'Order Date' } }, /watermark.column must be .*got 'Order Date'/],
    ['a window source that is not a source table', { watermark: { column: 'dt', sourceTableName: 'other' } }, /watermark.sourceTableName must be one of sourceTableNames \(got 'other'\)/],
  ])('fails with %s', (_name, overrides, error) => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'DailySales', props(stack, {
      queries: undefined,
      createTargetQuery: 'CREATE TABLE t AS SELECT * FROM s',
      updateTargetQuery: 'INSERT INTO t SELECT * FROM s WHERE dt > {{watermark}} AND dt <= {{windowEnd}}',
      watermark: { column: 'dt' },
      ...overrides,
    } as Partial<KeepDataUpToDateProps>))).toThrow(error);
  });

  test('fails when {{watermark}} is used without a watermark', () => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'DailySales', props(stack, {
      queries: undefined,
      createTargetQuery: 'CREATE TABLE t AS SELECT * FROM s',
      updateTargetQuery: 'INSERT INTO t SELECT * FROM s WHERE dt > {{watermark}}',
    }))).toThrow(/updateTargetQuery uses unknown placeholder \{\{watermark\}\}/);
  });

  test('fails when queries is combined with the statements it replaces, or when neither is given', () => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'A', props(stack, { createTargetQuery: 'CREATE TABLE t AS SELECT 1' })))
      .toThrow(/createTargetQuery \(deprecated\) cannot be combined with queries, which sets it/);
    expect(() => new KeepDataUpToDate(stack, 'B', props(stack, { queries: undefined })))
      .toThrow(/queries is required: .*\(cdk-keep-data-up-to-date:MissingQueries\)$/);
  });
});

describe('concurrency guard, schedule and alarm', () => {
  test('the guard may list this state machine\'s executions and nothing else', () => {
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'DailySales', props(stack));
    const name = stack.resolve(construct.stateMachine.stateMachineName);
    const machines = Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine');
    const explicitName = Object.values(machines)[0].Properties.StateMachineName;
    expect(typeof explicitName).toBe('string');
    expect(name).toEqual({ 'Fn::GetAtt': [Object.keys(machines)[0], 'Name'] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: 'states:ListExecutions',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:states:eu-west-1:111122223333:stateMachine:${explicitName}`]] },
        }]),
      },
    });
  });

  test('no schedule by default', () => {
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'DailySales', props(stack));
    Template.fromStack(stack).resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(construct.schedule).toBeUndefined();
  });

  test('a schedule starts the state machine through a role that may start only it', () => {
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'DailySales', props(stack, {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
    }));
    const template = Template.fromStack(stack);
    const machineId = stack.getLogicalId(construct.stateMachine.node.defaultChild as any);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: { Ref: machineId }, RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 0 }) }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: machineId } }] },
    });
  });

  test('an alarm goes off on any failed execution and notifies the topic', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    const construct = new KeepDataUpToDate(stack, 'DailySales', props(stack, { alarmTopic: topic }));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stack.getLogicalId(construct.stateMachine.node.defaultChild as any) } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as any) }],
    });
  });
});

describe('late rows: TargetQueries.mergeNewerRows and lookback', () => {
  const merge = () => TargetQueries.mergeNewerRows({
    sourceTableName: 'raw_sales',
    uniqueKey: ['order_id'],
    watermarkColumn: 'dt',
    columns: ['order_id', 'amount', 'dt'],
  });

  test('creates an empty Iceberg target and merges one deduplicated window on the key', () => {
    const queries = merge();
    expect(queries.createTargetQuery).toBe([
      'CREATE TABLE "{{database}}"."{{targetTable}}"',
      'WITH (',
      "  table_type = 'ICEBERG',",
      '  is_external = false,',
      "  location = '{{targetLocation}}',",
      "  format = 'PARQUET',",
      "  write_compression = 'SNAPPY',",
      "  partitioning = ARRAY['dt']",
      ')',
      'AS SELECT "order_id", "amount", "dt" FROM "{{database}}"."raw_sales"',
      'WITH NO DATA',
    ].join('\n'));
    expect(queries.updateTargetQuery).toBe([
      'MERGE INTO "{{database}}"."{{targetTable}}" AS t',
      'USING (',
      '  SELECT "order_id", "amount", "dt" FROM (',
      '    SELECT "order_id", "amount", "dt", row_number() OVER (PARTITION BY "order_id" ORDER BY "dt" DESC) AS "row_in_key"',
      '    FROM "{{database}}"."raw_sales"',
      '    WHERE "dt" > {{watermark}} AND "dt" <= {{windowEnd}}',
      '  ) WHERE "row_in_key" = 1',
      ') AS s',
      'ON t."order_id" = s."order_id"',
      'WHEN MATCHED THEN UPDATE SET "amount" = s."amount", "dt" = s."dt"',
      'WHEN NOT MATCHED THEN INSERT ("order_id", "amount", "dt") VALUES (s."order_id", s."amount", s."dt")',
    ].join('\n'));
    expect(queries.watermark?.lookbackPartitions).toBe(1);
  });

  test('the workflow starts after the target\'s second-newest value, read from the partition row of the Iceberg table\'s $partitions', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack, { queries: merge() }));
    const states = definitionOf(stack).States;
    expect(states['Get Watermark'].Parameters.QueryString).toBe(
      'SELECT v, \'\'\'\' || replace(v, \'\'\'\', \'\'\'\'\'\') || \'\'\'\' AS literal FROM ('
      + 'SELECT CAST(CASE WHEN count(*) > 1 THEN min("dt") END AS varchar) AS v FROM ('
      + 'SELECT "dt" FROM (SELECT "partition"."dt" AS "dt" FROM "analytics"."daily_sales$partitions") GROUP BY "dt" ORDER BY "dt" DESC LIMIT 2))',
    );
    // The source is still pruned by its partition metadata.
    expect(states['Find Next Window'].Parameters['QueryString.$']).toContain('FROM "analytics"."raw_sales$partitions"');
    // A MERGE takes no execution parameters: its bounds are written into its text.
    expect(states['Update Target Table'].Parameters['QueryString.$']).toMatch(/^States.Format\('MERGE INTO "analytics"."daily_sales" AS t/);
    expect(states['Update Target Table'].Parameters['QueryString.$']).toContain('WHERE "dt" > {} AND "dt" <= {}');
    expect(states['Update Target Table'].Parameters['QueryString.$']).toMatch(/, \$\.watermark\.literal, \$\.window\.endLiteral\)$/);
    expect(states['Update Target Table'].Parameters.ExecutionParameters).toBeUndefined();
  });

  test('an Iceberg target not partitioned by the watermark column is read with max over its rows', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack, {
      queries: TargetQueries.mergeNewerRows({
        sourceTableName: 'raw_sales', uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: ['order_id', 'amount', 'dt'], partitionedBy: ['order_id'],
      }),
    }));
    const states = definitionOf(stack).States;
    expect(states['Get Watermark'].Parameters.QueryString).toContain('SELECT "dt" FROM "analytics"."daily_sales" GROUP BY "dt"');
    expect(states['Find Next Window'].Parameters['QueryString.$']).toContain('FROM "analytics"."raw_sales" WHERE');
  });

  test('warns when a lookback reloads partitions with an update that is not a MERGE', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack, {
      queries: undefined,
      createTargetQuery: "CREATE TABLE t WITH (external_location = '{{targetLocation}}') AS SELECT * FROM s",
      updateTargetQuery: 'INSERT INTO t SELECT * FROM s WHERE dt > {{watermark}} AND dt <= {{windowEnd}}',
      watermark: { column: 'dt', lookbackPartitions: 2, targetTableType: TargetTableType.ICEBERG },
    }));
    Annotations.fromStack(stack).hasWarning('/Stack/DailySales', Match.stringLikeRegexp('lookbackPartitions loads the target\'s 2 newest partitions again.*not a MERGE'));
  });

  test.each([
    ['an empty key', { uniqueKey: [] }, /uniqueKey\) must name at least one column/],
    ['a key column that is not copied', { uniqueKey: ['id'] }, /columns\) must include 'id'/],
    ['a watermark column that is not copied', { watermarkColumn: 'ts' }, /columns\) must include 'ts'/],
  ])('mergeNewerRows fails with %s, naming the construct and the option', (_name, overrides, error) => {
    const queries = TargetQueries.mergeNewerRows({
      sourceTableName: 'raw_sales',
      uniqueKey: ['order_id'],
      watermarkColumn: 'dt',
      columns: ['order_id', 'amount', 'dt'],
      ...overrides,
    });
    const build = () => {
      const stack = newStack();
      return new KeepDataUpToDate(stack, 'Orders', props(stack, { queries }));
    };
    expect(build).toThrow(error);
    expect(build).toThrow(/^KeepDataUpToDate 'Stack\/Orders': queries \(TargetQueries.mergeNewerRows: (uniqueKey|columns)\).*\(cdk-keep-data-up-to-date:InvalidColumns\)$/);
  });

  test('with every column in the key, a match updates nothing', () => {
    const queries = TargetQueries.mergeNewerRows({ sourceTableName: 's', uniqueKey: ['id', 'dt'], watermarkColumn: 'dt', columns: ['id', 'dt'] });
    expect(queries.updateTargetQuery).not.toContain('WHEN MATCHED');
  });

  test('fails with a negative lookback', () => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'DailySales', props(stack, {
      queries: TargetQueries.mergeNewerRows({ sourceTableName: 'raw_sales', uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: ['order_id', 'dt'], lookbackPartitions: -1 }),
    }))).toThrow("KeepDataUpToDate 'Stack/DailySales': queries (TargetQueries.mergeNewerRows: lookbackPartitions) must be a whole number of 0 or more (got -1)");
  });
});

describe('late rows in a Hive target: lookback rewrites the newest partitions', () => {
  const rewriting = (stack: Stack) => props(stack, {
    queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt', columns: ['order_id', 'amount', 'dt'], lookbackPartitions: 2 }),
  });

  test('empties the partitions after the lookback watermark, page by page, before the windows insert them again', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', rewriting(stack));
    const states = definitionOf(stack).States;
    expect(states['Get Watermark'].Parameters.QueryString).toContain('CASE WHEN count(*) > 2 THEN min("dt") END');
    expect(states['Get Watermark'].Parameters.QueryString).toContain('FROM "analytics"."daily_sales$partitions" GROUP BY "dt" ORDER BY "dt" DESC LIMIT 3');
    expect(states['Start After Newest Target Value'].Next).toBe('Find Partitions To Rewrite');
    expect(states['Start From Initial Watermark'].Next).toBe('Find Partitions To Rewrite');
    expect(states['Find Partitions To Rewrite'].Parameters['QueryString.$']).toBe(
      'States.Format(\'SELECT CAST("dt" AS varchar) AS v FROM "analytics"."daily_sales$partitions" WHERE "dt" > {} ORDER BY "dt"\', $.watermark.literal)',
    );
    expect(states['Read Partitions To Rewrite'].Parameters.MaxResults).toBe(3);

    const map = states['Empty Partitions To Rewrite'];
    expect(map.Type).toBe('Map');
    expect(map.ItemsPath).toBe('$.rewriteResult.rows');
    expect(map.ItemSelector).toEqual({ 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value.Data[0].VarCharValue' });
    expect(map.ResultPath).toBeNull();
    expect(map.Next).toBe('Find Next Window');

    const inner = map.ItemProcessor.States;
    // Row 0 of the query results is the header.
    expect(map.ItemProcessor.StartAt).toBe('Header Row?');
    expect(inner['Header Row?'].Choices).toEqual([{ Variable: '$.index', NumericEquals: 0, Next: 'Skip Header Row' }]);
    expect(inner['Header Row?'].Default).toBe('List Partition Objects');
    expect(inner['List Partition Objects'].Resource).toBe('arn:<Ref:AWS::Partition>:states:::aws-sdk:s3:listObjectsV2');
    expect(inner['List Partition Objects'].Parameters).toEqual({
      'Bucket': 'my-lake',
      'Prefix.$': "States.Format('curated/dt={}/', $.value)",
      'MaxKeys': 500,
    });
    expect(inner['Partition Has Objects?'].Choices).toEqual([{ Variable: '$.listing.Contents', IsPresent: true, Next: 'Collect Object Keys' }]);
    expect(inner['Partition Has Objects?'].Default).toBe('Partition Emptied');
    expect(inner['Collect Object Keys'].ItemSelector).toEqual({ 'Key.$': '$$.Map.Item.Value.Key' });
    expect(inner['Delete Partition Objects'].Resource).toBe('arn:<Ref:AWS::Partition>:states:::aws-sdk:s3:deleteObjects');
    expect(inner['Delete Partition Objects'].Parameters).toEqual({ Bucket: 'my-lake', Delete: { 'Objects.$': '$.keys', 'Quiet': true } });
    expect(inner['Delete Partition Objects'].ResultPath).toBe('$.deleted');
    expect(inner['More Objects?'].Choices).toEqual([
      { Variable: '$.deleted.Errors', IsPresent: true, Next: 'Partition Not Emptied' },
      { Variable: '$.listing.IsTruncated', BooleanEquals: true, Next: 'List Partition Objects' },
    ]);
    expect(inner['Partition Not Emptied']).toEqual(expect.objectContaining({ Type: 'Fail', Error: 'KeepDataUpToDate.PartitionNotEmptied' }));
    Annotations.fromStack(stack).hasNoWarning('/Stack/DailySales', Match.stringLikeRegexp('lookbackPartitions'));
  });

  test('the role may list the target bucket and delete objects under the target prefix only', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', rewriting(stack));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 's3:ListBucket', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::my-lake']] } },
          { Action: 's3:DeleteObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::my-lake/curated/*']] } },
        ]),
      },
    });
  });

  test('without a lookback nothing is deleted, and the role may delete nothing', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack));
    expect(Object.keys(definitionOf(stack).States)).not.toContain('Empty Partitions To Rewrite');
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'))).not.toContain('s3:DeleteObject');
  });
});
