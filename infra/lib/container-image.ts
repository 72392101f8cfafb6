// container-image: how the project's one image is built from the checkout. The build context is
// the repository root, filtered by docker/Dockerfile.dockerignore (read here, so CDK's asset
// staging and a plain `docker build -f docker/Dockerfile .` see the same files).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IgnoreMode } from 'aws-cdk-lib';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';

/** Path of the Dockerfile inside the repository. */
export const kDockerfile = 'docker/Dockerfile';

/** Asset properties for the image built from `repositoryRoot`. */
export function containerImageAssetProps(repositoryRoot: string): ecr_assets.DockerImageAssetProps {
  return {
    directory: repositoryRoot,
    file: kDockerfile,
    target: 'runtime',
    // ECS tasks and the Lambda function both run on x86_64, whatever machine builds the image.
    platform: ecr_assets.Platform.LINUX_AMD64,
    ignoreMode: IgnoreMode.DOCKER,
    exclude: readDockerignore(path.join(repositoryRoot, `${kDockerfile}.dockerignore`)),
  };
}

/** The patterns of a .dockerignore file (comments and blank lines dropped). */
export function readDockerignore(file: string): string[] {
  return fs.readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
