// database: Aurora MySQL Serverless v2, IAM authentication, KMS encryption, TLS, log exports,
// master secret generated and rotated, deletion protection from the config.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Match } from 'aws-cdk-lib/assertions';
import { onlyResource, synthesize } from './helpers';

// GIVEN the test config WHEN the app is synthesized once
const s = synthesize();
const cluster = onlyResource(s.site, 'AWS::RDS::DBCluster');

test('fails when IAM database authentication is off', () => {
  assert.equal(cluster.Properties.EnableIAMDatabaseAuthentication, true);
});

test('fails when storage is not encrypted with the stack\'s rotating KMS key', () => {
  assert.equal(cluster.Properties.StorageEncrypted, true);
  const key = onlyResource(s.site, 'AWS::KMS::Key');
  assert.deepEqual(cluster.Properties.KmsKeyId, { 'Fn::GetAtt': [key.id, 'Arn'] });
  assert.equal(key.Properties.EnableKeyRotation, true);
});

test('fails when the engine is not Aurora MySQL Serverless v2 with a writer and a reader', () => {
  assert.equal(cluster.Properties.Engine, 'aurora-mysql');
  assert.deepEqual(cluster.Properties.ServerlessV2ScalingConfiguration, { MinCapacity: 0.5, MaxCapacity: 4 });
  const instances = Object.values(s.site.findResources('AWS::RDS::DBInstance')) as any[];
  assert.equal(instances.length, 2);
  for (const i of instances) assert.equal(i.Properties.DBInstanceClass, 'db.serverless');
  assert.ok(instances.every((i) => i.Properties.PubliclyAccessible === false));
});

test('fails when the server accepts connections without TLS', () => {
  s.site.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
    Parameters: Match.objectLike({ require_secure_transport: 'ON' }),
  });
});

test('fails when error, slow query and audit logs are not exported', () => {
  assert.deepEqual([...cluster.Properties.EnableCloudwatchLogsExports].sort(), ['audit', 'error', 'slowquery']);
});

test('fails when the master password is not a generated, rotated secret', () => {
  const secrets = s.site.findResources('AWS::SecretsManager::Secret', {
    Properties: { GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"admin"}' }) },
  });
  assert.equal(Object.keys(secrets).length, 1);
  const [secretId] = Object.keys(secrets);
  assert.match(JSON.stringify(cluster.Properties.MasterUserPassword), new RegExp(secretId));
  s.site.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
    SecretId: { Ref: Match.anyValue() },
    RotationRules: { ScheduleExpression: 'rate(30 days)' },
  });
});

test('fails when deletion protection is on by default, or the final snapshot is not kept', () => {
  assert.equal(cluster.Properties.DeletionProtection, false);
  const resources = s.siteJson.Resources;
  assert.equal(resources[cluster.id].DeletionPolicy, 'Snapshot');
});

test('fails when the cluster is reachable from outside the VPC or by anyone but site and initializer', () => {
  const ingress = Object.values(s.site.findResources('AWS::EC2::SecurityGroupIngress', {
    Properties: { GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseClusterSecurityGroup'), 'GroupId'] } },
  })) as any[];
  const sources = ingress.map((r) => JSON.stringify(r.Properties.SourceSecurityGroupId)).sort();
  assert.equal(sources.length, 3, 'web service, DB initializer, rotation function');
  assert.ok(ingress.every((r) => r.Properties.CidrIp === undefined));
  assert.ok(sources.some((x) => x.includes('WebService')));
  assert.ok(sources.some((x) => x.includes('DbInitializer')));
});
