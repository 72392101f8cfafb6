// web-service: two containers from one image with serve waiting for migrate, the health
// check, secrets only through `secrets`, the scoped task role (the manifest, never a write to
// the bucket), the static publisher, the internal load balancer, rolling deploys that drop
// nothing, the circuit breaker and auto scaling.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { Match } from 'aws-cdk-lib/assertions';
import { containers, logicalId, onlyResource, synthesize } from './helpers';

// GIVEN the test config WHEN the app is synthesized once
const s = synthesize();
const byName = containers(s.site);
const task = onlyResource(s.site, 'AWS::ECS::TaskDefinition');
const service = onlyResource(s.site, 'AWS::ECS::Service');
const clusterId = logicalId(s.site, 'AWS::RDS::DBCluster');

/** Statements of the policies attached to the role with logical id `roleId`. */
function statementsOf(roleId: string): any[] {
  return (Object.values(s.site.findResources('AWS::IAM::Policy')) as any[])
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}
const taskRoleStatements = statementsOf(task.Properties.TaskRoleArn['Fn::GetAtt'][0]);

test('fails when the task does not run migrate and serve from the same image (and nothing else)', () => {
  assert.deepEqual(Object.keys(byName).sort(), ['migrate', 'serve']);
  assert.deepEqual(byName.migrate.Command, ['migrate']);
  assert.deepEqual(byName.serve.Command, ['serve']);
  const images = new Set(Object.values(byName).map((c: any) => JSON.stringify(c.Image)));
  assert.equal(images.size, 1);
});

test('fails when migrate is essential (it exits when done)', () => {
  assert.equal(byName.migrate.Essential, false);
  assert.equal(byName.serve.Essential, true);
});

test('fails when serve may start before migrate exited successfully', () => {
  assert.deepEqual(byName.serve.DependsOn, [{ ContainerName: 'migrate', Condition: 'SUCCESS' }]);
});

test('fails when the container health check is not `mysite healthcheck` (no curl in the image)', () => {
  assert.deepEqual(byName.serve.HealthCheck.Command, ['CMD', 'mysite', 'healthcheck']);
});

test('fails when a secret appears in plain text in any environment', () => {
  // THEN SECRET_KEY comes from Secrets Manager in every container
  const secretKeyId = Object.keys(s.site.findResources('AWS::SecretsManager::Secret', {
    Properties: { Description: Match.stringLikeRegexp('SECRET_KEY') },
  }))[0];
  for (const c of Object.values(byName) as any[]) {
    assert.deepEqual(c.Secrets, [{ Name: 'SECRET_KEY', ValueFrom: { Ref: secretKeyId } }]);
  }
  // AND no environment anywhere (containers, functions) names or holds a secret
  const environments: Array<Record<string, unknown>> = [
    ...(Object.values(byName) as any[]).map((c) => Object.fromEntries((c.Environment ?? []).map((e: any) => [e.Name, e.Value]))),
    ...(Object.values(s.site.findResources('AWS::Lambda::Function')) as any[]).map((f) => f.Properties.Environment?.Variables ?? {}),
  ];
  for (const env of environments) {
    for (const [name, value] of Object.entries(env)) {
      assert.doesNotMatch(name, /SECRET_KEY|PASSWORD|TOKEN|DB_AUTH_TOKEN/, `${name} in an environment`);
      assert.doesNotMatch(JSON.stringify(value), /SecretString|secretsmanager:.*:SecretString/, `${name} resolves a secret value`);
    }
  }
  assert.doesNotMatch(JSON.stringify(s.siteJson), /\{\{resolve:secretsmanager:[^}]*SECRET/);
});

test('fails when TASK_PARAMS does not name the stack\'s parameter holding the settings', () => {
  const paramId = logicalId(s.site, 'AWS::SSM::Parameter');
  for (const c of Object.values(byName) as any[]) {
    assert.deepEqual(c.Environment.find((e: any) => e.Name === 'TASK_PARAMS').Value, { Ref: paramId });
  }
  const param = onlyResource(s.site, 'AWS::SSM::Parameter');
  assert.equal(param.Properties.Name, undefined, 'no fixed parameter name');
  const value = JSON.stringify(param.Properties.Value);
  for (const key of ['DB_ENGINE', 'DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_AUTH', 'STATIC_BUCKET_NAME',
    'STATIC_URL', 'HOST_NAMES', 'DEBUG_FLAG', 'AWS_REGION', 'TRUSTED_PROXY_COUNT', 'CSRF_TRUSTED_ORIGINS']) {
    assert.ok(value.includes(key), `parameter holds ${key}`);
  }
  assert.ok(value.includes('https://django.example.com/static/'));
  assert.ok(value.includes('\\"DB_AUTH\\":\\"iam\\"'));
  assert.ok(value.includes('\\"TRUSTED_PROXY_COUNT\\":\\"2\\"'), 'CloudFront and the ALB are the trusted proxies');
});

test('fails when new settings in the parameter would not roll the service', () => {
  const param = onlyResource(s.site, 'AWS::SSM::Parameter');
  const expected = crypto.createHash('sha256').update(JSON.stringify(param.Properties.Value)).digest('hex').slice(0, 16);
  for (const c of Object.values(byName) as any[]) {
    assert.equal(c.Environment.find((e: any) => e.Name === 'TASK_PARAMS_VERSION').Value, expected);
  }
});

test('fails when rds-db:connect is not scoped to this cluster\'s resource id and the user django', () => {
  const connect = taskRoleStatements.filter((st) => JSON.stringify(st.Action).includes('rds-db:'));
  assert.equal(connect.length, 1);
  assert.equal(connect[0].Action, 'rds-db:connect');
  const [, parts] = connect[0].Resource['Fn::Join'];
  const arn = parts.map((p: unknown) => (typeof p === 'string' ? p : JSON.stringify(p))).join('');
  assert.equal(arn, `arn:aws:rds-db:eu-west-1:123456789012:dbuser:${
    JSON.stringify({ 'Fn::GetAtt': [clusterId, 'DBClusterResourceId'] })}/django`);
});

const staticBucketId = Object.keys(s.site.findResources('AWS::S3::Bucket', {
  Properties: { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } },
}))[0];

