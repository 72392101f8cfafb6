// nag: acknowledgements for helper resources CDK itself adds to a stack, which our constructs
// cannot configure. Our own resources carry their acknowledgements where they are made.
import { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

/** Adds the acknowledgements for the CDK-made helpers present in `stack`. Call after building it. */
export function acknowledgeCdkInternals(stack: Stack): void {
  for (const child of stack.node.children) {
    // The LogRetention helper sets the retention of the Aurora log groups, which RDS creates
    // under the cluster's generated name only once the cluster exists.
    const role = child.node.id.startsWith('LogRetention') ? child.node.tryFindChild('ServiceRole') : undefined;
    if (role) {
      NagSuppressions.addResourceSuppressions(role, [
        {
          id: 'AwsSolutions-IAM4',
          reason: 'CDK LogRetention helper: AWSLambdaBasicExecutionRole writes only its own logs',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason: 'CDK LogRetention helper: logs:PutRetentionPolicy/DeleteRetentionPolicy on the RDS log groups, which get their names from the cluster at creation; CDK grants the helper no narrower scope',
          appliesTo: ['Resource::*'],
        },
      ], true);
    }
  }
}
