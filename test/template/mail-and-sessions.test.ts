import { describe, expect, it } from 'vitest';
import { asList, type CfnTemplate, isRecord, propertiesOf, resourcesOfType } from './cfn-template';
import { PACKAGED_STAGES, readPackagedTemplate } from './packaged-templates';

/** Every IAM statement of the template: the functions' inline role policies and the stand-alone policies. */
const statementsOf = (template: CfnTemplate) =>
  [...resourcesOfType(template, 'AWS::IAM::Role'), ...resourcesOfType(template, 'AWS::IAM::Policy')].flatMap(([id, props]) => {
    const condition = template.Resources[id]?.Condition;
    const documents = props.PolicyDocument
      ? [props.PolicyDocument]
      : asList(props.Policies).map((p) => (isRecord(p) ? p.PolicyDocument : undefined));
    return documents.flatMap((doc) =>
      isRecord(doc) ? asList(doc.Statement).flatMap((st) => (isRecord(st) ? [{ id, condition, statement: st }] : [])) : [],
    );
  });

describe.each(PACKAGED_STAGES)('mail and session permissions (%s)', (stage) => {
  const template = readPackagedTemplate(stage);

  it('grants SES only through the mail policy, which exists only on a stage with a mail identity', () => {
    const ses = statementsOf(template).filter(({ statement }) => asList(statement.Action).some((a) => String(a).startsWith('ses:')));

    expect(ses.map(({ id }) => id)).toEqual(['SendInviteMailPolicy']);
    expect(ses[0]?.condition).toBe('SendsMail');
    // This stage sets no mailFrom: the condition is false, so it has no SES statement at all.
    expect((template as { Conditions?: Record<string, unknown> }).Conditions?.SendsMail).toEqual({
      'Fn::Not': [{ 'Fn::Equals': ['', ''] }],
    });
  });

  it('scopes the mail policy to the configured identity, never to every identity of the account', () => {
    const [mail] = statementsOf(template).filter(({ id }) => id === 'SendInviteMailPolicy');
    const statement: Record<string, unknown> = mail?.statement ?? {};

    expect(asList(statement.Action)).toEqual(['ses:SendEmail']);
    for (const resource of asList(statement.Resource)) expect(JSON.stringify(resource)).not.toContain('identity/*');
    expect(asList(propertiesOf(template, 'SendInviteMailPolicy').Roles)).toEqual([
      { Ref: 'CreateInviteIamRoleLambdaExecution' },
      { Ref: 'CreateTenantIamRoleLambdaExecution' },
    ]);
  });

  it("sends the pool's own mail through SES when the stage has a mail identity", () => {
    const pool = propertiesOf(template, 'UserPool');

    expect(pool.EmailConfiguration).toEqual({
      'Fn::If': ['SendsMail', expect.objectContaining({ EmailSendingAccount: 'DEVELOPER' }), { Ref: 'AWS::NoValue' }],
    });
  });

  it('lets an email change take effect only once the new address is verified', () => {
    expect(propertiesOf(template, 'UserPool').UserAttributeUpdateSettings).toEqual({
      AttributesRequireVerificationBeforeUpdate: ['email'],
    });
  });

  it('lets only PostConfirmation (password reset) and the session route sign a user out everywhere, on this pool only', () => {
    const signOut = statementsOf(template).filter(({ statement }) =>
      asList(statement.Action).includes('cognito-idp:AdminUserGlobalSignOut'),
    );

    expect(signOut.map(({ id }) => id).sort()).toEqual(['RevokeSessionIamRoleLambdaExecution', 'SignOutOnPasswordResetPolicy']);
    for (const { statement } of signOut) expect(statement.Resource).toEqual({ 'Fn::GetAtt': ['UserPool', 'Arn'] });
    expect(asList(propertiesOf(template, 'SignOutOnPasswordResetPolicy').Roles)).toEqual([
      { Ref: 'PostConfirmationIamRoleLambdaExecution' },
    ]);
  });
});
