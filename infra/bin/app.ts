#!/usr/bin/env node
// The CDK CLI's entry point (cdk.json). Reads config/config.yaml (or $MYSITE_CONFIG) and adds the
// stacks; a bad config stops here with one line naming the key and exit status 1.
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addStacks } from '../lib/app';
import { ConfigError, DeploymentConfig, loadConfigFile } from '../lib/config';

const configFile = process.env.MYSITE_CONFIG || path.resolve(__dirname, '..', '..', 'config', 'config.yaml');
const shownAs = process.env.MYSITE_CONFIG || 'config/config.yaml';

let config: DeploymentConfig;
try {
  config = loadConfigFile(configFile, shownAs);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}

if (process.argv.includes('--check-config')) {
  process.stdout.write(`config ok: ${config.stackName} in ${config.accountId}/${config.region}, https://${config.siteDomain}/\n`);
} else if (process.argv.includes('--environments')) {
  // What `cdk bootstrap` needs: the stack's region and us-east-1 (CloudFront's certificate).
  const regions = [...new Set([config.region, 'us-east-1'])];
  process.stdout.write(`${regions.map((r) => `aws://${config.accountId}/${r}`).join(' ')}\n`);
} else {
  addStacks(new App(), config);
}
