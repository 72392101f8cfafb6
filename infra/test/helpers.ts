// Test helpers: synthesize the whole app from a config once per test file and hand out the
// templates. Offline: no credentials, no context look-ups, no Docker (assets are only staged).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { addStacks, MySiteApp } from '../lib/app';
import { DeploymentConfig, parseConfig } from '../lib/config';

export const kInfraDir = path.resolve(__dirname, '..');
export const kRepositoryRoot = path.resolve(kInfraDir, '..');
export const kTestConfigFile = path.join(__dirname, 'config.test.yaml');

/** The test config's YAML, with `extra` lines appended (later keys are added, not replaced). */
export function testConfigText(extra = ''): string {
  return fs.readFileSync(kTestConfigFile, 'utf8') + extra;
}

export interface Synthesized extends MySiteApp {
  readonly config: DeploymentConfig;
  readonly assembly: cxapi.CloudAssembly;
  /** Template of the main stack. */
  readonly site: Template;
  /** Template of the us-east-1 certificate stack. */
  readonly certificate: Template;
  /** The raw JSON of the main stack's template. */
  readonly siteJson: any;
}

/** Feature flags and context from cdk.json, so tests synthesize what `cdk synth` does. */
function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(kInfraDir, 'cdk.json'), 'utf8')).context ?? {};
}

/** Synthesizes both stacks from YAML text (default: the test config). */
export function synthesize(yaml = testConfigText()): Synthesized {
  const config = parseConfig(yaml, 'test config');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mysite-infra-test-'));
  process.on('exit', () => fs.rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ outdir, context: cdkJsonContext() });
  const stacks = addStacks(app, config, { repositoryRoot: kRepositoryRoot });
  const assembly = app.synth();
  const siteJson = assembly.getStackArtifact(stacks.siteStack.artifactId).template;
  return {
    ...stacks,
    config,
    assembly,
    siteJson,
    site: Template.fromJSON(siteJson),
    certificate: Template.fromJSON(assembly.getStackArtifact(stacks.certificateStack.artifactId).template),
  };
}

/** The single resource of `type` in `template` (fails if there is not exactly one). */
export function onlyResource(template: Template, type: string): { id: string; Properties: any; DependsOn?: string[] } {
  const found = template.findResources(type);
  const ids = Object.keys(found);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return { id: ids[0], ...(found[ids[0]] as { Properties: any; DependsOn?: string[] }) };
}

/** The container definitions of the only task definition, by name. */
export function containers(template: Template): Record<string, any> {
  const task = onlyResource(template, 'AWS::ECS::TaskDefinition');
  return Object.fromEntries(task.Properties.ContainerDefinitions.map((c: any) => [c.Name, c]));
}

/** The logical id of the only resource of `type`. */
export function logicalId(template: Template, type: string): string {
  return onlyResource(template, type).id;
}

/** What `synthesizeOrViolations` returns: the synthesized app, or the violations that stopped it. */
export interface SynthesisOutcome {
  readonly synthesized?: Synthesized;
  /** One line per violation: `<rule text> at <construct path>`. */
  readonly violations: string[];
}

/**
 * Like `synthesize`, but when validation (cdk-nag errors, CloudFormation checks) stops synthesis
 * it returns the violations from the validation report instead of throwing.
 */
export function synthesizeOrViolations(yaml = testConfigText()): SynthesisOutcome {
  try {
    return { synthesized: synthesize(yaml), violations: [] };
  } catch (e) {
    const report = /found in: (\S+validation-report\.json)/.exec((e as Error).message);
    if (!report) throw e;
    const parsed = JSON.parse(fs.readFileSync(report[1], 'utf8'));
    const violations = parsed.pluginReports.flatMap((p: any) => p.violations.flatMap((v: any) =>
      v.violatingConstructs.map((c: any) => `${v.description.split('\n')[0].slice(0, 120)} at ${c.constructPath}`)));
    return { violations };
  }
}
