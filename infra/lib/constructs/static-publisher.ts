// static-publisher: `mysite collectstatic` as a Lambda function from the project's image, run by a
// CDK Trigger on every deploy before the ECS service is updated. Its role is the only one that may
// write the bucket's static files: the internet-facing `serve` tasks may only read the manifest.
import { Duration } from 'aws-cdk-lib';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as triggers from 'aws-cdk-lib/triggers';
import { NagSuppressions } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';
import { StaticFiles } from './static-files';

export interface StaticPublisherProps {
  /** The project's container image; the function runs `mysite collectstatic --lambda` from it. */
  readonly image: ecr_assets.DockerImageAsset;
  /** The bucket and prefix the files go to. */
  readonly staticFiles: StaticFiles;
  /** The site's settings parameter (TASK_PARAMS): the bucket name, STATIC_URL, the region. */
  readonly taskParams: ssm.StringParameter;
  /** Changes with the parameter's value, so new settings run the function again. */
  readonly taskParamsVersion: string;
  /** What must wait for the files (the ECS service: new tasks render the new manifest). */
  readonly executeBefore: IConstruct[];
  /** How long one run may take. @default 5 minutes */
  readonly timeout?: Duration;
}

/**
 * Why a function and not a container of the task: every container of an ECS task shares the
 * task's role, so a `collectstatic` container beside `serve` meant the internet-facing server
 * held write access to the bucket. The function runs outside the VPC (it needs S3 and SSM
 * only, not the database), synchronously through the Trigger (RequestResponse): a failure stops
 * the deployment before the service changes, and old tasks keep serving the files they know.
 */
export class StaticPublisher extends Construct {
  readonly function: lambda.DockerImageFunction;
  readonly trigger: triggers.Trigger;

  constructor(scope: Construct, id: string, props: StaticPublisherProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.minutes(5);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    this.function = new lambda.DockerImageFunction(this, 'Function', {
      description: 'Uploads the site\'s static files under content-hashed names (mysite collectstatic)',
      code: lambda.DockerImageCode.fromEcr(props.image.repository, {
        tagOrDigest: props.image.imageTag,
        entrypoint: ['/usr/local/bin/mysite'],
        cmd: ['collectstatic', '--lambda'],
      }),
      architecture: lambda.Architecture.X86_64,
      memorySize: 512,
      timeout,
      logGroup,
      environment: {
        TASK_PARAMS: props.taskParams.parameterName,
        TASK_PARAMS_VERSION: props.taskParamsVersion,
      },
    });
    props.staticFiles.grantReadWritePrefix(this.function.role!);
    props.taskParams.grantRead(this.function);

    this.trigger = new triggers.Trigger(this, 'Trigger', {
      handler: this.function,
      executeAfter: [props.staticFiles.bucket, props.taskParams],
      executeBefore: props.executeBefore,
      executeOnHandlerChange: true,
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
      timeout,
    });

    NagSuppressions.addResourceSuppressions(this.function.role!, [
      {
        id: 'AwsSolutions-IAM4',
        reason: 'AWSLambdaBasicExecutionRole (added by CDK): writes only to the function\'s own log streams',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
    ], true);
  }
}
