// database: the Aurora MySQL Serverless v2 cluster, its key and its master secret. Knows nothing
// of the web service or the initializer; they connect through `allowFrom` and the exposed cluster.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface DatabaseProps {
  /** The VPC; the cluster goes into its isolated subnets. */
  readonly vpc: ec2.IVpc;
  /** Serverless v2 minimum capacity in ACUs. @default 0.5 */
  readonly minCapacity?: number;
  /** Serverless v2 maximum capacity in ACUs. @default 4 */
  readonly maxCapacity?: number;
  /**
   * Refuse deletion of the cluster. A final snapshot is kept on stack deletion either way.
   * @default false
   */
  readonly deletionProtection?: boolean;
  /** Aurora MySQL engine version. @default rds.AuroraMysqlEngineVersion.VER_3_08_2 */
  readonly engineVersion?: rds.AuroraMysqlEngineVersion;
  /** Database (schema) the site uses; the initializer grants the site's user on it. @default 'main' */
  readonly databaseName?: string;
}

/**
 * Aurora MySQL Serverless v2 with a writer and a reader, IAM database authentication, storage
 * encrypted with a customer-managed key, TLS required, error/slow-query/audit logs exported to
 * CloudWatch, and the master credentials in a generated Secrets Manager secret rotated every 30
 * days (only the DB initializer reads it; the site signs in with IAM tokens).
 */
export class Database extends Construct {
  readonly cluster: rds.DatabaseCluster;
  /**
   * The master user's secret, attached to the cluster (JSON with host, port, username,
   * password). Its ARN in the template refers to the attachment, so readers wait for it.
   */
  readonly masterSecret: secretsmanager.ISecret;
  readonly databaseName: string;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    this.databaseName = props.databaseName ?? 'main';
    const engine = rds.DatabaseClusterEngine.auroraMysql({
      version: props.engineVersion ?? rds.AuroraMysqlEngineVersion.VER_3_08_2,
    });
    const key = new kms.Key(this, 'Key', {
      description: 'Encrypts the mysite Aurora cluster storage',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const masterSecret = new rds.DatabaseSecret(this, 'MasterSecret', { username: 'admin' });
    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: 'mysite: TLS only, slow query and audit logs',
      parameters: {
        require_secure_transport: 'ON',
        slow_query_log: '1',
        long_query_time: '2',
        server_audit_logging: '1',
        server_audit_events: 'CONNECT,QUERY_DDL,QUERY_DCL',
      },
    });

    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      credentials: rds.Credentials.fromSecret(masterSecret),
      defaultDatabaseName: this.databaseName,
      writer: rds.ClusterInstance.serverlessV2('Writer'),
      readers: [rds.ClusterInstance.serverlessV2('Reader', { scaleWithWriter: true })],
      serverlessV2MinCapacity: props.minCapacity ?? 0.5,
      serverlessV2MaxCapacity: props.maxCapacity ?? 4,
      iamAuthentication: true,
      storageEncrypted: true,
      storageEncryptionKey: key,
      parameterGroup,
      cloudwatchLogsExports: ['error', 'slowquery', 'audit'],
      cloudwatchLogsRetention: logs.RetentionDays.ONE_MONTH,
      backup: { retention: Duration.days(7) },
      deletionProtection: props.deletionProtection ?? false,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    this.masterSecret = this.cluster.secret!;
    // The rotation function must reach Secrets Manager, so it runs in the subnets with egress.
    this.cluster.addRotationSingleUser({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } });

    NagSuppressions.addResourceSuppressions(this.cluster, [
      {
        id: 'AwsSolutions-RDS11',
        reason: 'MySQL port 3306 kept: the cluster sits in isolated subnets behind a security group open only to the site and the initializer, so another port adds nothing',
      },
      {
        id: 'AwsSolutions-RDS14',
        reason: 'Recovery is by point-in-time restore from the 7-day backups; backtrack is billed per change record and missing in several regions the stack must deploy to',
      },
      ...(props.deletionProtection
        ? []
        : [{
          id: 'AwsSolutions-RDS10',
          reason: 'Deletion protection is configurable (DB_DELETION_PROTECTION) and off by default so `make destroy` works; removal keeps a final snapshot',
        }]),
    ]);
  }

  /** Lets `peer` open MySQL connections to the cluster. */
  allowFrom(peer: ec2.IConnectable, description: string): void {
    this.cluster.connections.allowDefaultPortFrom(peer, description);
  }
}
