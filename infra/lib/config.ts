// config: reads and validates config/config.yaml. Knows nothing of CDK constructs; every other
// part of the app receives a validated DeploymentConfig and never reads the file itself.
//
//   const config = loadConfigFile('config/config.yaml'); // throws ConfigError on the first bad key
//
// A bad value fails with one line naming the key: `config/config.yaml: REGION: ...`.
import * as fs from 'node:fs';
import * as YAML from 'yaml';

/** The validated deployment settings. Field names follow the YAML keys' meaning. */
export interface DeploymentConfig {
  /** 12-digit AWS account id (ACCOUNT_ID). */
  readonly accountId: string;
  /** Region of the main stack (REGION). */
  readonly region: string;
  /** Id of the existing public hosted zone (PERSONAL_HOSTED_ZONE_ID). */
  readonly hostedZoneId: string;
  /** Domain of that hosted zone (PERSONAL_HOSTED_ZONE_DOMAIN). */
  readonly hostedZoneDomain: string;
  /** Label under the zone the site answers on (SUBDOMAIN). @default 'django' */
  readonly subdomain: string;
  /** `<subdomain>.<hostedZoneDomain>`. */
  readonly siteDomain: string;
  /** Name of the main stack (STACK_NAME). @default 'MySite' */
  readonly stackName: string;
  /**
   * Two availability zones of the region (AVAILABILITY_ZONES).
   * @default undefined - the region's first two zones, as CloudFormation lists them for the account
   */
  readonly availabilityZones?: string[];
  /** Fargate task CPU units (TASK_CPU). @default 512 */
  readonly taskCpu: number;
  /** Fargate task memory in MiB (TASK_MEMORY_MIB). @default 1024 */
  readonly taskMemoryMiB: number;
  /** Tasks at deploy time (DESIRED_TASKS). @default 2 */
  readonly desiredTasks: number;
  /** Auto scaling floor (MIN_TASKS). @default 2 */
  readonly minTasks: number;
  /** Auto scaling ceiling (MAX_TASKS). @default 6 */
  readonly maxTasks: number;
  /** Aurora Serverless v2 minimum capacity (DB_MIN_ACU). @default 0.5 */
  readonly dbMinAcu: number;
  /** Aurora Serverless v2 maximum capacity (DB_MAX_ACU). @default 4 */
  readonly dbMaxAcu: number;
  /** Deletion protection on the cluster (DB_DELETION_PROTECTION). @default false */
  readonly dbDeletionProtection: boolean;
  /** DEBUG_FLAG passed to the site. @default false */
  readonly debug: boolean;
}

/** A bad configuration; `message` is one line naming the file and the key. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const kRequiredKeys = ['ACCOUNT_ID', 'REGION', 'PERSONAL_HOSTED_ZONE_ID', 'PERSONAL_HOSTED_ZONE_DOMAIN'];
const kOptionalKeys = [
  'SUBDOMAIN', 'STACK_NAME', 'AVAILABILITY_ZONES', 'TASK_CPU', 'TASK_MEMORY_MIB', 'DESIRED_TASKS',
  'MIN_TASKS', 'MAX_TASKS', 'DB_MIN_ACU', 'DB_MAX_ACU', 'DB_DELETION_PROTECTION', 'DEBUG_FLAG',
];

const kAccountId = /^\d{12}$/;
const kRegion = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const kHostedZoneId = /^Z[A-Z0-9]{1,31}$/;
const kDomainLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const kStackName = /^[A-Za-z][A-Za-z0-9-]{0,99}$/;
const kMaxTasksCeiling = 100;

/** Memory sizes (MiB) Fargate accepts for each CPU size. */
const kFargateMemory: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/**
 * Reads `file` and validates it; throws ConfigError (one line) when it is missing or wrong.
 * Messages name the file as `shownAs`.
 */
export function loadConfigFile(file: string, shownAs = file): DeploymentConfig {
  if (!fs.existsSync(file)) {
    throw new ConfigError(`${shownAs}: not found; copy config/config.yaml.template to config/config.yaml and fill it in`);
  }
  return parseConfig(fs.readFileSync(file, 'utf8'), shownAs);
}

