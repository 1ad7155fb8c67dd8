import { describe, expect, it } from 'vitest';
import { asList, type CfnTemplate, isRecord, propertiesOf } from './cfn-template';
import { PACKAGED_STAGES, type PackagedStage, readPackagedTemplate } from './packaged-templates';

const conditionsOf = (template: CfnTemplate): Record<string, unknown> =>
  isRecord(template.Conditions) ? (template.Conditions as Record<string, unknown>) : {};

/** Evaluates a template condition as CloudFormation would, for the literal values a packaged stage holds. */
const holds = (template: CfnTemplate, condition: unknown): boolean => {
  if (!isRecord(condition)) throw new Error(`not a condition: ${JSON.stringify(condition)}`);
  const [fn, args] = Object.entries(condition)[0] ?? [];
  const list = asList(args);
  if (fn === 'Condition') return holds(template, conditionsOf(template)[String(args)]);
  if (fn === 'Fn::Equals') return JSON.stringify(list[0]) === JSON.stringify(list[1]);
  if (fn === 'Fn::Not') return !holds(template, list[0]);
  if (fn === 'Fn::And') return list.every((c) => holds(template, c));
  if (fn === 'Fn::Or') return list.some((c) => holds(template, c));
  throw new Error(`cannot evaluate ${JSON.stringify(condition)}`);
};

/** A value with its `Fn::If`s resolved, as CloudFormation would for the stage. */
const resolved = (template: CfnTemplate, value: unknown): unknown => {
  if (!isRecord(value) || !Array.isArray(value['Fn::If'])) return value;
  const [condition, whenTrue, whenFalse] = value['Fn::If'];
  return resolved(template, holds(template, { Condition: condition }) ? whenTrue : whenFalse);
};

/** The first factors the pool offers in a stage, with the template's conditions evaluated. */
const firstFactors = (template: CfnTemplate): unknown => {
  const policies = propertiesOf(template, 'UserPool').Policies;
  return resolved(
    template,
    isRecord(policies) && isRecord(policies.SignInPolicy) ? policies.SignInPolicy.AllowedFirstAuthFactors : undefined,
  );
};

/** The stage as it would package with a mail identity (`mailFrom`) and/or a passkey relying party in stages.yml. */
const withSettings = (stage: PackagedStage, settings: { mail?: boolean; passkeys?: boolean }): CfnTemplate => {
  const template = readPackagedTemplate(stage);
  const conditions = conditionsOf(template);
  if (settings.mail) conditions.SendsMail = { 'Fn::Not': [{ 'Fn::Equals': ['no-reply@example.com', ''] }] };
  if (settings.passkeys) {
    conditions.OffersPasskeys = { 'Fn::Not': [{ 'Fn::Equals': ['example.com', ''] }] };
  }
  return template;
};
const withMailIdentity = (stage: PackagedStage): CfnTemplate => withSettings(stage, { mail: true });

describe.each(PACKAGED_STAGES)('sign-in methods (%s)', (stage) => {
  const template = readPackagedTemplate(stage);

  it('lets the app client sign in by choice (USER_AUTH) beside SRP and refresh, and by no other flow', () => {
    const client = propertiesOf(template, 'UserPoolClient');

    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    // Cognito's default: 3 minutes to answer each challenge, the emailed code included.
    expect(client.AuthSessionValidity).toBeUndefined();
  });

  it('offers the password always, and a code by email only where mail goes through SES and MFA is not required', () => {
    const policies = propertiesOf(template, 'UserPool').Policies;

    expect(isRecord(policies) && policies.SignInPolicy).toEqual({
      AllowedFirstAuthFactors: {
        'Fn::If': [
          'OffersEmailOtp',
          { 'Fn::If': ['OffersPasskeys', ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN'], ['PASSWORD', 'EMAIL_OTP']] },
          { 'Fn::If': ['OffersPasskeys', ['PASSWORD', 'WEB_AUTHN'], ['PASSWORD']] },
        ],
      },
    });
    expect(conditionsOf(template).OffersEmailOtp).toEqual({
      'Fn::And': [{ Condition: 'SendsMail' }, { 'Fn::Not': [{ Condition: 'MfaRequired' }] }],
    });
    expect(conditionsOf(template).MfaRequired).toEqual({ 'Fn::Equals': [propertiesOf(template, 'UserPool').MfaConfiguration, 'ON'] });
  });
});

describe('which stages offer a code by email', () => {
  it('offers none on dev as packaged: it has no mail identity, so the pool sends through Cognito, not SES', () => {
    expect(firstFactors(readPackagedTemplate('dev'))).toEqual(['PASSWORD']);
  });

  it('offers one on dev once it has a mail identity', () => {
    expect(firstFactors(withMailIdentity('dev'))).toEqual(['PASSWORD', 'EMAIL_OTP']);
  });

  it('offers none on prod even with a mail identity: prod requires MFA, and Cognito offers no passwordless factor with MFA', () => {
    expect(propertiesOf(readPackagedTemplate('prod'), 'UserPool').MfaConfiguration).toBe('ON');
    expect(firstFactors(withMailIdentity('prod'))).toEqual(['PASSWORD']);
  });
});

describe('which stages offer passkeys', () => {
  it('offers none without a relying party (dev and prod as packaged), and sets none', () => {
    for (const stage of PACKAGED_STAGES) {
      const pool = propertiesOf(readPackagedTemplate(stage), 'UserPool');
      expect(firstFactors(readPackagedTemplate(stage))).not.toContain('WEB_AUTHN');
      expect(resolved(readPackagedTemplate(stage), pool.WebAuthnRelyingPartyID)).toEqual({ Ref: 'AWS::NoValue' });
    }
  });

  it('offers them on dev once stages.yml names the relying party, beside the email code where mail goes through SES', () => {
    expect(firstFactors(withSettings('dev', { passkeys: true }))).toEqual(['PASSWORD', 'WEB_AUTHN']);
    expect(firstFactors(withSettings('dev', { passkeys: true, mail: true }))).toEqual(['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN']);
  });

  it('offers them on prod, which requires MFA, as passkey MFA: a passkey with user verification counts as MFA', () => {
    const template = withSettings('prod', { passkeys: true, mail: true });

    expect(firstFactors(template)).toEqual(['PASSWORD', 'WEB_AUTHN']);
    expect(resolved(template, propertiesOf(template, 'UserPool').WebAuthnFactorConfiguration)).toBe('MULTI_FACTOR_WITH_USER_VERIFICATION');
  });
});
