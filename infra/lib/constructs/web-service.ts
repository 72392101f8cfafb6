// web-service: the ECS Fargate service running `mysite` behind an internal Application Load
// Balancer. Knows nothing of CloudFront: the edge construct reaches `loadBalancer` through a VPC
// origin. Settings reach the containers through the environment and the task-params parameter.
import * as crypto from 'node:crypto';
import { ArnFormat, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as events_targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { Database } from './database';
import { StaticFiles } from './static-files';
import { StaticPublisher } from './static-publisher';

/** Port `mysite serve` listens on inside the container (BIND=0.0.0.0:8000 in the image). */
const kContainerPort = 8000;

// A rolling deploy or scale-in drops no request when these three hold, in this order:
// 1. ECS first deregisters the task from the target group; the ALB stops sending it new requests
//    and lets requests in flight finish for kDeregistrationDelay.
// 2. Only then ECS sends SIGTERM; `mysite serve` stops accepting, finishes what it holds and
//    exits within its graceful-shutdown limit (kShutdownGrace in src/http/server.hpp).
// 3. ECS sends SIGKILL after kStopTimeout, which must exceed the server's limit so a slow request
//    is never cut (Fargate allows at most 120 s).
const kDeregistrationDelay = Duration.seconds(30);
const kServerGracefulShutdown = Duration.seconds(25);
const kStopTimeout = Duration.seconds(kServerGracefulShutdown.toSeconds() + 10);

export interface WebServiceProps {
  /** The VPC; tasks and the load balancer go into its private subnets. */
  readonly vpc: ec2.IVpc;
  /** The project's container image; every container runs its `mysite` entry point. */
  readonly image: ecr_assets.DockerImageAsset;
  /** The database the site connects to with IAM tokens. */
  readonly database: Database;
  /** The bucket `mysite collectstatic` uploads to. */
  readonly staticFiles: StaticFiles;
  /** The public name of the site, e.g. `django.example.com` (HOST_NAMES, STATIC_URL, ALB certificate). */
  readonly siteDomain: string;
  /** The hosted zone that validates the load balancer's certificate. */
  readonly hostedZone: route53.IHostedZone;
  /** Bucket for the load balancer's access logs (prefix `alb/`). */
  readonly accessLogsBucket: s3.IBucket;
  /** Database user the site signs in as with IAM tokens. @default 'django' */
  readonly dbUser?: string;
  /** Task CPU units. @default 512 */
  readonly cpu?: number;
  /** Task memory in MiB. @default 1024 */
  readonly memoryLimitMiB?: number;
  /** Tasks at deployment time. @default 2 */
  readonly desiredCount?: number;
  /** Auto scaling floor. @default 2 */
  readonly minCapacity?: number;
  /** Auto scaling ceiling. @default 6 */
  readonly maxCapacity?: number;
  /** Target average CPU of the service, in percent. @default 60 */
  readonly targetCpuPercent?: number;
  /** Target ALB requests per task per minute. @default 1000 */
  readonly targetRequestsPerTask?: number;
  /** DEBUG_FLAG of the site. @default false */
  readonly debug?: boolean;
}

/**
 * The site's ECS service. Each task runs three containers from one image:
 * `mysite migrate` and `mysite collectstatic --noinput` (not essential: they run and exit), and
 * `mysite serve`, which starts only after both exited with status 0, so the site never serves
 * an old schema or missing static files (the original started all three at once). A task whose
 * migration fails never serves, so the deployment circuit breaker rolls the deploy back.
 */
export class WebService extends Construct {
  readonly cluster: ecs.Cluster;
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** Closed but for the rule origin-access.ts adds (CloudFront's VPC-origin group). */
  readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  /** Runs `mysite clearsessions` once a day. */
  readonly clearSessions: events.Rule;
  /** The SSM parameter holding the site's settings as JSON (TASK_PARAMS names it). */
  readonly taskParams: ssm.StringParameter;
  /** The generated Django-style SECRET_KEY. */
  readonly secretKey: secretsmanager.Secret;
  /** `mysite collectstatic` as a function run before the service on every deploy. */
  readonly staticPublisher: StaticPublisher;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const dbUser = props.dbUser ?? 'django';
    const { database, staticFiles } = props;

    this.secretKey = new secretsmanager.Secret(this, 'SecretKey', {
      description: 'SECRET_KEY of the mysite service (signs sessions and CSRF tokens)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });

    // The original's `ecsTaskParams`, under a name CloudFormation generates.
    this.taskParams = new ssm.StringParameter(this, 'TaskParams', {
      description: 'Settings of the mysite service (JSON); TASK_PARAMS holds this parameter\'s name',
      stringValue: stack.toJsonString({
        DB_ENGINE: 'mysql',
        DB_HOST: database.cluster.clusterEndpoint.hostname,
        DB_PORT: database.cluster.clusterEndpoint.port.toString(),
        DB_NAME: database.databaseName,
        DB_USER: dbUser,
        DB_AUTH: 'iam',
        STATIC_BUCKET_NAME: staticFiles.bucket.bucketName,
        STATIC_URL: `https://${props.siteDomain}/${staticFiles.prefix}/`,
        HOST_NAMES: props.siteDomain,
        // The site is reached only through CloudFront and the ALB, each of which appends to
        // X-Forwarded-For: the client address is the second entry from the right, and HTTPS is
        // what those two proxies say it was.
        TRUSTED_PROXY_COUNT: '2',
        CSRF_TRUSTED_ORIGINS: `https://${props.siteDomain}`,
        DEBUG_FLAG: props.debug ? 'true' : 'false',
        AWS_REGION: stack.region,
      }),
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu ?? 512,
      memoryLimitMiB: props.memoryLimitMiB ?? 1024,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    const taskRole = this.taskDefinition.taskRole;
    // Exactly one database user of this cluster: rds-db:connect on <cluster resource id>/django.
    taskRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['rds-db:connect'],
      resources: [stack.formatArn({
        service: 'rds-db',
        resource: 'dbuser',
        resourceName: `${database.cluster.clusterResourceIdentifier}/${dbUser}`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
    }));
    // The manifest only (`{% static %}` names); uploads are the static publisher's alone.
    staticFiles.grantReadManifest(taskRole);
    this.taskParams.grantRead(taskRole);

    const taskParamsVersion = valueFingerprint(this.taskParams.node.defaultChild as ssm.CfnParameter);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const image = ecs.ContainerImage.fromDockerImageAsset(props.image);
    const common = (name: string): ecs.ContainerDefinitionOptions => ({
      image,
      // Non-secret settings only: names and ARNs. Everything else is in the parameter, the key
      // comes through `secrets` (injected by ECS from Secrets Manager, never in the template).
      environment: {
        TASK_PARAMS: this.taskParams.parameterName,
        // Changes with the parameter's value, so new settings roll the service.
        TASK_PARAMS_VERSION: taskParamsVersion,
        AWS_REGION: stack.region,
      },
      secrets: { SECRET_KEY: ecs.Secret.fromSecretsManager(this.secretKey) },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: name }),
      stopTimeout: kStopTimeout,
    });

    const migrate = this.taskDefinition.addContainer('migrate', {
      ...common('migrate'),
      command: ['migrate'],
      essential: false,
    });
    const serve = this.taskDefinition.addContainer('serve', {
      ...common('serve'),
      command: ['serve'],
      essential: true,
      portMappings: [{ containerPort: kContainerPort, protocol: ecs.Protocol.TCP }],
      healthCheck: {
        command: ['CMD', 'mysite', 'healthcheck'],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
    });
    serve.addContainerDependencies(
      { container: migrate, condition: ecs.ContainerDependencyCondition.SUCCESS },
    );

    // Internal load balancer: no public address at all; CloudFront reaches it through a VPC
    // origin, whose network interfaces live in these subnets. Its security group starts closed:
    // the one ingress rule admits CloudFront's VPC-origin group, which CloudFront makes after the
    // VPC origin deploys (origin-access.ts looks it up).
    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      description: 'mysite internal ALB: HTTPS from the CloudFront VPC origin only',
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroup: this.loadBalancerSecurityGroup,
      dropInvalidHeaderFields: true,
    });
    this.loadBalancer.logAccessLogs(props.accessLogsBucket, 'alb');

    // CloudFront forwards the viewer's Host header and checks the load balancer's certificate
    // against it, so the certificate is for the site's public name, in this stack's region.
    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: props.siteDomain,
      validation: acm.CertificateValidation.fromDns(props.hostedZone),
    });
    const listener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: false,
    });

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.desiredCount ?? 2,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      // Covers migrate before serve starts answering.
      healthCheckGracePeriod: Duration.minutes(3),
    });
    database.allowFrom(this.service, 'mysite tasks');

    // Django's clearsessions, daily: the service's task definition with the web container's
    // command replaced (so the same image, role and settings; migrate runs first, as always).
    this.clearSessions = new events.Rule(this, 'ClearSessions', {
      description: 'mysite clearsessions: deletes expired sessions once a day',
      schedule: events.Schedule.cron({ minute: '17', hour: '3' }),
      targets: [new events_targets.EcsTask({
        cluster: this.cluster,
        taskDefinition: this.taskDefinition,
        taskCount: 1,
        subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: this.service.connections.securityGroups,
        containerOverrides: [{ containerName: 'serve', command: ['clearsessions'] }],
      })],
    });
    // The role EventBridge starts the task with (CDK's, under the task definition).
    NagSuppressions.addResourceSuppressions(this.taskDefinition, [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'EventBridge may tag the clearsessions tasks it starts in this cluster; their ARNs exist only once started',
        appliesTo: [{ regex: '/^Resource::arn:aws:ecs:[^:]+:\\*:task\\/<WebServiceCluster[0-9A-F]+>\\/\\*$/g' }],
      },
    ], true);

    // collectstatic, with the only role that may write the static files, before the service.
    this.staticPublisher = new StaticPublisher(this, 'StaticPublisher', {
      image: props.image,
      staticFiles,
      taskParams: this.taskParams,
      taskParamsVersion,
      executeBefore: [this.service],
    });

    const targetGroup = listener.addTargets('Serve', {
      port: kContainerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service.loadBalancerTarget({ containerName: 'serve', containerPort: kContainerPort })],
      deregistrationDelay: kDeregistrationDelay,
      healthCheck: {
        path: '/ping/',
        healthyHttpCodes: '200',
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });

    const scaling = this.service.autoScaleTaskCount({
      minCapacity: props.minCapacity ?? 2,
      maxCapacity: props.maxCapacity ?? 6,
    });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: props.targetCpuPercent ?? 60 });
    scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: props.targetRequestsPerTask ?? 1000,
      targetGroup,
    });

    NagSuppressions.addResourceSuppressions(this.taskDefinition, [
      {
        id: 'AwsSolutions-ECS2',
        reason: 'The environment holds only TASK_PARAMS (a parameter name), its version hash and AWS_REGION; secrets come through `secrets` from Secrets Manager',
      },
    ]);
    NagSuppressions.addResourceSuppressions(this.taskDefinition.obtainExecutionRole(), [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'Execution role: ecr:GetAuthorizationToken takes no resource scope; image pulls are scoped to the asset repository',
        appliesTo: ['Resource::*'],
      },
    ], true);
    NagSuppressions.addResourceSuppressions(this.secretKey, [
      {
        id: 'AwsSolutions-SMG4',
        reason: 'Rotating SECRET_KEY would sign every user out and void forms in flight; rotate it deliberately with a deploy',
      },
    ]);
  }
}

/** A hash of the parameter's value as it goes into the template, computed at synthesis. */
function valueFingerprint(parameter: ssm.CfnParameter): string {
  return Lazy.string({
    produce: () => crypto.createHash('sha256')
      .update(JSON.stringify(Stack.of(parameter).resolve(parameter.value))).digest('hex').slice(0, 16),
  });
}
