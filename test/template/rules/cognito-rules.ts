import {
  asList,
  type CfnTemplate,
  isRecord,
  isTrue,
  referencedLogicalId,
  renderString,
  resourcesOfType,
  type Violation,
} from '../cfn-template';

/**
 * The identity contract of SPEC §2 as far as the template shows it: the
 * PreTokenGeneration trigger gets the V2_0 event (access-token claims), the
 * password policy, every trigger invocable by this pool only, and a public
 * app client that cannot be abused to probe users or to write the `custom:`
 * attributes our claims are built from.
 */

const MIN_PASSWORD_LENGTH = 12;
/** LambdaConfig entries that are objects holding a `LambdaArn`; KMSKeyID is not a trigger. */
const TRIGGER_CONFIG_OBJECTS = new Set(['PreTokenGenerationConfig', 'CustomEmailSender', 'CustomSMSSender']);
const NOT_TRIGGERS = new Set(['KMSKeyID']);

export function checkCognitoRules(template: CfnTemplate): Violation[] {
  return [...checkUserPools(template), ...checkAppClients(template)];
}

function checkUserPools(template: CfnTemplate): Violation[] {
  const violations: Violation[] = [];
  for (const [poolId, pool] of resourcesOfType(template, 'AWS::Cognito::UserPool')) {
    const report = (rule: string, path: string, message: string) => violations.push({ rule, resource: poolId, path, message });
    const lambdaConfig = isRecord(pool.LambdaConfig) ? pool.LambdaConfig : {};

    const preToken = isRecord(lambdaConfig.PreTokenGenerationConfig) ? lambdaConfig.PreTokenGenerationConfig : {};
    const path = 'Properties.LambdaConfig.PreTokenGenerationConfig';
    if (preToken.LambdaVersion !== 'V2_0')
      report('cognito.pre-token-generation-v2', path, `LambdaVersion is ${String(preToken.LambdaVersion)}, not V2_0`);
    if (preToken.LambdaArn === undefined) report('cognito.pre-token-generation-v2', path, 'no LambdaArn');
    const legacy = lambdaConfig.PreTokenGeneration;
    if (legacy !== undefined && JSON.stringify(legacy) !== JSON.stringify(preToken.LambdaArn)) {
      report('cognito.pre-token-generation-v2', 'Properties.LambdaConfig.PreTokenGeneration', 'a V1_0 trigger besides the V2_0 config');
    }

    const policies = isRecord(pool.Policies) && isRecord(pool.Policies.PasswordPolicy) ? pool.Policies.PasswordPolicy : {};
    const minimumLength = Number(policies.MinimumLength);
    if (!(minimumLength >= MIN_PASSWORD_LENGTH)) {
      report(
        'cognito.password-length',
        'Properties.Policies.PasswordPolicy.MinimumLength',
        `MinimumLength ${String(policies.MinimumLength)} is under ${MIN_PASSWORD_LENGTH}`,
      );
    }

    for (const { trigger, arn } of triggersOf(lambdaConfig)) {
      const problem = invokePermissionProblem(template, poolId, arn);
      if (problem) report('cognito.trigger-permission', `Properties.LambdaConfig.${trigger}`, problem);
    }
  }
  return violations;
}

function triggersOf(lambdaConfig: Record<string, unknown>): Array<{ trigger: string; arn: unknown }> {
  return Object.entries(lambdaConfig)
    .filter(([trigger]) => !NOT_TRIGGERS.has(trigger))
    .map(([trigger, value]) => ({
      trigger,
      arn: TRIGGER_CONFIG_OBJECTS.has(trigger) && isRecord(value) ? value.LambdaArn : value,
    }))
    .filter(({ arn }) => arn !== undefined);
}

/** Why Cognito could not invoke this trigger, or could be tricked into it by another pool. */
function invokePermissionProblem(template: CfnTemplate, poolId: string, functionArn: unknown): string | undefined {
  const functionName = renderString(functionArn) ?? JSON.stringify(functionArn);
  const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(
    ([, permission]) =>
      permission.Principal === 'cognito-idp.amazonaws.com' &&
      String(permission.Action).toLowerCase() === 'lambda:invokefunction' &&
      sameFunction(permission.FunctionName, functionArn),
  );
  if (permissions.length === 0) return `no AWS::Lambda::Permission lets cognito-idp.amazonaws.com invoke ${functionName}`;
  const bound = permissions.some(([, permission]) => namesResource(permission.SourceArn, poolId));
  return bound ? undefined : `the permission for ${functionName} has no SourceArn naming ${poolId}`;
}

/** `!GetAtt UserPool.Arn`, or an ARN built around `!Ref UserPool`. */
function namesResource(value: unknown, logicalId: string): boolean {
  if (referencedLogicalId(value) === logicalId) return true;
  const rendered = renderString(value) ?? '';
  return rendered.includes(`\${${logicalId}}`) || rendered.includes(`\${${logicalId}.`);
}

function sameFunction(a: unknown, b: unknown): boolean {
  const idA = referencedLogicalId(a);
  const idB = referencedLogicalId(b);
  if (idA !== undefined && idB !== undefined) return idA === idB;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Cognito's default unit for access and ID token validity is hours; left out, a token lives 60 minutes. */
const tokenMinutes = (validity: unknown, unit: unknown): number | undefined => {
  if (validity === undefined) return 60;
  const value = Number(validity);
  if (!Number.isFinite(value)) return undefined;
  const perUnit: Record<string, number> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };
  const factor = perUnit[String(unit ?? 'hours')];
  return factor === undefined ? undefined : value * factor;
};

function checkAppClients(template: CfnTemplate): Violation[] {
  const violations: Violation[] = [];
  for (const [clientId, client] of resourcesOfType(template, 'AWS::Cognito::UserPoolClient')) {
    const report = (rule: string, property: string, message: string) =>
      violations.push({ rule, resource: clientId, path: `Properties.${property}`, message });
    if (isTrue(client.GenerateSecret)) report('cognito.client-no-secret', 'GenerateSecret', 'a public client cannot keep a secret');
    if (!isTrue(client.EnableTokenRevocation))
      report('cognito.client-token-revocation', 'EnableTokenRevocation', 'token revocation is not enabled');
    if (client.PreventUserExistenceErrors !== 'ENABLED') {
      report('cognito.client-user-existence-errors', 'PreventUserExistenceErrors', 'sign-in errors tell whether a user exists');
    }
    // Left out, WriteAttributes lets the client write every attribute.
    if (client.WriteAttributes === undefined) {
      report('cognito.client-write-attributes', 'WriteAttributes', 'no WriteAttributes: the client may write every attribute');
    }
    const custom = asList(client.WriteAttributes).filter((name) => String(name).startsWith('custom:'));
    if (custom.length > 0) report('cognito.client-write-attributes', 'WriteAttributes', `the client may write ${custom.join(', ')}`);
    // SPEC §2: access (and ID) tokens live 15–60 minutes.
    for (const kind of ['AccessToken', 'IdToken'] as const) {
      const minutes = tokenMinutes(
        client[`${kind}Validity`],
        isRecord(client.TokenValidityUnits) ? client.TokenValidityUnits[kind] : undefined,
      );
      if (minutes === undefined || minutes < 15 || minutes > 60) {
        report('cognito.client-token-validity', `${kind}Validity`, `${kind} lives ${minutes ?? 'an unknown number of'} minutes, not 15–60`);
      }
    }
  }
  return violations;
}
