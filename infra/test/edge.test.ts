// edge: CloudFront's two behaviours, the VPC origin to the internal load balancer, OAC to the
// bucket, HSTS, HTTPS with the us-east-1 certificate, and the alias records.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, onlyResource, synthesize } from './helpers';

// GIVEN the test config WHEN the app is synthesized once
const s = synthesize();
const distribution = onlyResource(s.site, 'AWS::CloudFront::Distribution').Properties.DistributionConfig;
const originsById = Object.fromEntries(distribution.Origins.map((o: any) => [o.Id, o]));
const defaultBehavior = distribution.DefaultCacheBehavior;
const staticBehavior = distribution.CacheBehaviors?.[0];

const kCachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const kCachingOptimized = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const kAllViewer = '216adef6-5c7f-47e4-b989-5492eafa07d3';

test('fails when there are not exactly two behaviours: default and /static/*', () => {
  assert.equal(distribution.CacheBehaviors.length, 1);
  assert.equal(staticBehavior.PathPattern, '/static/*');
});

test('fails when the default behaviour caches, limits methods or drops viewer headers', () => {
  assert.equal(defaultBehavior.CachePolicyId, kCachingDisabled);
  assert.equal(defaultBehavior.OriginRequestPolicyId, kAllViewer);
  assert.deepEqual([...defaultBehavior.AllowedMethods].sort(),
    ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
  assert.equal(defaultBehavior.ViewerProtocolPolicy, 'redirect-to-https');
});

test('fails when the default origin is not a VPC origin of the internal load balancer over HTTPS', () => {
  const origin = originsById[defaultBehavior.TargetOriginId];
  const vpcOriginId = logicalId(s.site, 'AWS::CloudFront::VpcOrigin');
  assert.deepEqual(origin.VpcOriginConfig.VpcOriginId, { 'Fn::GetAtt': [vpcOriginId, 'Id'] });
  const vpcOrigin = onlyResource(s.site, 'AWS::CloudFront::VpcOrigin').Properties.VpcOriginEndpointConfig;
  const albId = logicalId(s.site, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
  assert.deepEqual(vpcOrigin.Arn, { Ref: albId });
  assert.equal(vpcOrigin.OriginProtocolPolicy, 'https-only');
  assert.deepEqual(vpcOrigin.OriginSSLProtocols, ['TLSv1.2']);
});

test('fails when /static/* is not cached from the bucket through OAC (no legacy OAI)', () => {
  assert.equal(staticBehavior.CachePolicyId, kCachingOptimized);
  const origin = originsById[staticBehavior.TargetOriginId];
  const oacId = logicalId(s.site, 'AWS::CloudFront::OriginAccessControl');
  assert.deepEqual(origin.OriginAccessControlId, { 'Fn::GetAtt': [oacId, 'Id'] });
  assert.equal(origin.S3OriginConfig.OriginAccessIdentity, '');
  s.site.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
    OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
  });
  s.site.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
});

test('fails when either behaviour lacks the HSTS response headers policy', () => {
  const policyId = logicalId(s.site, 'AWS::CloudFront::ResponseHeadersPolicy');
  for (const b of [defaultBehavior, staticBehavior]) {
    assert.deepEqual(b.ResponseHeadersPolicyId, { Ref: policyId });
  }
  const config = onlyResource(s.site, 'AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig;
  assert.deepEqual(config.SecurityHeadersConfig.StrictTransportSecurity,
    { AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Override: true });
  assert.match(config.Name, /-eu-west-1$/, 'account-global name includes the region');
});

test('fails when the distribution serves old TLS or uses a certificate outside us-east-1', () => {
  assert.equal(distribution.ViewerCertificate.MinimumProtocolVersion, 'TLSv1.2_2021');
  assert.equal(distribution.ViewerCertificate.SslSupportMethod, 'sni-only');
  // The ARN comes from the us-east-1 stack through a (weak) cross-region reference.
  const reference = distribution.ViewerCertificate.AcmCertificateArn['Fn::GetStackOutput'];
  assert.deepEqual([reference.StackName, reference.Region], ['MySite-Certificate', 'us-east-1']);
  const outputs = s.assembly.getStackArtifact(s.certificateStack.artifactId).template.Outputs;
  const certificateId = Object.keys(s.certificate.findResources('AWS::CertificateManager::Certificate'))[0];
  assert.deepEqual(outputs[reference.OutputName].Value, { Ref: certificateId });
  assert.deepEqual(distribution.Aliases, ['django.example.com']);
});

test('fails when the distribution does not log', () => {
  assert.equal(distribution.Logging.Prefix, 'cloudfront/');
});

test('fails when the site name does not point at the distribution (IPv4 and IPv6)', () => {
  const distributionId = logicalId(s.site, 'AWS::CloudFront::Distribution');
  for (const type of ['A', 'AAAA']) {
    s.site.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'django.example.com.', Type: type, HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      AliasTarget: { DNSName: { 'Fn::GetAtt': [distributionId, 'DomainName'] }, HostedZoneId: Match.anyValue() },
    });
  }
});

test('fails when the stack does not output the URL, bucket and cluster', () => {
  const outputs = s.siteJson.Outputs;
  assert.equal(outputs.SiteUrl.Value, 'https://django.example.com/');
  for (const name of ['StaticBucketName', 'EcsClusterName', 'DistributionDomainName', 'DatabaseClusterIdentifier']) {
    assert.ok(outputs[name], name);
  }
});
