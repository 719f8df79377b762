import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';

export const ROOT = path.join(__dirname, '..');
export const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The fenced code blocks of the README in a language, in order. */
export function codeBlocks(language: string): string[] {
  return [...README.matchAll(/^```(\w+)[^\n]*\n([\s\S]*?)^```$/gm)]
    .filter((match) => match[1] === language)
    .map((match) => match[2]);
}

/** A synthesized README example: its app, cloud assembly directory and manifest. */
export interface SynthesizedExample {
  /** The example's `app`, as it built it. */
  readonly app: App;
  readonly outdir: string;
  readonly manifest: any;
  /** The template of a stack of the assembly, parsed. */
  template(stackName: string): any;
}

/**
 * Runs a README example exactly as printed, importing this package from its sources, and writes
 * its cloud assembly to a new scratch directory.
 */
export function synthesizeExample(code: string): SynthesizedExample {
  const outdir = mkdtempSync(path.join(tmpdir(), 'readme-'));
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText
    .replace(/require\("cdk-keep-data-up-to-date"\)/g, 'require("../src")')
    // Every example names its app `app`; the tests inspect it.
    + '\nexports.app = app;\n';
  const previous = process.env.CDK_OUTDIR;
  process.env.CDK_OUTDIR = outdir;
  const exported: { app?: App } = {};
  try {
    new Function('require', 'exports', js)(require, exported);
  } finally {
    if (previous === undefined) delete process.env.CDK_OUTDIR;
    else process.env.CDK_OUTDIR = previous;
  }
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  return {
    app: exported.app!,
    outdir,
    manifest,
    template: (stackName) => JSON.parse(readFileSync(path.join(outdir, manifest.artifacts[stackName].properties.templateFile), 'utf8')),
  };
}

/**
 * Fails, listing them, when a stack has any warning or error. aws-cdk-lib 2.257 no longer writes
 * them into the manifest's `metadata` (they go to an additional metadata file), so they are read
 * the documented way: `Annotations.fromStack`, which synthesizes the app again.
 */
export function expectNoWarningOrError(stack: Stack): void {
  const annotations = Annotations.fromStack(stack);
  const messages = [...annotations.findError('*', Match.anyValue()), ...annotations.findWarning('*', Match.anyValue())]
    .map((message) => `${message.level} at ${message.id}: ${message.entry.data}`);
  expect(messages).toEqual([]);
}
