import * as fs from 'node:fs';
import * as path from 'node:path';

const LOCAL = path.join(__dirname, '..', 'local');
/** The repository's example app and its runner: users of the package, not part of it. */
const NOT_IN_PACKAGE = new Set(['app.ts', 'main.ts', 'sample-data.ts']);

/** The package's modules, by path relative to local/, with the modules they import at run time (type-only imports left out). */
function packageModules(): Map<string, string[]> {
  const files = (fs.readdirSync(LOCAL, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.startsWith('lib') && !NOT_IN_PACKAGE.has(file));
  const modules = new Map<string, string[]>();
  for (const file of files) {
    const source = fs.readFileSync(path.join(LOCAL, file), 'utf8');
    const imports = [...source.matchAll(/^import (?!type )[^;]*? from '([^']+)'/gm), ...source.matchAll(/^export [^;]*? from '([^']+)'/gm)].map((match) => match[1]);
    modules.set(file, imports);
  }
  return modules;
}

function resolveRelative(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.normalize(path.join(path.dirname(from), specifier));
  return [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(path.join(LOCAL, candidate)));
}

test('the package imports neither the construct library nor aws-cdk-lib at run time', () => {
  for (const [file, imports] of packageModules()) {
    for (const specifier of imports) {
      expect({ file, specifier, outside: specifier.startsWith('..') && !fs.existsSync(path.join(LOCAL, resolveRelative(file, specifier) ?? '\0')) }).toEqual({ file, specifier, outside: false });
      expect({ file, specifier, cdk: specifier.startsWith('aws-cdk-lib') }).toEqual({ file, specifier, cdk: false });
    }
  }
});

test('the runner\'s modules depend in one direction (no import cycle)', () => {
  // The SQL engine under athena/ is left out: its modules change separately.
  const modules = new Map([...packageModules()].filter(([file]) => !file.startsWith('athena')));
  const graph = new Map([...modules].map(([file, imports]) => [
    file,
    imports.map((specifier) => resolveRelative(file, specifier)).filter((target): target is string => target !== undefined),
  ]));
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
  expect(cycles).toEqual([]);
  // The runner's core in particular: executor ← local-executions ← task-handlers ← local-aws.
  expect(graph.get('executor.ts')).not.toContain('task-handlers.ts');
  expect(graph.get('task-handlers.ts')).not.toContain('local-aws.ts');
});
