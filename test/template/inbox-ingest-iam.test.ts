import { describe, expect, it } from 'vitest';
import { asList, type CfnTemplate, isRecord, propertiesOf, renderString } from './cfn-template';
import { PACKAGED_STAGES, readPackagedTemplate } from './packaged-templates';

/** Each action a role allows, with the resources it allows it on (rendered, `${…}` for intrinsics). */
const grantsOf = (template: CfnTemplate, roleId: string): Map<string, string[]> => {
  const grants = new Map<string, string[]>();
  for (const policy of asList(propertiesOf(template, roleId).Policies)) {
    const document = isRecord(policy) ? policy.PolicyDocument : undefined;
    for (const statement of isRecord(document) ? asList(document.Statement) : []) {
      if (!isRecord(statement) || statement.Effect !== 'Allow') continue;
      const resources = asList(statement.Resource).map((r) => renderString(r) ?? JSON.stringify(r));
      for (const action of asList(statement.Action)) grants.set(String(action), [...(grants.get(String(action)) ?? []), ...resources]);
    }
  }
  return grants;
};

describe.each(PACKAGED_STAGES)('the inbox ingest and the storage identity route (%s)', (stage) => {
  const template = readPackagedTemplate(stage);

  it('lets the ingest write objects only under files/ (the copy) and touch versions only in the inbox', () => {
    const grants = grantsOf(template, 'IngestFileIamRoleLambdaExecution');

    expect(grants.get('s3:PutObject')).toEqual([expect.stringMatching(/\/tenants\/\*\/files\/\*$/)]);
    expect(grants.get('s3:GetObjectVersion')).toEqual([expect.stringMatching(/\/tenants\/\*\/inbox\/\*$/)]);
    expect(grants.get('s3:DeleteObjectVersion')).toEqual([expect.stringMatching(/\/tenants\/\*\/inbox\/\*$/)]);
    expect([...grants.keys()].filter((action) => action.startsWith('s3:')).sort()).toEqual([
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:GetObject',
      's3:GetObjectVersion',
      's3:PutObject',
      's3:PutObjectTagging',
    ]);
  });

  it('gives the storage identity route the table reads and writes it makes and nothing of Cognito or S3', () => {
    const grants = grantsOf(template, 'RegisterStorageIdentityIamRoleLambdaExecution');
    const actions = [...grants.keys()].filter((action) => !action.startsWith('logs:'));

    expect(actions.sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
  });

  it("hands the storage identity route the stack's identity pool and no local endpoint", () => {
    const variables = (
      propertiesOf(template, 'RegisterStorageIdentityLambdaFunction').Environment as { Variables: Record<string, unknown> }
    ).Variables;

    expect(variables.IDENTITY_POOL_ID).toEqual({ Ref: 'IdentityPool' });
    expect(variables.COGNITO_IDENTITY_ENDPOINT).toBe('');
  });
});
