// certificate-stack: CloudFront's certificate in us-east-1 whatever the main region, handed to
// the main stack by a cross-region reference; the load balancer's certificate stays in region.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { App } from 'aws-cdk-lib';
import { CertificateStack } from '../lib/certificate-stack';
import { synthesize } from './helpers';

// GIVEN the test config (region eu-west-1) WHEN the app is synthesized once
const s = synthesize();

test('fails when the CloudFront certificate is not in us-east-1', () => {
  assert.equal(s.certificateStack.region, 'us-east-1');
  assert.equal(s.certificateStack.account, '123456789012');
  assert.equal(s.siteStack.region, 'eu-west-1');
});

test('fails when the certificate is not DNS-validated in the configured zone', () => {
  s.certificate.resourceCountIs('AWS::CertificateManager::Certificate', 1);
  s.certificate.hasResourceProperties('AWS::CertificateManager::Certificate', {
    DomainName: 'django.example.com',
    ValidationMethod: 'DNS',
    DomainValidationOptions: [{ DomainName: 'django.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
  });
});

test('fails when the main stack does not wait for the certificate stack', () => {
  assert.ok(s.siteStack.dependencies.includes(s.certificateStack));
});

test('fails when the certificate stack may be created in another region', () => {
  const app = new App();
  assert.throws(() => new CertificateStack(app, 'Wrong', {
    env: { account: '123456789012', region: 'eu-west-1' },
    siteDomain: 'django.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneDomain: 'example.com',
  }), /must be in us-east-1/);
});

test('fails when the stacks are not named after STACK_NAME', () => {
  assert.equal(s.siteStack.stackName, 'MySite');
  assert.equal(s.certificateStack.stackName, 'MySite-Certificate');
});
