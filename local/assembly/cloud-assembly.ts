import * as fs from 'node:fs';
import * as path from 'node:path';
import { pseudoParametersOf } from './cfn-intrinsics';
import { CfnTemplate, ResolvedStateMachine, stateMachinesOf } from './definition';
import { UsageError } from '../usage-error';

/**
 * The key of the template metadata the construct writes on its state machine. It is repeated
 * here, not imported, so that this package never depends on the construct library.
 */
export const LOCAL_RUN_METADATA_KEY = 'cdk-keep-data-up-to-date';

/** A `KeepDataUpToDate` instance found in a cloud assembly, with its state machine resolved. */
export interface WorkflowInAssembly {
  /** The construct path of the `KeepDataUpToDate`, e.g. `Analytics/DailySales`. */
  readonly constructPath: string;
  /** The stack (artifact id) whose template holds it. */
  readonly stackId: string;
  readonly databaseName: string;
  readonly targetTableName: string;
  readonly sourceTableNames: string[];
  readonly machine: ResolvedStateMachine;
}

interface Manifest {
  readonly artifacts?: Record<string, { type: string; environment?: string; properties?: { templateFile?: string; directoryName?: string } }>;
}

interface TemplateWithMetadata extends CfnTemplate {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, any> }>;
}

/**
 * Every `KeepDataUpToDate` state machine of a synthesized cloud assembly (`cdk.out`), nested
 * assemblies (stages) included, found by the metadata the construct writes, in any language's app.
 */
export function findWorkflows(assemblyDir: string): WorkflowInAssembly[] {
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new UsageError(`No cloud assembly at ${assemblyDir}: ${manifestFile} does not exist. Run \`cdk synth\` first, or pass the directory it writes (default cdk.out).`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch (error) {
    throw new UsageError(`${manifestFile} is not a cloud assembly manifest: ${(error as Error).message}`);
  }
  const workflows: WorkflowInAssembly[] = [];
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      workflows.push(...findWorkflows(path.join(assemblyDir, artifact.properties.directoryName)));
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const template = JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.properties.templateFile), 'utf8')) as TemplateWithMetadata;
    const marked = Object.entries(template.Resources ?? {}).filter(([, resource]) => resource.Metadata?.[LOCAL_RUN_METADATA_KEY]);
    if (marked.length === 0) continue;
    const machines = stateMachinesOf(template, pseudoParametersOf(artifact.environment));
    for (const [logicalId, resource] of marked) {
      const description = resource.Metadata![LOCAL_RUN_METADATA_KEY];
      workflows.push({
        constructPath: description.constructPath,
        stackId: artifactId,
        databaseName: description.databaseName,
        targetTableName: description.targetTableName,
        sourceTableNames: description.sourceTableNames,
        machine: machines.find((machine) => machine.logicalId === logicalId)!,
      });
    }
  }
  return workflows;
}

/** The workflow at `constructPath`, or the only one when no path is given; a clear error otherwise. */
export function chooseWorkflow(workflows: WorkflowInAssembly[], assemblyDir: string, constructPath?: string): WorkflowInAssembly {
  const paths = workflows.map((workflow) => `  ${workflow.constructPath}`).join('\n');
  if (workflows.length === 0) {
    throw new UsageError(`The cloud assembly ${assemblyDir} has no KeepDataUpToDate workflow.`);
  }
  if (constructPath === undefined) {
    if (workflows.length === 1) return workflows[0];
    throw new UsageError(`The cloud assembly ${assemblyDir} has ${workflows.length} KeepDataUpToDate workflows; choose one with --construct:\n${paths}`);
  }
  const chosen = workflows.find((workflow) => workflow.constructPath === constructPath);
  if (!chosen) throw new UsageError(`No KeepDataUpToDate workflow at construct path '${constructPath}' in ${assemblyDir}. It has:\n${paths}`);
  return chosen;
}
