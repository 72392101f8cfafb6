// origin-access: the internal load balancer admits CloudFront's VPC origin, and nothing else.
// CloudFront sends VPC-origin traffic from interfaces in the VPC that carry a security group it
// makes itself ("CloudFront-VPCOrigins-Service-SG", one per VPC, made when the VPC's first VPC
// origin deploys); that traffic does not come from the VPC's own address range, so a rule for the
// VPC's CIDR would admit every host in the VPC and not CloudFront. No template can name that
// group, so a custom resource (the image's `origin-group`, C++ on Lambda) looks it up after the
// VPC origin exists, and the rule below admits it on the listener's port.
import { CustomResource, Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export const kVpcOriginGroupName = 'CloudFront-VPCOrigins-Service-SG';

export interface OriginAccessProps {
  /** The project's container image; the function runs `/usr/local/bin/origin-group` from it. */
  readonly image: ecr_assets.DockerImageAsset;
  /** The VPC the load balancer and the VPC origin's interfaces are in. */
  readonly vpc: ec2.IVpc;
  /** The VPC origin; the lookup waits for it. */
  readonly vpcOrigin: cloudfront.IVpcOrigin;
  /** The load balancer's security group, which gets the one ingress rule. */
  readonly loadBalancerSecurityGroup: ec2.ISecurityGroup;
  /** The listener's port. @default 443 */
  readonly port?: number;
}

export class OriginAccess extends Construct {
  readonly function: lambda.DockerImageFunction;
  readonly serviceGroup: CustomResource;
  readonly rule: ec2.CfnSecurityGroupIngress;

  constructor(scope: Construct, id: string, props: OriginAccessProps) {
    super(scope, id);
    const port = props.port ?? 443;
    // The function looks again every 10 s while CloudFront makes the group; 10 minutes at most.
    const timeout = Duration.minutes(10);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    this.function = new lambda.DockerImageFunction(this, 'Function', {
      description: `Finds ${kVpcOriginGroupName} in the VPC for the load balancer's ingress rule`,
      code: lambda.DockerImageCode.fromEcr(props.image.repository, {
        tagOrDigest: props.image.imageTag,
        entrypoint: ['/usr/local/bin/origin-group'],
        cmd: ['origin-group'],
      }),
      architecture: lambda.Architecture.X86_64,
      memorySize: 256,
      timeout,
      logGroup,
    });
    this.function.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ec2:DescribeSecurityGroups'],
      resources: ['*'],
    }));

    this.serviceGroup = new CustomResource(this, 'ServiceGroup', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::VpcOriginSecurityGroup',
      serviceTimeout: Duration.minutes(15),
      properties: { VpcId: props.vpc.vpcId, GroupName: kVpcOriginGroupName },
    });
    this.serviceGroup.node.addDependency(props.vpcOrigin);

    this.rule = new ec2.CfnSecurityGroupIngress(this, 'FromVpcOrigin', {
      groupId: props.loadBalancerSecurityGroup.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      sourceSecurityGroupId: this.serviceGroup.getAttString('GroupId'),
      description: `HTTPS from CloudFront's VPC origin (${kVpcOriginGroupName})`,
    });

    NagSuppressions.addResourceSuppressions(this.function.role!, [
      {
        id: 'AwsSolutions-IAM4',
        reason: 'AWSLambdaBasicExecutionRole (added by CDK): writes only to the function\'s own log streams',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason: 'ec2:DescribeSecurityGroups has no resource-level permissions; it only reads',
        appliesTo: ['Resource::*'],
      },
    ], true);
  }
}
