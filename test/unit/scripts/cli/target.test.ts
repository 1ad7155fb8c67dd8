import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTarget } from '../../../../scripts/cli/target';

describe('the operator CLI target', () => {
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
  });
  afterEach(() => {
    process.env = saved;
  });

  it('points --stage at the deployed table, with the AWS endpoints and no local mailbox', () => {
    // Prepare: a shell that also has the local stack's variables
    Object.assign(process.env, { DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', LOCAL_MAIL_DIR: '/tmp/mail', IS_OFFLINE: 'true' });

    // Act
    const { tableName } = useTarget({ kind: 'stage', stage: 'prod', region: 'eu-central-1' });

    // Assess
    expect(tableName).toBe('tenantgate-prod');
    expect(process.env).toMatchObject({ STAGE: 'prod', TABLE_NAME: 'tenantgate-prod', AWS_REGION: 'eu-central-1' });
    expect(process.env.DYNAMODB_ENDPOINT).toBeUndefined();
    expect(process.env.LOCAL_MAIL_DIR).toBeUndefined();
    expect(process.env.IS_OFFLINE).toBeUndefined();
  });

  it('points the default target at the local stack described by stack.json', () => {
    // Prepare
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-cli-'));
    const stackFile = path.join(dir, 'stack.json');
    fs.writeFileSync(stackFile, JSON.stringify({ region: 'eu-west-1', dynamodb: { endpoint: 'http://127.0.0.1:8123' } }));

    try {
      // Act
      useTarget({ kind: 'local', stackFile });

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

  it('says to run npm start when there is no local stack', () => {
    expect(() => useTarget({ kind: 'local', stackFile: '/nonexistent/stack.json' })).toThrow(/npm start/);
  });
});
