import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { asList, type CfnTemplate, isRecord, propertiesOf, resourcesOfType } from './cfn-template';
import { packageServiceOffline } from './package-service';
import { PACKAGED_STAGES, readPackagedTemplate } from './packaged-templates';
import { checkResourceSchemas } from './resource-schema';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Evaluates the intrinsics a domain prefix is built with, as CloudFormation would for a stack id. */
const evaluate = (value: unknown, stackId: string): unknown => {
  if (!isRecord(value)) return value;
  if (value.Ref === 'AWS::StackId') return stackId;
  const [fn, args] = Object.entries(value)[0] ?? [];
  const a = asList(args).map((v) => evaluate(v, stackId));
  if (fn === 'Fn::Join') return (asList(a[1]) as string[]).map((v) => evaluate(v, stackId)).join(String(a[0]));
  if (fn === 'Fn::Split') return String(a[1]).split(String(a[0]));
  if (fn === 'Fn::Select') return asList(a[1])[Number(a[0])];
  throw new Error(`cannot evaluate ${JSON.stringify(value)}`);
};

const stackId = (uuid: string) => `arn:aws:cloudformation:eu-west-1:123456789012:stack/tenantgate-prod/${uuid}`;
/** Cognito's rule for a domain prefix, and the words it refuses. */
const VALID_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Every string in the template outside IAM principals and event patterns: service principals
 * and CloudTrail's event sources (`cognito-idp.amazonaws.com`) are names, not URLs.
 */
const NAMES_NOT_URLS = new Set(['Principal', 'EventPattern']);
const stringsOutsidePrincipals = (value: unknown, inPrincipal = false): string[] => {
  if (typeof value === 'string') return inPrincipal ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((v) => stringsOutsidePrincipals(v, inPrincipal));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => stringsOutsidePrincipals(v, inPrincipal || NAMES_NOT_URLS.has(k)));
};

describe.each(PACKAGED_STAGES)('what a deploy of %s needs', (stage) => {
  const template = readPackagedTemplate(stage);

  it('gives two stacks (two adopters) different, valid hosted-login domain prefixes', () => {
    const domain = propertiesOf(template, 'UserPoolDomain').Domain;

    const first = String(evaluate(domain, stackId('51af3dc0-da77-11e4-872e-1234567db123')));
    const second = String(evaluate(domain, stackId('9c0e7d2a-1b3f-4e5d-8a6b-0f1e2d3c4b5a')));

    expect(first).toBe(`tenantgate-${stage}-51af3dc0`);
    expect(second).not.toBe(first);
    for (const prefix of [first, second]) {
      expect(prefix).toMatch(VALID_PREFIX);
      expect(prefix).not.toMatch(/aws|amazon|cognito/);
    }
  });

  it('hard-codes no partition or URL suffix: ARNs and URLs come from AWS::Partition and AWS::URLSuffix', () => {
    const strings = stringsOutsidePrincipals(template);

    expect(strings.filter((s) => s.includes('arn:aws:'))).toEqual([]);
    expect(strings.filter((s) => s.includes('amazonaws.com'))).toEqual([]);
  });

  it('names the access-log group under /aws/vendedlogs/ and logs the request id and latency', () => {
    const [[, group] = ['', {}]] = resourcesOfType(template, 'AWS::Logs::LogGroup').filter(([id]) => id === 'HttpApiLogGroup');
    const format = String((propertiesOf(template, 'HttpApiStage').AccessLogSettings as { Format?: string } | undefined)?.Format);

    expect(group.LogGroupName).toBe(`/aws/vendedlogs/tenantgate-${stage}-http-api`);
    for (const field of ['$context.requestId', '$context.responseLatency', '$context.integrationLatency', '$context.status']) {
      expect(format).toContain(field);
    }
  });

  it('puts no authorizer in front of the Lambdas: their own check answers every token, as on the local stack', () => {
    const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route');

    expect(routes.length).toBeGreaterThan(10);
    expect(resourcesOfType(template, 'AWS::ApiGatewayV2::Authorizer')).toEqual([]);
    for (const [, route] of routes) {
      expect(route.AuthorizerId).toBeUndefined();
      expect(route.AuthorizationScopes).toBeUndefined();
    }
  });

  it("keeps no unused default execution role (every function has its own) and runs on Node's newest Lambda runtime", () => {
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    const runtimes = new Set(resourcesOfType(template, 'AWS::Lambda::Function').map(([, fn]) => fn.Runtime));
    expect([...runtimes]).toEqual(['nodejs24.x']);
  });

  it('says what happens to the data stores on removal or replacement: kept on prod, deleted elsewhere', () => {
    const policy = stage === 'prod' ? 'Retain' : 'Delete';

    for (const id of ['UserPool', 'MainTable', 'UploadsBucket']) {
      expect(template.Resources[id]).toMatchObject({ DeletionPolicy: policy, UpdateReplacePolicy: policy });
    }
    expect(propertiesOf(template, 'UserPool').DeletionProtection).toBe(stage === 'prod' ? 'ACTIVE' : 'INACTIVE');
    expect(propertiesOf(template, 'MainTable').DeletionProtectionEnabled).toBe(stage === 'prod');
  });

  it("leaves the table's warm throughput to DynamoDB unless the stage pre-warms it (tableWarmThroughput)", () => {
    // Prepare: the table as a stage that pre-warms it would package it
    const warmed = structuredClone(template);
    propertiesOf(warmed, 'MainTable').WarmThroughput = { ReadUnitsPerSecond: 50_000, WriteUnitsPerSecond: 20_000 };

    // Assess
    expect(propertiesOf(template, 'MainTable').WarmThroughput).toEqual({ Ref: 'AWS::NoValue' });
    expect(checkResourceSchemas(warmed).filter((v) => v.resource === 'MainTable')).toEqual([]);
  });

  it('records the web origin it was deployed with, so a later deploy cannot drop it unnoticed', () => {
    expect((template as CfnTemplate & { Outputs: Record<string, { Value: unknown }> }).Outputs.WebOrigin?.Value).toBe(
      'https://app.tenantgate.invalid',
    );
  });
});

describe('stage names', () => {
  it('refuses an invalid stage name before anything is packaged, saying why', async () => {
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'tenantgate-bad-stage-'));
    try {
      // Serverless itself accepts it; the bucket name would pass S3's 63 characters mid-deploy.
      await expect(packageServiceOffline({ projectRoot: PROJECT_ROOT, workDir, stage: 'acme-production-eu' })).rejects.toThrow(
        /Invalid stage name: "acme-production-eu" is 18 characters; a stage name has at most 16/,
      );
      expect(await readdir(workDir)).not.toContain('package-acme-production-eu');
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
