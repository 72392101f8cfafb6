// origin-access: the load balancer's only ingress rule admits CloudFront's VPC-origin group,
// found after the VPC origin exists by the image's `origin-group` function, which may only read
// security groups.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { logicalId, onlyResource, synthesize } from './helpers';

// GIVEN the test config WHEN the app is synthesized once
const s = synthesize();
const resources: Record<string, any> = s.siteJson.Resources;
const lookupId = Object.keys(resources).find((id) => resources[id].Type === 'Custom::VpcOriginSecurityGroup')!;
const lookup = resources[lookupId];

test('fails when the load balancer admits anything but the VPC origin group on 443', () => {
  const albGroup = onlyResource(s.site, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Properties.SecurityGroups[0];
  const rules = Object.values(resources).filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress'
    && JSON.stringify(r.Properties.GroupId) === JSON.stringify(albGroup));
  assert.equal(rules.length, 1);
  assert.deepEqual(rules[0].Properties.SourceSecurityGroupId, { 'Fn::GetAtt': [lookupId, 'GroupId'] });
  assert.equal(rules[0].Properties.FromPort, 443);
  assert.equal(rules[0].Properties.ToPort, 443);
  assert.equal(rules[0].Properties.CidrIp, undefined);
});

test('fails when the lookup is not for CloudFront\'s group in the site\'s VPC, after the VPC origin', () => {
  assert.equal(lookup.Properties.GroupName, 'CloudFront-VPCOrigins-Service-SG');
  assert.deepEqual(lookup.Properties.VpcId, { Ref: logicalId(s.site, 'AWS::EC2::VPC') });
  assert.ok(lookup.DependsOn.includes(logicalId(s.site, 'AWS::CloudFront::VpcOrigin')));
  assert.ok(lookup.Properties.ServiceTimeout <= 3600);
});

test('fails when the function is not the image\'s origin-group or may do more than read groups', () => {
  const functionId = lookup.Properties.ServiceToken['Fn::GetAtt'][0];
  const fn = resources[functionId];
  assert.equal(fn.Properties.PackageType, 'Image');
  assert.deepEqual(fn.Properties.ImageConfig.EntryPoint, ['/usr/local/bin/origin-group']);
  assert.equal(fn.Properties.VpcConfig, undefined);  // EC2's API and the response URL are outside
  assert.ok(fn.Properties.Timeout * 1000 < lookup.Properties.ServiceTimeout * 1000 + 1);
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy'
    && r.Properties.Roles.some((role: any) => role.Ref === roleId));
  const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement).flatMap((st: any) => [st.Action].flat());
  assert.deepEqual(actions, ['ec2:DescribeSecurityGroups']);
});
