import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeRegion, resolveRegion, SERVICE_FILE, stackDefaultRegion } from '../../../../scripts/cli/region';

// Serverless variables, written as template literals with `\${` so no one reads them as JS interpolation.
const optRegion = (fallback: string) => `\${opt:region, ${fallback}}`;
const PARAM_REGION = `\${param:region}`;

const serviceYml = (region: string) => `service: tenantgate\nprovider:\n  name: aws\n  region: ${region}\n  memorySize: 512\n`;

describe("the operator CLI's region", () => {
  let saved: NodeJS.ProcessEnv;
  let dir: string;
  let configFile: string;
  let serviceFile: string;

  beforeEach(() => {
    saved = { ...process.env };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-region-'));
    configFile = path.join(dir, 'config');
    serviceFile = path.join(dir, 'serverless.yml');
    fs.writeFileSync(serviceFile, serviceYml(optRegion("'sa-east-1'")));
    // Only what each test sets: never the region, profile or AWS files of the shell that runs the tests.
    for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[name];
    process.env.AWS_CONFIG_FILE = configFile;
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
  });
  afterEach(() => {
    process.env = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes --region over the environment and the profile', async () => {
    // Prepare
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-2' });
    fs.writeFileSync(configFile, '[default]\nregion = us-west-2\n');

    // Act
    const resolved = await resolveRegion('eu-central-1', serviceFile);

    // Assess
    expect(resolved).toEqual({ region: 'eu-central-1', source: '--region' });
  });

  it('takes AWS_REGION over AWS_DEFAULT_REGION', async () => {
    Object.assign(process.env, { AWS_REGION: 'eu-west-3', AWS_DEFAULT_REGION: 'us-east-2' });

    expect(await resolveRegion(undefined, serviceFile)).toEqual({ region: 'eu-west-3', source: 'AWS_REGION' });
  });

  it('takes AWS_DEFAULT_REGION over the profile', async () => {
    // Prepare
    process.env.AWS_DEFAULT_REGION = 'eu-west-2';
    fs.writeFileSync(configFile, '[default]\nregion = us-west-2\n');

    // Act
    const resolved = await resolveRegion(undefined, serviceFile);

    // Assess
    expect(resolved).toEqual({ region: 'eu-west-2', source: 'AWS_DEFAULT_REGION' });
  });

  it('treats an empty AWS_REGION as unset', async () => {
    Object.assign(process.env, { AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-west-2' });

    expect(await resolveRegion(undefined, serviceFile)).toEqual({ region: 'eu-west-2', source: 'AWS_DEFAULT_REGION' });
  });

  it("reads the AWS_PROFILE profile's region from the AWS_CONFIG_FILE config file", async () => {
    // Prepare
    process.env.AWS_PROFILE = 'ops';
    fs.writeFileSync(configFile, '[default]\nregion = us-west-2\n\n[profile ops]\nregion = ap-southeast-2\noutput = json\n');

    // Act
    const resolved = await resolveRegion(undefined, serviceFile);

    // Assess
    expect(resolved).toEqual({ region: 'ap-southeast-2', source: 'AWS profile ops' });
  });

  it("reads the default profile's region when AWS_PROFILE is unset", async () => {
    fs.writeFileSync(configFile, '[default]\nregion = us-west-2\n\n[profile ops]\nregion = ap-southeast-2\n');

    expect(await resolveRegion(undefined, serviceFile)).toEqual({ region: 'us-west-2', source: 'AWS profile default' });
  });

  it("falls back to the stack's serverless.yml region when nothing else names one", async () => {
    // Prepare: a profile without a region
    fs.writeFileSync(configFile, '[default]\noutput = json\n');

    // Act
    const resolved = await resolveRegion(undefined, serviceFile);

    // Assess
    expect(resolved).toEqual({ region: 'sa-east-1', source: 'serverless.yml provider.region' });
  });

  it('asks for --region when serverless.yml names no region it can read', async () => {
    fs.writeFileSync(serviceFile, serviceYml(PARAM_REGION));

    await expect(resolveRegion(undefined, serviceFile)).rejects.toThrow(/pass --region/);
  });

  it('reads eu-west-1 from the repository serverless.yml, as the README says', () => {
    expect(stackDefaultRegion(fs.readFileSync(SERVICE_FILE, 'utf8'))).toBe('eu-west-1');
  });

  it('says which region and why in one line', () => {
    expect(describeRegion({ region: 'eu-west-1', source: 'AWS_DEFAULT_REGION' })).toBe('Using region eu-west-1 (from AWS_DEFAULT_REGION)');
  });
});

describe("serverless.yml's default region", () => {
  it.each([
    [optRegion("'eu-west-1'"), 'eu-west-1'],
    [`${optRegion('"eu-north-1"')}  # where prod lives`, 'eu-north-1'],
    ['ap-south-1', 'ap-south-1'],
    ["'us-gov-west-1'", 'us-gov-west-1'],
  ])('reads provider.region %s as %s', (value, region) => {
    expect(stackDefaultRegion(serviceYml(value))).toBe(region);
  });

  it('reads only provider.region, not a region key elsewhere or nested deeper', () => {
    const yml = [
      'custom:',
      '  region: us-west-2',
      'provider:',
      '  name: aws',
      '  environment:',
      '    region: us-east-2',
      `  region: ${optRegion("'eu-north-1'")}`,
      'functions:',
      '  region: ca-central-1',
    ].join('\n');

    expect(stackDefaultRegion(yml)).toBe('eu-north-1');
  });

  it.each([[PARAM_REGION], [optRegion(`\${env:REGION, 'eu-west-1'}`)], ['not a region']])('gives no region for %s', (value) => {
    expect(stackDefaultRegion(serviceYml(value))).toBeUndefined();
  });

  it('gives no region without a provider.region', () => {
    expect(stackDefaultRegion('service: tenantgate\nprovider:\n  name: aws\n')).toBeUndefined();
  });
});