test('fails when the task role may do more with the bucket than read the manifest', () => {
  // The internet-facing server never writes static files: only the static publisher does.
  const s3 = taskRoleStatements.filter((st) => JSON.stringify(st.Action).includes('s3:'));
  assert.deepEqual(s3.map((st) => st.Action), ['s3:GetObject']);
  assert.deepEqual(s3[0].Resource,
    { 'Fn::Join': ['', [{ 'Fn::GetAtt': [staticBucketId, 'Arn'] }, '/static/staticfiles.json']] });
});

// The static publisher: `mysite collectstatic --lambda` with the only role that writes static/.
const publisherId = Object.keys(s.site.findResources('AWS::Lambda::Function', {
  Properties: { ImageConfig: Match.objectLike({ EntryPoint: ['/usr/local/bin/mysite'] }) },
}))[0];
const publisher = s.siteJson.Resources[publisherId];
const publisherVersionId = Object.keys(s.site.findResources('AWS::Lambda::Version', {
  Properties: { FunctionName: { Ref: publisherId } },
}))[0];
const publisherTriggerId = Object.keys(s.site.findResources('Custom::Trigger', {
  Properties: { HandlerArn: { Ref: publisherVersionId } },
}))[0];
const publisherTrigger = s.siteJson.Resources[publisherTriggerId];

test('fails when the static publisher does not run `mysite collectstatic --lambda` from the image', () => {
  assert.ok(publisherId, 'a function with the entry point /usr/local/bin/mysite');
  assert.deepEqual(publisher.Properties.ImageConfig.Command, ['collectstatic', '--lambda']);
  const tag = (image: unknown) => JSON.stringify(image).match(/:([0-9a-f]{64})/)?.[1];
  assert.ok(tag(byName.serve.Image));
  assert.equal(tag(publisher.Properties.Code.ImageUri), tag(byName.serve.Image), 'the image the tasks run');
  assert.deepEqual(publisher.Properties.Environment.Variables.TASK_PARAMS,
    byName.serve.Environment.find((e: any) => e.Name === 'TASK_PARAMS').Value);
  assert.equal(publisher.Properties.VpcConfig, undefined, 'S3 and SSM only: no VPC, no database');
});

test('fails when the publisher\'s role reaches more of the bucket than static/', () => {
  const statements = statementsOf(publisher.Properties.Role['Fn::GetAtt'][0]);
  const s3 = statements.filter((st) => JSON.stringify(st.Action).includes('s3:'));
  assert.deepEqual(s3.map((st) => [st.Action].flat().sort()),
    [['s3:ListBucket'], ['s3:DeleteObject', 's3:GetObject', 's3:PutObject']]);
  assert.deepEqual(s3[0].Condition, { StringLike: { 's3:prefix': ['static/*'] } });
  assert.deepEqual(s3[1].Resource, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [staticBucketId, 'Arn'] }, '/static/*']] });
  assert.ok(statements.every((st) => st.Resource !== '*'), 'no statement on *');
});

