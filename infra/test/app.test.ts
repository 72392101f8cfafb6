// app: `cdk synth` as `make synth` runs it (the CLI, offline, no credentials), its one-line
// refusal of a bad config, and a second copy of the stack under another name and region.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onlyResource, synthesize, kInfraDir, kTestConfigFile, testConfigText } from './helpers';

/** Runs `cdk synth` with `configFile`, with no AWS credentials or profile in reach. */
function cdkSynth(configFile: string) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mysite-cdk-synth-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && v !== undefined) env[k] = v;
  Object.assign(env, {
    MYSITE_CONFIG: configFile,
    HOME: outdir, // no ~/.aws
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  });
  const run = spawnSync(path.join(kInfraDir, 'node_modules', '.bin', 'cdk'),
    ['synth', '--no-notices', '--quiet', '--output', path.join(outdir, 'cdk.out')],
    { cwd: kInfraDir, env, encoding: 'utf8', timeout: 240_000 });
  return { ...run, outdir };
}

test('fails when `cdk synth` needs AWS credentials, the network or Docker', () => {
  // GIVEN no credentials WHEN the CLI synthesizes the test config
  const run = cdkSynth(kTestConfigFile);
  try {
    // THEN it succeeds, writes both templates and stages the image without building it
    assert.equal(run.status, 0, run.stderr);
    const out = path.join(run.outdir, 'cdk.out');
    for (const name of ['MySite.template.json', 'MySite-Certificate.template.json']) {
      assert.ok(fs.existsSync(path.join(out, name)), name);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    assert.equal(manifest.missing, undefined, 'no context look-up');
    const assets = JSON.parse(fs.readFileSync(path.join(out, 'MySite.assets.json'), 'utf8'));
    const images = Object.values(assets.dockerImages) as any[];
    assert.equal(images.length, 1);
    assert.equal(images[0].source.dockerFile, 'docker/Dockerfile');
    // The staged build context holds only what docker/Dockerfile.dockerignore lets in.
    const staged = fs.readdirSync(path.join(out, images[0].source.directory)).sort();
    assert.ok(staged.includes('src') && staged.includes('deps') && staged.includes('docker'));
    for (const absent of ['infra', 'build', 'tests', '.git', 'config']) assert.ok(!staged.includes(absent), absent);
  } finally {
    fs.rmSync(run.outdir, { recursive: true, force: true });
  }
});

test('fails when `cdk synth` with a bad config prints more than the one line naming the key', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mysite-bad-config-'));
  const file = path.join(dir, 'config.yaml');
  fs.writeFileSync(file, testConfigText().replace('Z0123456789ABCDEFGHIJ', 'not-a-zone'));
  const run = cdkSynth(file);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(run.outdir, { recursive: true, force: true });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}: PERSONAL_HOSTED_ZONE_ID: not a hosted zone id`));
});

test('fails when a second copy (other name, us-east-1, named zones, deletion protection) cannot be synthesized', () => {
  // GIVEN another stack name, the us-east-1 region, two named zones and deletion protection
  const other = synthesize(testConfigText().replace('REGION: eu-west-1', 'REGION: us-east-1')
    + 'STACK_NAME: Staging\nSUBDOMAIN: staging\nDB_DELETION_PROTECTION: true\n'
    + 'AVAILABILITY_ZONES: [us-east-1b, us-east-1c]\n');
  // THEN both stacks exist under the new names, in us-east-1
  assert.equal(other.siteStack.stackName, 'Staging');
  assert.equal(other.certificateStack.stackName, 'Staging-Certificate');
  assert.equal(other.siteStack.region, 'us-east-1');
  // AND the subnets use the named zones (their W3010 warning is acknowledged)
  const zones = new Set(Object.values(other.site.findResources('AWS::EC2::Subnet'))
    .map((r: any) => r.Properties.AvailabilityZone));
  assert.deepEqual([...zones].sort(), ['us-east-1b', 'us-east-1c']);
  // AND the cluster is protected, with no acknowledgement of RDS10 left
  const cluster = onlyResource(other.site, 'AWS::RDS::DBCluster');
  assert.equal(cluster.Properties.DeletionProtection, true);
  assert.doesNotMatch(JSON.stringify(other.siteJson), /AwsSolutions-RDS10/);
  assert.deepEqual(other.assembly.getStackArtifact(other.siteStack.artifactId).messages
    .filter((m) => m.level !== 'info').map((m) => m.entry.data), []);
  // AND no resource carries a fixed physical name that would clash with the first copy
  const named: string[] = [];
  for (const [id, r] of Object.entries(other.siteJson.Resources) as Array<[string, any]>) {
    for (const key of ['BucketName', 'ClusterName', 'ServiceName', 'FunctionName', 'RoleName', 'Name',
      'DBClusterIdentifier', 'AliasName', 'LoadBalancerName', 'TargetGroupName', 'LogGroupName', 'SecretName']) {
      if (typeof r.Properties?.[key] === 'string' && r.Type !== 'AWS::Route53::RecordSet') named.push(`${id}.${key}`);
    }
  }
  assert.deepEqual(named, []);
});
