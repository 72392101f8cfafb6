// certificate-stack: the CloudFront certificate, which must live in us-east-1 whatever the main
// stack's region. Knows nothing of the main stack; it exports the certificate through
// CDK's cross-region references (SSM parameters written here, read there).
import { Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

export interface CertificateStackProps extends StackProps {
  /** The public name the certificate covers, e.g. `django.example.com`. */
  readonly siteDomain: string;
  /** Id of the hosted zone that validates it (DNS validation). */
  readonly hostedZoneId: string;
  /** Domain of that hosted zone. */
  readonly hostedZoneDomain: string;
}

/** A DNS-validated ACM certificate in us-east-1 for CloudFront. */
export class CertificateStack extends Stack {
  readonly certificate: acm.Certificate;

  constructor(scope: Construct, id: string, props: CertificateStackProps) {
    super(scope, id, { crossRegionReferences: true, ...props });
    if (this.region !== 'us-east-1') {
      throw new Error(`CertificateStack must be in us-east-1 (CloudFront), got ${this.region}`);
    }
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: props.hostedZoneId,
      zoneName: props.hostedZoneDomain,
    });
    this.certificate = new acm.Certificate(this, 'CloudFrontCertificate', {
      domainName: props.siteDomain,
      validation: acm.CertificateValidation.fromDns(zone),
    });
  }
}
