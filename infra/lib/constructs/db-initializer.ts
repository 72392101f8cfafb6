// db-initializer: runs the `db-initializer` Lambda (a C++ custom runtime in the project's image)
// once the cluster exists and again whenever the cluster or the initializer changes. Knows nothing
// of the web service: it only makes the IAM-authenticated database user the service signs in as.
import * as crypto from 'node:crypto';
import { CfnResource, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as triggers from 'aws-cdk-lib/triggers';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { Database } from './database';

export interface DbInitializerProps {
  /** The VPC; the function runs in its private subnets with egress (to reach Secrets Manager). */
  readonly vpc: ec2.IVpc;
  /** The database whose master secret the function reads and whose cluster it prepares. */
  readonly database: Database;
  /** The project's container image; the function runs its `db-initializer` binary. */
  readonly image: ecr_assets.DockerImageAsset;
  /** The IAM-authenticated user to create and grant on the database. @default 'django' */
  readonly dbUser?: string;
  /** How long one run may take (it waits for the cluster to accept connections). @default 5 minutes */
  readonly timeout?: Duration;
}

/**
 * Why a container image and not a `provided.al2023` zip: the binaries are built on Debian
 * bookworm and link its shared libraries (OpenSSL 3, GCC 12's libstdc++, ...), which Amazon
 * Linux 2023 does not carry in the same versions; a zip would need a static build or bundled
 * libraries. The image exists anyway for ECS, so the function reuses it: one build, one push,
 * the same libraries and RDS CA bundle as the site. The function overrides the image's entry
 * point and command: Lambda starts `/usr/local/bin/db-initializer db-initializer`, which talks to
 * the Runtime API at `AWS_LAMBDA_RUNTIME_API` (and should ignore its argument).
 *
 * A Lambda function from the project's image with the entry point `db-initializer`, and a CDK
 * Trigger that invokes it synchronously (RequestResponse), so an error it reports fails the
 * deployment instead of being swallowed as in the original sample.
 *
 * Ordering: the trigger runs after the cluster and its writer and reader instances exist. It runs
 * again when the function changes (new image, so a new SQL script, or new settings) and when the
 * cluster changes: a fingerprint of the cluster's CloudFormation properties is part of the
 * function's environment, so any change to the cluster publishes a new function version.
 */
export class DbInitializer extends Construct {
  readonly function: lambda.DockerImageFunction;
  readonly trigger: triggers.Trigger;

  constructor(scope: Construct, id: string, props: DbInitializerProps) {
    super(scope, id);
    const { database, image } = props;
    const timeout = props.timeout ?? Duration.minutes(5);

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    this.function = new lambda.DockerImageFunction(this, 'Function', {
      description: 'Creates the IAM-authenticated database user of the mysite service',
      // The same image as the web service (one build, one push), started at the initializer.
      code: lambda.DockerImageCode.fromEcr(image.repository, {
        tagOrDigest: image.imageTag,
        entrypoint: ['/usr/local/bin/db-initializer'],
        cmd: ['db-initializer'],
      }),
      architecture: lambda.Architecture.X86_64,
      memorySize: 256,
      timeout,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      logGroup,
      environment: {
        DB_CONFIG_SECRET: database.masterSecret.secretArn,
        DB_USER: props.dbUser ?? 'django',
        DB_NAME: database.databaseName,
        CLUSTER_FINGERPRINT: clusterFingerprint(database),
      },
    });
    database.masterSecret.grantRead(this.function);
    database.allowFrom(this.function, 'DB initializer');

    this.trigger = new triggers.Trigger(this, 'Trigger', {
      handler: this.function,
      executeAfter: [database.cluster, database.masterSecret],
      executeOnHandlerChange: true,
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
      timeout,
    });

    NagSuppressions.addResourceSuppressions(this.function.role!, [
      {
        id: 'AwsSolutions-IAM4',
        reason: 'AWSLambdaVPCAccessExecutionRole (added by CDK for a function in a VPC): the Lambda service needs it to manage the function\'s network interfaces, whose ec2 actions take no resource scope',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'],
      },
      {
        id: 'AwsSolutions-IAM4',
        reason: 'AWSLambdaBasicExecutionRole (added by CDK): writes only to the function\'s own log streams',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
    ], true);
  }
}

/** A hash of the cluster's resolved CloudFormation properties, computed at synthesis. */
function clusterFingerprint(database: Database): string {
  const cfnCluster = database.cluster.node.defaultChild as CfnResource;
  return Lazy.string({
    produce: () => {
      const stack = Stack.of(cfnCluster);
      // _toCloudFormation renders exactly what goes into the template for this resource.
      const rendered = stack.resolve((cfnCluster as unknown as { _toCloudFormation(): object })._toCloudFormation());
      return crypto.createHash('sha256').update(JSON.stringify(rendered)).digest('hex').slice(0, 16);
    },
  });
}
