// static-files: the private bucket `mysite collectstatic` uploads to and CloudFront reads from
// (under `static/`). Knows nothing of CloudFront or ECS; they are granted access by their constructs.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface StaticFilesProps {
  /** Bucket receiving the server access logs (prefix `s3/`). */
  readonly accessLogsBucket: s3.IBucket;
  /** Key prefix the site's static files live under; CloudFront serves `/<prefix>/*` from it. @default 'static' */
  readonly prefix?: string;
}

/**
 * A private bucket: all public access blocked, SSE-S3, TLS only, ACLs disabled, server access
 * logs. Its objects are rebuilt by every deployment, so it is emptied and deleted with the stack.
 */
export class StaticFiles extends Construct {
  readonly bucket: s3.Bucket;
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: StaticFilesProps) {
    super(scope, id);
    this.prefix = props.prefix ?? 'static';
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
  }

  /** Lets `role` read the manifest (`<prefix>/staticfiles.json`) and nothing else. */
  grantReadManifest(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [this.bucket.arnForObjects(`${this.prefix}/staticfiles.json`)],
    }));
  }

  /**
   * Lets `role` list, read, write and delete the objects under the prefix, and nothing else
   * (what `mysite collectstatic` needs to upload only what changed), and acknowledges on the
   * role the one object wildcard this needs.
   */
  grantReadWritePrefix(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${this.prefix}/*`] } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [this.bucket.arnForObjects(`${this.prefix}/*`)],
    }));
    NagSuppressions.addResourceSuppressions(role, [{
      id: 'AwsSolutions-IAM5',
      reason: `Objects under the bucket's ${this.prefix}/ prefix: the narrowest scope for files collectstatic names by content hash`,
      appliesTo: [{ regex: `/^Resource::<.*StaticFilesBucket.*\\.Arn>\\/${this.prefix}\\/\\*$/g` }],
    }], true);
  }
}
