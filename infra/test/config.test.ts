// config: every required key, every malformed value and every cross-key rule fails on its own,
// with one line naming the key. No synthesis here: these are plain function calls, plus one
// run of the real entry point to show what `make synth` prints.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, parseConfig } from '../lib/config';
import { kInfraDir, testConfigText } from './helpers';

const kValid: Record<string, string> = {
  ACCOUNT_ID: '"123456789012"',
  REGION: 'eu-west-1',
  PERSONAL_HOSTED_ZONE_ID: 'Z0123456789ABCDEFGHIJ',
  PERSONAL_HOSTED_ZONE_DOMAIN: 'example.com',
};

/** YAML of the valid required keys, with `changes` applied (undefined removes a key). */
function yamlWith(changes: Record<string, string | undefined>): string {
  const all: Record<string, string | undefined> = { ...kValid, ...changes };
  return Object.entries(all).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`).join('\n');
}

/** Asserts that parsing fails with a one-line ConfigError naming `key`. */
function assertRejects(yaml: string, key: string, detail?: RegExp): void {
  assert.throws(() => parseConfig(yaml, 'config.yaml'), (e: unknown) => {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
    assert.equal(e.message.split('\n').length, 1, `not one line: ${e.message}`);
    assert.match(e.message, new RegExp(`^config\\.yaml: ${key}: `));
    if (detail) assert.match(e.message, detail);
    return true;
  });
}

test('accepts the template and the test config, with documented defaults', () => {
  // GIVEN the shipped template and the test config
  const template = fs.readFileSync(path.join(kInfraDir, '..', 'config', 'config.yaml.template'), 'utf8');
  // WHEN they are parsed
  const fromTemplate = parseConfig(template);
  const config = parseConfig(testConfigText());
  // THEN the optional keys take their defaults
  assert.equal(fromTemplate.region, 'eu-west-1');
  assert.equal(config.siteDomain, 'django.example.com');
  assert.equal(config.stackName, 'MySite');
  assert.equal(config.availabilityZones, undefined);
  assert.deepEqual(
    [config.taskCpu, config.taskMemoryMiB, config.desiredTasks, config.minTasks, config.maxTasks],
    [512, 1024, 2, 2, 6]);
  assert.deepEqual([config.dbMinAcu, config.dbMaxAcu, config.dbDeletionProtection, config.debug], [0.5, 4, false, false]);
});

for (const key of Object.keys(kValid)) {
  test(`fails when ${key} is missing`, () => {
    assertRejects(yamlWith({ [key]: undefined }), key, /missing/);
  });
  test(`fails when ${key} is empty`, () => {
    assertRejects(yamlWith({ [key]: '""' }), key, /missing/);
  });
}

const kMalformed: Array<[string, string, RegExp?]> = [
  ['ACCOUNT_ID', '"12345678901"', /12 digits/],        // 11 digits
  ['ACCOUNT_ID', '"1234567890123"', /12 digits/],      // 13 digits
  ['ACCOUNT_ID', '"12345678901a"', /12 digits/],
  ['ACCOUNT_ID', '[1]', /string/],
  ['REGION', 'eu-west', /region/],
  ['REGION', 'EU-WEST-1', /region/],
  ['REGION', 'euwest1', /region/],
  ['PERSONAL_HOSTED_ZONE_ID', 'X0123456789', /hosted zone id/],
  ['PERSONAL_HOSTED_ZONE_ID', 'z0123456789', /hosted zone id/],
  ['PERSONAL_HOSTED_ZONE_ID', '/hostedzone/Z0123456789', /hosted zone id/],
  ['PERSONAL_HOSTED_ZONE_DOMAIN', 'localhost', /domain/],
  ['PERSONAL_HOSTED_ZONE_DOMAIN', 'exa_mple.com', /domain/],
  ['PERSONAL_HOSTED_ZONE_DOMAIN', 'https://example.com', /domain/],
  ['SUBDOMAIN', 'www.django', /label/],
  ['SUBDOMAIN', '-django', /label/],
  ['STACK_NAME', '1site', /letter/],
  ['STACK_NAME', 'my_site', /letter/],
  ['AVAILABILITY_ZONES', '[eu-west-1a]', /two/],
  ['AVAILABILITY_ZONES', '[eu-west-1a, us-east-1b]', /not a zone of eu-west-1/],
  ['AVAILABILITY_ZONES', '[eu-west-1a, eu-west-1a]', /differ/],
  ['TASK_CPU', '300', /one of/],
  ['TASK_CPU', '"512"', /integer/],
  ['TASK_MEMORY_MIB', '8192', /not allowed with TASK_CPU 512/],
  ['DESIRED_TASKS', '0', /between 1 and 100/],
  ['MIN_TASKS', '1.5', /integer/],
  ['MAX_TASKS', '101', /between 1 and 100/],
  ['DB_MIN_ACU', '0.25', /steps of 0.5/],
  ['DB_MAX_ACU', '257', /steps of 0.5/],
  ['DB_DELETION_PROTECTION', 'yes please', /true or false/],
  ['DEBUG_FLAG', '1', /true or false/],
];
for (const [key, value, detail] of kMalformed) {
  test(`fails when ${key} is ${value}`, () => {
    assertRejects(yamlWith({ [key]: value }), key, detail);
  });
}

test('fails when MAX_TASKS is below MIN_TASKS', () => {
  assertRejects(yamlWith({ MIN_TASKS: '3', MAX_TASKS: '2', DESIRED_TASKS: '3' }), 'MAX_TASKS', /at least MIN_TASKS \(3\)/);
});

test('fails when DESIRED_TASKS is outside MIN_TASKS..MAX_TASKS', () => {
  assertRejects(yamlWith({ MIN_TASKS: '2', MAX_TASKS: '4', DESIRED_TASKS: '5' }), 'DESIRED_TASKS');
});

test('fails when DB_MAX_ACU is below DB_MIN_ACU', () => {
  assertRejects(yamlWith({ DB_MIN_ACU: '2', DB_MAX_ACU: '1' }), 'DB_MAX_ACU', /at least DB_MIN_ACU/);
});

test('accepts the limits: 256 CPU with 2048 MiB, ACU 0.5..256, 100 tasks', () => {
  const config = parseConfig(yamlWith({
    TASK_CPU: '256', TASK_MEMORY_MIB: '2048', DB_MIN_ACU: '0.5', DB_MAX_ACU: '256',
    MIN_TASKS: '100', DESIRED_TASKS: '100', MAX_TASKS: '100',
  }));
  assert.equal(config.maxTasks, 100);
});

test('fails when a key is unknown (a misspelling)', () => {
  assertRejects(yamlWith({ REGOIN: 'eu-west-1' }), 'REGOIN', /unknown key/);
});

test('fails when the file is not YAML or not a mapping', () => {
  assert.throws(() => parseConfig('ACCOUNT_ID: [', 'config.yaml'), /^ConfigError: config\.yaml: not valid YAML/);
  assert.throws(() => parseConfig('- a\n- b', 'config.yaml'), /mapping/);
});

test('fails when synthesis is run with a bad config: one line on stderr, exit status 1', () => {
  // GIVEN a config whose account id has 11 digits
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mysite-config-'));
  const file = path.join(dir, 'config.yaml');
  fs.writeFileSync(file, yamlWith({ ACCOUNT_ID: '"12345678901"' }));
  // WHEN the CDK entry point runs
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: kInfraDir, env: { ...process.env, MYSITE_CONFIG: file, CDK_OUTDIR: dir }, encoding: 'utf8',
  });
  fs.rmSync(dir, { recursive: true, force: true });
  // THEN it stops with exactly one line naming the key
  assert.equal(run.status, 1);
  assert.deepEqual(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
  assert.match(run.stderr, /config\.yaml: ACCOUNT_ID: must be 12 digits/);
});

test('fails when the config file does not exist, saying how to make it', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts', '--check-config'], {
    cwd: kInfraDir, env: { ...process.env, MYSITE_CONFIG: '/nonexistent/config.yaml' }, encoding: 'utf8',
  });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /^\/nonexistent\/config\.yaml: not found; copy config\/config\.yaml\.template/);
});

test('fails when --environments does not list the stack\'s region and us-east-1 for `cdk bootstrap`', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts', '--environments'], {
    cwd: kInfraDir, env: { ...process.env, MYSITE_CONFIG: path.join(__dirname, 'config.test.yaml') }, encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'aws://123456789012/eu-west-1 aws://123456789012/us-east-1\n');
});
