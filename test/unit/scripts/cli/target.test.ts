import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stageWebOrigin, useTarget } from '../../../../scripts/cli/target';

describe('the operator CLI target', () => {
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
  });
  afterEach(() => {
    process.env = saved;
  });

  it('points --stage at the deployed table, with the AWS endpoints and no local mailbox', async () => {
    // Prepare: a shell that also has the local stack's variables
    Object.assign(process.env, { DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', LOCAL_MAIL_DIR: '/tmp/mail', IS_OFFLINE: 'true' });

    // Act
    const { tableName } = await useTarget({ kind: 'stage', stage: 'prod', regionFlag: 'eu-central-1' });

    // Assess
    expect(tableName).toBe('tenantgate-prod');
    expect(process.env).toMatchObject({ STAGE: 'prod', TABLE_NAME: 'tenantgate-prod', AWS_REGION: 'eu-central-1' });
    expect(process.env.DYNAMODB_ENDPOINT).toBeUndefined();
    expect(process.env.LOCAL_MAIL_DIR).toBeUndefined();
    expect(process.env.IS_OFFLINE).toBeUndefined();
  });

  it("points --stage's invite links at the stage's web origin from stages.yml, never at the local web app", async () => {
    // Prepare: the local stack's web URL lingers in the shell; a stages file naming one stage's origin
    process.env.APP_URL = 'http://localhost:5173';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-stages-'));
    const stagesFile = path.join(dir, 'stages.yml');
    fs.writeFileSync(stagesFile, 'dev: {}\nprod:\n  webOrigin: https://app.acme.example\n');

    // Act
    await useTarget({ kind: 'stage', stage: 'dev', regionFlag: 'eu-central-1' });

    // Assess: the repository's dev has none (the placeholder that fails closed); a named one is used
    expect(process.env.APP_URL).toBe('https://app.tenantgate.invalid');
    expect(stageWebOrigin('prod', stagesFile)).toBe('https://app.acme.example');
    expect(stageWebOrigin('dev', stagesFile)).toBe('https://app.tenantgate.invalid');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("sets AWS_REGION for --stage from AWS_DEFAULT_REGION, which the table client's config never reads", async () => {
    // Prepare: only AWS_DEFAULT_REGION names a region, and the local stack's variables linger
    delete process.env.AWS_REGION;
    Object.assign(process.env, { AWS_DEFAULT_REGION: 'eu-west-3', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', IS_OFFLINE: 'true' });

    // Act
    const { region } = await useTarget({ kind: 'stage', stage: 'prod', regionFlag: undefined });

    // Assess
    expect(region).toEqual({ region: 'eu-west-3', source: 'AWS_DEFAULT_REGION' });
    expect(process.env.AWS_REGION).toBe('eu-west-3');
    expect(process.env.DYNAMODB_ENDPOINT).toBeUndefined();
    expect(process.env.IS_OFFLINE).toBeUndefined();
  });

  it("sets AWS_REGION for --stage from the profile's region in the shared config file", async () => {
    // Prepare
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-cli-'));
    const configFile = path.join(dir, 'config');
    fs.writeFileSync(configFile, '[profile ops]\nregion = eu-south-1\n');
    for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION']) delete process.env[name];
    Object.assign(process.env, {
      AWS_PROFILE: 'ops',
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    });

    try {
      // Act
      await useTarget({ kind: 'stage', stage: 'prod', regionFlag: undefined });

      // Assess
      expect(process.env.AWS_REGION).toBe('eu-south-1');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('points the default target at the local stack described by stack.json', async () => {
    // Prepare
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-cli-'));
    const stackFile = path.join(dir, 'stack.json');
    fs.writeFileSync(stackFile, JSON.stringify({ region: 'eu-west-1', dynamodb: { endpoint: 'http://127.0.0.1:8123' } }));

    try {
      // Act
      await useTarget({ kind: 'local', stackFile });

      // Assess
      expect(process.env).toMatchObject({
        STAGE: 'local',
        TABLE_NAME: 'tenantgate-local',
        DYNAMODB_ENDPOINT: 'http://127.0.0.1:8123',
        LOCAL_MAIL_DIR: path.join(dir, 'mail'),
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says to run npm start when there is no local stack', async () => {
    await expect(useTarget({ kind: 'local', stackFile: '/nonexistent/stack.json' })).rejects.toThrow(/npm start/);
  });
});
