// app: assembles the two stacks from a validated config and applies the cdk-nag checks. Shared
// by bin/app.ts (the CDK CLI's entry point) and the tests, so both synthesize the same thing.
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CertificateStack } from './certificate-stack';
import { DeploymentConfig } from './config';
import { MySiteStack } from './mysite-stack';
import { acknowledgeCdkInternals } from './nag';

export interface MySiteApp {
  readonly certificateStack: CertificateStack;
  readonly siteStack: MySiteStack;
}

/** Options for `addStacks`. */
export interface AddStacksOptions {
  /** The image's build context. @default the checkout this file belongs to */
  readonly repositoryRoot?: string;
}

/** Adds the certificate stack (us-east-1) and the site stack (config.region) to `app`. */
export function addStacks(app: App, config: DeploymentConfig, options: AddStacksOptions = {}): MySiteApp {
  const certificateStack = new CertificateStack(app, `${config.stackName}-Certificate`, {
    env: { account: config.accountId, region: 'us-east-1' },
    description: `mysite: CloudFront certificate for ${config.siteDomain}`,
    siteDomain: config.siteDomain,
    hostedZoneId: config.hostedZoneId,
    hostedZoneDomain: config.hostedZoneDomain,
  });
  const siteStack = new MySiteStack(app, config.stackName, {
    env: { account: config.accountId, region: config.region },
    description: `mysite: C++ web application on ECS Fargate, Aurora MySQL and CloudFront (${config.siteDomain})`,
    config,
    cloudFrontCertificate: certificateStack.certificate,
    repositoryRoot: options.repositoryRoot,
  });
  acknowledgeCdkInternals(certificateStack);
  acknowledgeCdkInternals(siteStack);
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { certificateStack, siteStack };
}
