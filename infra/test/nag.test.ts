// cdk-nag: the AwsSolutions checks report no error (an error stops synthesis, with the
// validation report) and no warning on either stack, every
// acknowledgement carries a specific reason, and none hides a wildcard action or a bare
// Resource::* outside the few whose actions take no resource scope.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { synthesizeOrViolations } from './helpers';

// GIVEN the test config WHEN the app (with the AwsSolutions checks) is synthesized once
const outcome = synthesizeOrViolations();
const s = outcome.synthesized!;
const stacks = s ? [s.siteStack, s.certificateStack] : [];

test('fails when AwsSolutions (or CloudFormation validation) reports an error', () => {
  assert.deepEqual(outcome.violations, []);
});

/** Messages of `level` the checks (or CDK) attached to the stack's constructs. */
function messages(stackId: string, level: 'error' | 'warning'): string[] {
  return s.assembly.getStackArtifact(stackId).messages
    .filter((m) => m.level === level)
    .map((m) => `${m.id}: ${String(m.entry.data).split('\n')[0]}`);
}

/** Every acknowledged rule in the stack's template: { resource, id, reason, appliesTo }. */
function acknowledgements(stackId: string): Array<{ resource: string; id: string; reason: string; appliesTo?: unknown[] }> {
  const template = s.assembly.getStackArtifact(stackId).template;
  return Object.entries(template.Resources as Record<string, any>).flatMap(([resource, r]) =>
    (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((rule: any) =>
      ({ resource, id: rule.id, reason: rule.reason, appliesTo: rule.applies_to })));
}

for (const stack of stacks) {
  test(`fails when synthesis warns on ${stack.stackName}`, () => {
    assert.deepEqual(messages(stack.artifactId, 'error'), []);
    assert.deepEqual(messages(stack.artifactId, 'warning'), []);
  });
}

test('fails when an acknowledgement has no specific reason', () => {
  const all = stacks.flatMap((st) => acknowledgements(st.artifactId));
  assert.ok(all.length > 0);
  for (const a of all) {
    assert.ok(a.reason.length >= 40, `${a.resource} ${a.id}: reason too short: "${a.reason}"`);
  }
});

test('fails when an acknowledgement hides a wildcard action or an unexplained Resource::*', () => {
  // Only roles whose actions take no resource-level scope may carry Resource::*.
  const kUnscopable = /^(WebServiceTaskExecutionRole|LogRetention[0-9a-f]+ServiceRole|OriginAccessFunctionServiceRole)/;
  for (const a of stacks.flatMap((st) => acknowledgements(st.artifactId))) {
    if (a.id !== 'AwsSolutions-IAM5') continue;
    assert.ok(a.appliesTo && a.appliesTo.length > 0, `${a.resource}: IAM5 acknowledged for every finding`);
    for (const finding of a.appliesTo!) {
      const text = typeof finding === 'string' ? finding : JSON.stringify(finding);
      assert.doesNotMatch(text, /^Action::/, `${a.resource}: wildcard action acknowledged: ${text}`);
      if (text === 'Resource::*') assert.match(a.resource, kUnscopable, `${a.resource}: Resource::* acknowledged`);
    }
  }
});

test('fails when the acknowledged rules change without this list changing', () => {
  // A reviewer sees every new acknowledgement here first.
  const ids = stacks.flatMap((st) => acknowledgements(st.artifactId)).map((a) => a.id).sort();
  assert.deepEqual([...new Set(ids)], [
    'AwsSolutions-CFR1', 'AwsSolutions-CFR2', 'AwsSolutions-ECS2', 'AwsSolutions-IAM4', 'AwsSolutions-IAM5',
    'AwsSolutions-RDS10', 'AwsSolutions-RDS11', 'AwsSolutions-RDS14', 'AwsSolutions-SMG4',
  ]);
});
