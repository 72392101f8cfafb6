// network: the VPC every other construct runs in. Knows nothing of what runs inside it.
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface NetworkProps {
  /** The VPC's address range. @default '10.0.0.0/16' */
  readonly cidr?: string;
  /**
   * Whether the stack names its zones itself (AVAILABILITY_ZONES) rather than leaving them to
   * CloudFormation; the VPC uses the stack's first two zones either way.
   * @default false
   */
  readonly explicitZones?: boolean;
  /**
   * NAT gateways for the private subnets' egress (ECR, SSM, Secrets Manager, S3, CloudWatch).
   * @default 1 - one gateway keeps the sample cheap; use 2 to survive the loss of a zone
   */
  readonly natGateways?: number;
  /**
   * How long VPC flow logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly flowLogRetention?: logs.RetentionDays;
}

/**
 * A VPC over the stack's first two zones: public subnets (NAT gateways only; nothing else is public), private
 * subnets with egress (tasks, load balancer, DB initializer) and isolated subnets (database),
 * with flow logs of all traffic to CloudWatch Logs.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  /** The VPC's address range, known at synthesis (unlike `vpc.vpcCidrBlock`). */
  readonly cidr: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.cidr = props.cidr ?? '10.0.0.0/16';
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(this.cidr),
      maxAzs: 2,
      natGateways: props.natGateways ?? 1,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'Database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      flowLogs: {
        All: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });
    if (props.explicitZones) {
      Validations.of(this.vpc).acknowledge({
        id: 'CloudFormation-Validate::W3010',
        reason: 'Zones named on purpose in AVAILABILITY_ZONES (for example to avoid one without CloudFront VPC origins)',
      });
    }
  }
}