test('fails when the files may be published after the service changes, or not at all on a deploy', () => {
  assert.equal(publisherTrigger.Properties.InvocationType, 'RequestResponse');
  assert.equal(publisherTrigger.Properties.ExecuteOnHandlerChange, true);
  assert.ok((service.DependsOn ?? []).includes(publisherTriggerId), 'the service waits for the publisher');
  const paramId = logicalId(s.site, 'AWS::SSM::Parameter');
  for (const id of [staticBucketId, paramId])
    assert.ok((publisherTrigger.DependsOn ?? []).includes(id), `the publisher waits for ${id}`);
  // New settings publish again: the function's environment follows the parameter's value.
  assert.deepEqual(publisher.Properties.Environment.Variables.TASK_PARAMS_VERSION,
    byName.serve.Environment.find((e: any) => e.Name === 'TASK_PARAMS_VERSION').Value);
});

test('fails when the task role holds any action on *', () => {
  for (const st of taskRoleStatements) {
    assert.notEqual(st.Resource, '*', JSON.stringify(st.Action));
    assert.doesNotMatch(JSON.stringify(st.Action), /:\*"/);
  }
});

test('fails when a failed deployment is not rolled back', () => {
  assert.deepEqual(service.Properties.DeploymentConfiguration.DeploymentCircuitBreaker, { Enable: true, Rollback: true });
  assert.equal(service.Properties.DeploymentConfiguration.MinimumHealthyPercent, 100);
});

test('fails when the stop timeout does not outlast the server\'s 25 s graceful shutdown, after a 30 s drain', () => {
  const targetGroup = onlyResource(s.site, 'AWS::ElasticLoadBalancingV2::TargetGroup');
  const delay = targetGroup.Properties.TargetGroupAttributes
    .find((a: any) => a.Key === 'deregistration_delay.timeout_seconds').Value;
  assert.equal(delay, '30');
  assert.equal(byName.serve.StopTimeout, 35);
  assert.ok(byName.serve.StopTimeout > 25 && byName.serve.StopTimeout <= 120);
});

test('fails when the load balancer is internet-facing or its group admits anything by address', () => {
  const alb = onlyResource(s.site, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
  assert.equal(alb.Properties.Scheme, 'internal');
  const sgId = alb.Properties.SecurityGroups[0]['Fn::GetAtt'][0];
  const sg = s.siteJson.Resources[sgId];
  // No inline rule at all: the only way in is origin-access.test.ts's rule.
  assert.equal(sg.Properties.SecurityGroupIngress, undefined);
});

test('fails when the listener is not HTTPS with a certificate in the stack\'s region', () => {
  const listener = onlyResource(s.site, 'AWS::ElasticLoadBalancingV2::Listener');
  assert.equal(listener.Properties.Protocol, 'HTTPS');
  assert.equal(listener.Properties.Port, 443);
  const certId = logicalId(s.site, 'AWS::CertificateManager::Certificate');
  assert.deepEqual(listener.Properties.Certificates, [{ CertificateArn: { Ref: certId } }]);
  s.site.hasResourceProperties('AWS::CertificateManager::Certificate', {
    DomainName: 'django.example.com', ValidationMethod: 'DNS',
    DomainValidationOptions: [{ DomainName: 'django.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
  });
});

test('fails when the target group does not check /ping/ on the serve container', () => {
  s.site.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
    HealthCheckPath: '/ping/', Port: 8000, Protocol: 'HTTP', TargetType: 'ip',
  });
  assert.deepEqual(service.Properties.LoadBalancers[0].ContainerName, 'serve');
});

test('fails when the service does not scale on CPU and on requests per target', () => {
  s.site.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 6 });
  const metrics = (Object.values(s.site.findResources('AWS::ApplicationAutoScaling::ScalingPolicy')) as any[])
    .map((p) => p.Properties.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType)
    .sort();
  assert.deepEqual(metrics, ['ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization']);
});

test('fails when container insights are off', () => {
  s.site.hasResourceProperties('AWS::ECS::Cluster', {
    ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
  });
});

test('fails when expired sessions are not cleared daily by the web container running clearsessions', () => {
  const rule = onlyResource(s.site, 'AWS::Events::Rule');
  assert.equal(rule.Properties.ScheduleExpression, 'cron(17 3 * * ? *)');
  const target = rule.Properties.Targets[0];
  assert.deepEqual(target.EcsParameters.TaskDefinitionArn, { Ref: logicalId(s.site, 'AWS::ECS::TaskDefinition') });
  assert.equal(target.EcsParameters.LaunchType, 'FARGATE');
  assert.equal(target.EcsParameters.NetworkConfiguration.AwsVpcConfiguration.AssignPublicIp, 'DISABLED');
  const input = JSON.parse(target.Input);
  assert.deepEqual(input.containerOverrides, [{ name: 'serve', command: ['clearsessions'] }]);
});
