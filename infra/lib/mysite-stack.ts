// mysite-stack: the main stack, read in one pass: network, logs, database, image, DB initializer,
// static files, web service, edge, outputs. Each piece is a construct in lib/constructs/.
import * as path from 'node:path';
import { CfnOutput, CfnResource, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { DeploymentConfig } from './config';
import { AccessLogs } from './constructs/access-logs';
import { Database } from './constructs/database';
import { DbInitializer } from './constructs/db-initializer';
import { Edge } from './constructs/edge';
import { Network } from './constructs/network';
import { OriginAccess } from './constructs/origin-access';
import { StaticFiles } from './constructs/static-files';
import { WebService } from './constructs/web-service';
import { containerImageAssetProps } from './container-image';

export interface MySiteStackProps extends StackProps {
  /** The validated deployment settings (config/config.yaml). */
  readonly config: DeploymentConfig;
  /** CloudFront's certificate for the site's domain, from the us-east-1 certificate stack. */
  readonly cloudFrontCertificate: acm.ICertificate;
  /**
   * The repository root: the container image's build context (docker/Dockerfile inside it).
   * @default the checkout this file belongs to
   */
  readonly repositoryRoot?: string;
}

/** Everything the site needs in its region, plus the CloudFront distribution and DNS name. */
export class MySiteStack extends Stack {
  readonly webService: WebService;
  readonly edge: Edge;
  readonly database: Database;
  readonly dbInitializer: DbInitializer;
  readonly staticFiles: StaticFiles;

  private readonly zones?: string[];

  /**
   * The zones from the config, or else the region's first two as CloudFormation resolves them
   * at deploy time (`Fn::GetAZs`). Overriding the getter keeps CDK from looking the zones up in
   * the account, so synthesis needs no credentials.
   */
  override get availabilityZones(): string[] {
    return this.zones ?? [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }

  constructor(scope: Construct, id: string, props: MySiteStackProps) {
    super(scope, id, { crossRegionReferences: true, ...props });
    const { config } = props;
    this.zones = config.availabilityZones;

    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: config.hostedZoneId,
      zoneName: config.hostedZoneDomain,
    });
    const network = new Network(this, 'Network', { explicitZones: config.availabilityZones !== undefined });
    const accessLogs = new AccessLogs(this, 'AccessLogs');

    this.database = new Database(this, 'Database', {
      vpc: network.vpc,
      minCapacity: config.dbMinAcu,
      maxCapacity: config.dbMaxAcu,
      deletionProtection: config.dbDeletionProtection,
    });

    // One image runs every program: mysite (serve, migrate, collectstatic) and db-initializer.
    const image = new ecr_assets.DockerImageAsset(this, 'Image',
      containerImageAssetProps(props.repositoryRoot ?? path.resolve(__dirname, '..', '..')));

    this.dbInitializer = new DbInitializer(this, 'DbInitializer', {
      vpc: network.vpc,
      database: this.database,
      image,
    });

    this.staticFiles = new StaticFiles(this, 'StaticFiles', { accessLogsBucket: accessLogs.bucket });

    this.webService = new WebService(this, 'WebService', {
      vpc: network.vpc,
      image,
      database: this.database,
      staticFiles: this.staticFiles,
      siteDomain: config.siteDomain,
      hostedZone,
      accessLogsBucket: accessLogs.bucket,
      cpu: config.taskCpu,
      memoryLimitMiB: config.taskMemoryMiB,
      desiredCount: config.desiredTasks,
      minCapacity: config.minTasks,
      maxCapacity: config.maxTasks,
      debug: config.debug,
    });
    // The service's first tasks migrate as the `django` user, which the initializer creates.
    // Only the ECS service itself waits (its security group must not: the cluster, which the
    // trigger waits for, admits that group).
    (this.webService.service.node.defaultChild as CfnResource).node.addDependency(this.dbInitializer.trigger);

    this.edge = new Edge(this, 'Edge', {
      loadBalancer: this.webService.loadBalancer,
      staticBucket: this.staticFiles.bucket,
      staticPrefix: this.staticFiles.prefix,
      siteDomain: config.siteDomain,
      certificate: props.cloudFrontCertificate,
      hostedZone,
      accessLogsBucket: accessLogs.bucket,
    });

    // The load balancer admits CloudFront's VPC origin only, once CloudFront has made its group.
    new OriginAccess(this, 'OriginAccess', {
      image,
      vpc: network.vpc,
      vpcOrigin: this.edge.vpcOrigin,
      loadBalancerSecurityGroup: this.webService.loadBalancerSecurityGroup,
    });

    new CfnOutput(this, 'SiteUrl', { value: `https://${config.siteDomain}/`, description: 'The site' });
    new CfnOutput(this, 'DistributionDomainName', { value: this.edge.distribution.distributionDomainName });
    new CfnOutput(this, 'StaticBucketName', { value: this.staticFiles.bucket.bucketName });
    new CfnOutput(this, 'EcsClusterName', { value: this.webService.cluster.clusterName });
    new CfnOutput(this, 'EcsServiceName', { value: this.webService.service.serviceName });
    new CfnOutput(this, 'DatabaseClusterIdentifier', { value: this.database.cluster.clusterIdentifier });
    new CfnOutput(this, 'TaskParamsName', { value: this.webService.taskParams.parameterName });
  }
}
