// edge: CloudFront in front of the internal load balancer and the static bucket, and the site's
// DNS name. Knows nothing of ECS or the database: it gets a load balancer and a bucket.
import { Duration, Names, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53_targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface EdgeProps {
  /** The site's internal load balancer (HTTPS on 443), reached through a CloudFront VPC origin. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** The private bucket holding static files under `staticPrefix`. */
  readonly staticBucket: s3.IBucket;
  /** Key prefix of the static files; CloudFront serves `/<prefix>/*` from the bucket. @default 'static' */
  readonly staticPrefix?: string;
  /** The site's public name, e.g. `django.example.com`. */
  readonly siteDomain: string;
  /** Certificate for `siteDomain` in us-east-1 (CloudFront only accepts those). */
  readonly certificate: acm.ICertificate;
  /** The hosted zone receiving the alias records. */
  readonly hostedZone: route53.IHostedZone;
  /** Bucket for CloudFront's standard logs (prefix `cloudfront/`). */
  readonly accessLogsBucket: s3.IBucket;
  /** HSTS max-age. @default Duration.days(365) */
  readonly hstsMaxAge?: Duration;
  /** CloudFront price class. @default cloudfront.PriceClass.PRICE_CLASS_100 */
  readonly priceClass?: cloudfront.PriceClass;
}

/**
 * A CloudFront distribution with two behaviours: the default one to the load balancer (caching
 * disabled, all methods, every viewer header, cookie and query string forwarded) and
 * `/static/*` to the bucket through Origin Access Control (caching optimized; collectstatic
 * names files by content hash, so a long cache never serves stale CSS). Both add a response
 * headers policy with HSTS. IPv4 and IPv6 alias records point the site's name at it.
 */
export class Edge extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** The VPC origin of the load balancer (CloudFront makes its interfaces' security group). */
  readonly vpcOrigin: cloudfront.VpcOrigin;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const staticPrefix = props.staticPrefix ?? 'static';
    // CloudFront names are global to the account: add the region so the same stack name can be
    // deployed in two regions.
    const globalName = (kind: string, max: number) =>
      `${Names.uniqueResourceName(this, { maxLength: max - 30 })}-${kind}-${Stack.of(this).region}`;

    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: globalName('headers', 128),
      comment: 'mysite: HSTS and security headers on every response',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: props.hstsMaxAge ?? Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: false,
        },
      },
    });

    const siteOrigin = origins.VpcOrigin.withApplicationLoadBalancer(props.loadBalancer, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      readTimeout: Duration.seconds(30),
    });
    const oac = new cloudfront.S3OriginAccessControl(this, 'StaticOriginAccess', {
      originAccessControlName: globalName('static', 64),
      description: 'mysite: CloudFront signs requests for static files',
    });
    const staticOrigin = origins.S3BucketOrigin.withOriginAccessControl(props.staticBucket, {
      originAccessControl: oac,
      originAccessLevels: [cloudfront.AccessLevel.READ],
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `mysite ${props.siteDomain}`,
      domainNames: [props.siteDomain],
      certificate: props.certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: props.accessLogsBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: siteOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      additionalBehaviors: {
        [`/${staticPrefix}/*`]: {
          origin: staticOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: this.responseHeadersPolicy,
          compress: true,
        },
      },
    });

    const made = this.distribution.node.findAll().filter((c): c is cloudfront.VpcOrigin => c instanceof cloudfront.VpcOrigin);
    if (made.length !== 1) throw new Error(`edge: expected one VPC origin, found ${made.length}`);
    this.vpcOrigin = made[0];

    const target = route53.RecordTarget.fromAlias(new route53_targets.CloudFrontTarget(this.distribution));
    new route53.ARecord(this, 'AliasV4', { zone: props.hostedZone, recordName: props.siteDomain, target });
    new route53.AaaaRecord(this, 'AliasV6', { zone: props.hostedZone, recordName: props.siteDomain, target });

    NagSuppressions.addResourceSuppressions(this.distribution, [
      { id: 'AwsSolutions-CFR1', reason: 'The sample serves every country; add geo restrictions for your audience' },
      { id: 'AwsSolutions-CFR2', reason: 'No AWS WAF web ACL in the sample (it costs per month); attach one with `webAclId` for production' },
    ]);
  }
}
