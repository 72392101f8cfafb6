// db-initializer: the Lambda from the project's image, run by a synchronous Trigger after the
// cluster, again on every change of the cluster or the function, allowed only the master secret.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, onlyResource, synthesize, testConfigText } from './helpers';

// GIVEN the test config WHEN the app is synthesized once
const s = synthesize();
const fnId = Object.keys(s.site.findResources('AWS::Lambda::Function', {
  Properties: { ImageConfig: Match.objectLike({ EntryPoint: ['/usr/local/bin/db-initializer'] }) },
}))[0];
const fn = s.siteJson.Resources[fnId];
/** The logical id of the version of function `functionId` (each function publishes one). */
function versionOf(template: typeof s.site, functionId: string): string {
  return Object.keys(template.findResources('AWS::Lambda::Version', {
    Properties: { FunctionName: { Ref: functionId } },
  }))[0];
}
const versionId = versionOf(s.site, fnId);
// The static publisher has a trigger too: this one invokes the initializer's version.
const triggerId = Object.keys(s.site.findResources('Custom::Trigger', {
  Properties: { HandlerArn: { Ref: versionId } },
}))[0];
const trigger: { id: string; Properties: any; DependsOn?: string[] } = { id: triggerId, ...s.siteJson.Resources[triggerId] };

test('fails when the function does not run db-initializer from the one project image', () => {
  assert.ok(fnId, 'a Lambda function with the db-initializer entry point');
  assert.equal(fn.Properties.PackageType, 'Image');
  const imageUri = JSON.stringify(fn.Properties.Code.ImageUri);
  const manifest = JSON.parse(fs.readFileSync(`${s.assembly.directory}/${s.siteStack.artifactId}.assets.json`, 'utf8'));
  const dockerImages = Object.keys(manifest.dockerImages ?? {});
  assert.equal(dockerImages.length, 1, 'one image asset serves ECS and Lambda');
  assert.ok(imageUri.includes(dockerImages[0]), 'the function uses that image');
});

test('fails when the function lacks the secret ARN, user or database it needs', () => {
  const env = fn.Properties.Environment.Variables;
  // The secret's ARN through its attachment to the cluster (host and port are in it then).
  const attachmentId = logicalId(s.site, 'AWS::SecretsManager::SecretTargetAttachment');
  assert.deepEqual(env.DB_CONFIG_SECRET, { Ref: attachmentId });
  assert.equal(env.DB_USER, 'django');
  assert.equal(env.DB_NAME, 'main');
  assert.match(env.CLUSTER_FINGERPRINT, /^[0-9a-f]{16}$/);
});

test('fails when the function is outside the VPC', () => {
  assert.equal(fn.Properties.VpcConfig.SubnetIds.length, 2);
  assert.ok(JSON.stringify(fn.Properties.VpcConfig.SubnetIds).includes('PrivateSubnet'));
});

test('fails when the function may read anything but the master secret', () => {
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(s.site.findResources('AWS::IAM::Policy')) as any[];
  const statements = policies
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
  const secretStatements = statements.filter((st) => JSON.stringify(st.Action).includes('secretsmanager:'));
  assert.equal(secretStatements.length, 1);
  assert.deepEqual(secretStatements[0].Resource, fn.Properties.Environment.Variables.DB_CONFIG_SECRET);
  assert.ok(statements.every((st) => st.Resource !== '*'), 'no statement on *');
});

test('fails when the trigger is asynchronous, so a failed initializer would not fail the deploy', () => {
  assert.equal(trigger.Properties.InvocationType, 'RequestResponse');
});

test('fails when the trigger does not run again on a new function version', () => {
  assert.equal(trigger.Properties.ExecuteOnHandlerChange, true);
  assert.ok(versionId, 'the function publishes a version');
  assert.deepEqual(trigger.Properties.HandlerArn, { Ref: versionId });
});

test('fails when the trigger may run before the cluster, its instances and the secret attachment exist', () => {
  const dependsOn = trigger.DependsOn ?? [];
  for (const type of ['AWS::RDS::DBCluster', 'AWS::RDS::DBInstance', 'AWS::SecretsManager::SecretTargetAttachment']) {
    for (const id of Object.keys(s.site.findResources(type))) {
      assert.ok(dependsOn.includes(id), `trigger waits for ${id}`);
    }
  }
});

test('fails when the web service may start before the database user exists', () => {
  const service = onlyResource(s.site, 'AWS::ECS::Service');
  assert.ok((service.DependsOn ?? []).includes(trigger.id));
});

test('fails when a change of the cluster does not publish a new version (so the trigger would not run)', () => {
  // GIVEN the same app with a different cluster capacity
  const changed = synthesize(`${testConfigText()}DB_MAX_ACU: 8\n`);
  // THEN the fingerprint and the version (and so the trigger's HandlerArn) change
  const changedFnId = Object.keys(changed.site.findResources('AWS::Lambda::Function', {
    Properties: { ImageConfig: Match.objectLike({ EntryPoint: ['/usr/local/bin/db-initializer'] }) },
  }))[0];
  const changedFn = changed.siteJson.Resources[changedFnId];
  assert.notEqual(changedFn.Properties.Environment.Variables.CLUSTER_FINGERPRINT,
    fn.Properties.Environment.Variables.CLUSTER_FINGERPRINT);
  assert.notEqual(versionOf(changed.site, changedFnId), versionId);
});
