import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import * as YAML from 'yaml';

const LOCAL = path.join(__dirname, '..');

/** An import or re-export of one module by another, as the TypeScript compiler reads it. */
interface ModuleImport {
  readonly specifier: string;
  /** The imported file relative to local/, when it is one of the package's own. */
  readonly target?: string;
  /** Elided from the compiled JavaScript: `import type`, or only `type` names. */
  readonly typeOnly: boolean;
}

/** Every TypeScript module of the package under local/ (the compiled lib/ and its tests, test/, left out), relative to local/. */
function localModules(): string[] {
  return (fs.readdirSync(LOCAL, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.startsWith('lib') && !file.startsWith('test'))
    .sort();
}

/** A module's imports and re-exports, parsed and resolved by the TypeScript compiler. */
function importsOf(file: string): ModuleImport[] {
  const fileName = path.join(LOCAL, file);
  const source = ts.createSourceFile(fileName, fs.readFileSync(fileName, 'utf8'), ts.ScriptTarget.Latest);
  const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 };
  return source.statements.flatMap((statement): ModuleImport[] => {
    const declaration = ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement : undefined;
    if (!declaration?.moduleSpecifier || !ts.isStringLiteral(declaration.moduleSpecifier)) return [];
    const specifier = declaration.moduleSpecifier.text;
    const resolved = ts.resolveModuleName(specifier, fileName, options, ts.sys).resolvedModule;
    const inPackage = resolved && !resolved.isExternalLibraryImport && !path.relative(LOCAL, resolved.resolvedFileName).startsWith('..');
    const target = inPackage ? path.relative(LOCAL, resolved.resolvedFileName) : undefined;
    return [{ specifier, target, typeOnly: isTypeOnly(declaration) }];
  });
}

function isTypeOnly(declaration: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(declaration)) {
    return declaration.isTypeOnly || (!!declaration.exportClause && ts.isNamedExports(declaration.exportClause)
      && declaration.exportClause.elements.length > 0 && declaration.exportClause.elements.every((element) => element.isTypeOnly));
  }
  const clause = declaration.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return !clause.name && !!bindings && ts.isNamedImports(bindings)
    && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

/** The import cycles among local/'s modules, each as `a.ts → b.ts → a.ts`. */
function importCycles(graph: Map<string, string[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'visiting');
    for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  return cycles;
}

test('the package imports neither the construct library nor aws-cdk-lib at run time', () => {
  for (const file of localModules()) {
    for (const { specifier, target, typeOnly } of importsOf(file)) {
      if (typeOnly) continue;
      expect({ file, specifier, outside: specifier.startsWith('.') && target === undefined }).toEqual({ file, specifier, outside: false });
      expect({ file, specifier, cdk: specifier.startsWith('aws-cdk-lib') }).toEqual({ file, specifier, cdk: false });
    }
  }
});

test('the runner\'s modules depend in one direction (no import cycle, type-only imports included)', () => {
  const graph = new Map(localModules().map((file) => [file, importsOf(file).flatMap(({ target }) => (target ? [target] : []))]));
  // The whole package, the SQL engine (athena/, athena/trino/) included.
  expect([...graph.keys()]).toEqual(expect.arrayContaining(['execution/executor.ts', 'athena/api/local-athena.ts', 'athena/trino/ast.ts', 'athena/trino/polyglot.ts']));
  expect(importCycles(graph)).toEqual([]);
  // The runner's core in particular: executor ← local-executions ← task-handlers ← local-aws.
  expect(graph.get('execution/executor.ts')).not.toContain('execution/task-handlers.ts');
  expect(graph.get('execution/task-handlers.ts')).not.toContain('local-aws.ts');
  // polyglot.ts wraps the parser; the AST helpers build on it, never the other way round.
  expect(graph.get('athena/trino/ast.ts')).toContain('athena/trino/polyglot.ts');
});

test('the cycle check finds a cycle', () => {
  expect(importCycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]))).toEqual(['a.ts → b.ts → c.ts → a.ts']);
});

describe('the release', () => {
  const ROOT = path.join(__dirname, '..', '..');
  const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks as Record<string, { steps?: Array<Record<string, string>> }>;
  const workflow = YAML.parse(fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8')) as {
    jobs: Record<string, { needs?: string | string[]; steps: Array<{ run?: string; uses?: string; with?: Record<string, string> }> }>;
  };

  test('builds the local package\'s tarball into dist/local/ with the library\'s', () => {
    // GIVEN the release job, which runs `release` (bump, build, unbump) and uploads dist/
    const releaseJob = workflow.jobs.release;
    expect(releaseJob.steps.map((step) => step.run)).toContain('npx projen release');
    expect(releaseJob.steps.find((step) => step.uses?.startsWith('actions/upload-artifact'))?.with?.path).toBe('dist');
    // THEN build packs both packages
    expect(tasks.release.steps).toContainEqual({ spawn: 'build' });
    expect(tasks.build.steps).toContainEqual({ spawn: 'package' });
    expect(tasks.package.steps?.slice(1)).toEqual([{ spawn: 'package:js' }, { spawn: 'package:local' }]);
    expect(tasks['package:local'].steps).toEqual([{ spawn: 'local:build' }, { exec: 'bash scripts/pack-local.sh' }]);
  });

  test('package compiles first when there is no .jsii assembly, as on a fresh clone, and only then', () => {
    // GIVEN the first step of `package`
    const [compile] = tasks.package.steps!;
    expect(compile).toMatchObject({ spawn: 'compile' });
    const runs = (dir: string) => spawnSync(compile.condition, { shell: true, cwd: dir }).status === 0;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fresh-clone-'));
    try {
      // THEN it runs in a directory without .jsii, and not once there is one
      expect(runs(dir)).toBe(true);
      fs.writeFileSync(path.join(dir, '.jsii'), '{}');
      expect(runs(dir)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('publishes the local package from dist/local/ after the build', () => {
    const [name, job] = Object.entries(workflow.jobs).find(([, candidate]) => candidate.steps.some((step) => /\bpublib-npm dist\/local$/.test(step.run ?? '')))!;
    expect(name).toBe('release_npm_local');
    expect(job.needs).toBe('release');
    expect(job.steps.find((step) => step.uses?.startsWith('actions/download-artifact'))?.with?.path).toBe('dist');
    // The library's own npm job publishes dist/js/ only (publib-npm's default directory).
    expect(workflow.jobs.release_npm.steps.map((step) => step.run)).toContain("npx '-p' 'publib@latest' 'publib-npm'");
  });
});
