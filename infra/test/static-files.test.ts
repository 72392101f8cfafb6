// static-files and access-logs: private buckets, encrypted, TLS only; CloudFront reads static
// files only through Origin Access Control, scoped to this distribution.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, synthesize } from './helpers';

// GIVEN the test config WHEN the app is synthesized once
const s = synthesize();
const buckets = s.site.findResources('AWS::S3::Bucket');
const staticId = Object.keys(s.site.findResources('AWS::S3::Bucket', {
  Properties: { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } },
}))[0];
const logsId = Object.keys(buckets).find((id) => id !== staticId)!;

/** The bucket policy statements of bucket `bucketId`. */
function policyOf(bucketId: string): any[] {
  return (Object.values(s.site.findResources('AWS::S3::BucketPolicy', {
    Properties: { Bucket: { Ref: bucketId } },
  })) as any[])[0].Properties.PolicyDocument.Statement;
}

test('fails when either bucket allows any public access', () => {
  assert.equal(Object.keys(buckets).length, 2);
  for (const b of Object.values(buckets) as any[]) {
    assert.deepEqual(b.Properties.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
  }
});

test('fails when either bucket is unencrypted', () => {
  for (const b of Object.values(buckets) as any[]) {
    assert.deepEqual(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration,
      [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
  }
});

test('fails when either bucket accepts requests without TLS', () => {
  for (const id of [staticId, logsId]) {
    const deny = policyOf(id).find((st) => st.Effect === 'Deny');
    assert.deepEqual(deny.Condition, { Bool: { 'aws:SecureTransport': 'false' } }, id);
    assert.equal(deny.Action, 's3:*');
    assert.deepEqual(deny.Principal, { AWS: '*' });
  }
});

test('fails when CloudFront reads static files other than through OAC from this distribution', () => {
  const distributionId = logicalId(s.site, 'AWS::CloudFront::Distribution');
  const allow = policyOf(staticId).filter((st) => st.Effect === 'Allow'
    && JSON.stringify(st.Principal).includes('cloudfront.amazonaws.com'));
  assert.equal(allow.length, 1);
  assert.equal(allow[0].Action, 's3:GetObject');
  assert.match(JSON.stringify(allow[0].Condition), new RegExp(distributionId));
  assert.equal(Object.keys(s.site.findResources('AWS::CloudFront::CloudFrontOriginAccessIdentity')).length, 0);
});

test('fails when the static bucket has no server access logs or no fixed owner', () => {
  const b = (buckets[staticId] as any).Properties;
  assert.deepEqual(b.LoggingConfiguration, { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 's3/' });
});

test('fails when the access logs bucket is deleted with the stack or keeps logs forever', () => {
  assert.equal((buckets[logsId] as any).DeletionPolicy, 'Retain');
  s.site.hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })] },
  });
});