/** Validates YAML text; `source` names the file in error messages. */
export function parseConfig(text: string, source = 'config.yaml'): DeploymentConfig {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new ConfigError(`${source}: not valid YAML: ${firstLine((e as Error).message)}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError(`${source}: expected a mapping of KEY: value`);
  }
  const raw = doc as Record<string, unknown>;
  const fail = (key: string, what: string): never => {
    throw new ConfigError(`${source}: ${key}: ${what}`);
  };

  for (const key of Object.keys(raw)) {
    if (!kRequiredKeys.includes(key) && !kOptionalKeys.includes(key)) fail(key, 'unknown key (misspelt?)');
  }
  for (const key of kRequiredKeys) {
    if (raw[key] === undefined || raw[key] === null || raw[key] === '') fail(key, 'missing (required)');
  }

  const text_ = (key: string, fallback?: string): string => {
    const v = raw[key];
    if (v === undefined || v === null) return fallback as string;
    if (typeof v === 'number') return String(v);
    if (typeof v !== 'string') fail(key, `must be a string, got ${describe(v)}`);
    return (v as string).trim();
  };
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const v = raw[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v)) fail(key, `must be an integer, got ${describe(v)}`);
    if ((v as number) < min || (v as number) > max) fail(key, `must be between ${min} and ${max}, got ${v}`);
    return v as number;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const v = raw[key] ?? fallback;
    if (typeof v !== 'boolean') fail(key, `must be true or false, got ${describe(v)}`);
    return v as boolean;
  };

  const accountId = text_('ACCOUNT_ID');
  if (!kAccountId.test(accountId)) fail('ACCOUNT_ID', `must be 12 digits (quote it in YAML), got "${accountId}"`);

  const region = text_('REGION');
  if (!kRegion.test(region)) fail('REGION', `not a region name like eu-west-1, got "${region}"`);

  const hostedZoneId = text_('PERSONAL_HOSTED_ZONE_ID');
  if (!kHostedZoneId.test(hostedZoneId)) {
    fail('PERSONAL_HOSTED_ZONE_ID', `not a hosted zone id like Z0123456789ABC, got "${hostedZoneId}"`);
  }

  const hostedZoneDomain = text_('PERSONAL_HOSTED_ZONE_DOMAIN').toLowerCase().replace(/\.$/, '');
  const labels = hostedZoneDomain.split('.');
  if (labels.length < 2 || !labels.every((l) => kDomainLabel.test(l)) || hostedZoneDomain.length > 200) {
    fail('PERSONAL_HOSTED_ZONE_DOMAIN', `not a domain name like example.com, got "${hostedZoneDomain}"`);
  }

  const subdomain = text_('SUBDOMAIN', 'django').toLowerCase();
  if (!kDomainLabel.test(subdomain)) fail('SUBDOMAIN', `must be one DNS label like "django", got "${subdomain}"`);

  const stackName = text_('STACK_NAME', 'MySite');
  if (!kStackName.test(stackName)) {
    fail('STACK_NAME', `must start with a letter and hold only letters, digits and hyphens, got "${stackName}"`);
  }

  let availabilityZones: string[] | undefined;
  if (raw.AVAILABILITY_ZONES !== undefined) {
    const azs = raw.AVAILABILITY_ZONES as unknown[];
    if (!Array.isArray(azs) || azs.length !== 2 || !azs.every((z) => typeof z === 'string')) {
      fail('AVAILABILITY_ZONES', `must be a list of two zone names, got ${describe(azs)}`);
    }
    for (const zone of azs as string[]) {
      if (!zone.startsWith(region) || !/^[a-z]$/.test(zone.slice(region.length))) {
        fail('AVAILABILITY_ZONES', `"${zone}" is not a zone of ${region} (like ${region}a)`);
      }
    }
    if (azs[0] === azs[1]) fail('AVAILABILITY_ZONES', 'the two zones must differ');
    availabilityZones = azs as string[];
  }

  const taskCpu = int('TASK_CPU', 512, 256, 4096);
  if (!(taskCpu in kFargateMemory)) fail('TASK_CPU', `must be one of 256, 512, 1024, 2048, 4096, got ${taskCpu}`);
  const taskMemoryMiB = int('TASK_MEMORY_MIB', 1024, 512, 30720);
  if (!kFargateMemory[taskCpu].includes(taskMemoryMiB)) {
    const sizes = kFargateMemory[taskCpu];
    fail('TASK_MEMORY_MIB', `${taskMemoryMiB} is not allowed with TASK_CPU ${taskCpu} (${sizes[0]}..${sizes[sizes.length - 1]}, steps of ${sizes[1] - sizes[0]})`);
  }

  const minTasks = int('MIN_TASKS', 2, 1, kMaxTasksCeiling);
  const maxTasks = int('MAX_TASKS', 6, 1, kMaxTasksCeiling);
  const desiredTasks = int('DESIRED_TASKS', 2, 1, kMaxTasksCeiling);
  if (maxTasks < minTasks) fail('MAX_TASKS', `must be at least MIN_TASKS (${minTasks}), got ${maxTasks}`);
  if (desiredTasks < minTasks || desiredTasks > maxTasks) {
    fail('DESIRED_TASKS', `must be between MIN_TASKS (${minTasks}) and MAX_TASKS (${maxTasks}), got ${desiredTasks}`);
  }

  const acu = (key: string, fallback: number): number => {
    const v = raw[key] ?? fallback;
    if (typeof v !== 'number' || v < 0.5 || v > 256 || !Number.isInteger(v * 2)) {
      fail(key, `must be 0.5 to 256 in steps of 0.5, got ${describe(v)}`);
    }
    return v as number;
  };
  const dbMinAcu = acu('DB_MIN_ACU', 0.5);
  const dbMaxAcu = acu('DB_MAX_ACU', 4);
  if (dbMaxAcu < dbMinAcu) fail('DB_MAX_ACU', `must be at least DB_MIN_ACU (${dbMinAcu}), got ${dbMaxAcu}`);

  return {
    accountId,
    region,
    hostedZoneId,
    hostedZoneDomain,
    subdomain,
    siteDomain: `${subdomain}.${hostedZoneDomain}`,
    stackName,
    availabilityZones,
    taskCpu,
    taskMemoryMiB,
    desiredTasks,
    minTasks,
    maxTasks,
    dbMinAcu,
    dbMaxAcu,
    dbDeletionProtection: bool('DB_DELETION_PROTECTION', false),
    debug: bool('DEBUG_FLAG', false),
  };
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return `"${v}"`;
  return JSON.stringify(v) ?? String(v);
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
