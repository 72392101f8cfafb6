// network: two zones without look-ups, three subnet tiers, flow logs of all traffic.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Match } from 'aws-cdk-lib/assertions';
import { synthesize } from './helpers';

// GIVEN the test config (no AVAILABILITY_ZONES) WHEN the app is synthesized once
const s = synthesize();

test('fails when the VPC does not span exactly two zones chosen by CloudFormation', () => {
  // THEN six subnets (public, private, database in each of two zones) use Fn::GetAZs
  const subnets = Object.values(s.site.findResources('AWS::EC2::Subnet')) as any[];
  assert.equal(subnets.length, 6);
  const zones = new Set(subnets.map((r) => JSON.stringify(r.Properties.AvailabilityZone)));
  assert.deepEqual([...zones].sort(), [
    JSON.stringify({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }),
    JSON.stringify({ 'Fn::Select': [1, { 'Fn::GetAZs': '' }] }),
  ]);
});

test('fails when synthesis needed a context look-up (and so AWS credentials)', () => {
  assert.equal(s.assembly.manifest.missing, undefined);
});

test('fails when only public subnets exist or private subnets have no route out', () => {
  s.site.resourceCountIs('AWS::EC2::NatGateway', 1);
  s.site.hasResourceProperties('AWS::EC2::Route', {
    DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: Match.anyValue(),
  });
  const publicIps = Object.values(s.site.findResources('AWS::EC2::Subnet'))
    .filter((r: any) => r.Properties.MapPublicIpOnLaunch === true);
  assert.equal(publicIps.length, 2, 'only the two public subnets map public addresses');
});

test('fails when the VPC has no flow log of all traffic', () => {
  s.site.hasResourceProperties('AWS::EC2::FlowLog', {
    ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs',
  });
});
