// access-logs: the bucket receiving access logs of the load balancer, CloudFront and the static
// bucket. Knows nothing of who writes to it beyond the three prefixes.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface AccessLogsProps {
  /** Days before log objects expire. @default 90 */
  readonly expirationDays?: number;
}

/**
 * A private bucket for access logs (prefixes `alb/`, `cloudfront/`, `s3/`): SSE-S3 (the only
 * encryption the load balancer's log delivery supports), TLS only, public access blocked, ACLs
 * enabled for the bucket owner because CloudFront standard logging writes through ACLs. It is
 * kept when the stack is deleted: logs are evidence.
 */
export class AccessLogs extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogsProps = {}) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.expirationDays ?? 90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
