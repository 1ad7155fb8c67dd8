import { describe, expect, it } from 'vitest';
import { type CfnTemplate, propertiesOf } from './cfn-template';
import { violationsIntroducedBy } from './template-mutations';
import { checkSecurityRules } from './template-rules';

const productionRules = (template: CfnTemplate) => checkSecurityRules(template, { production: true });

describe('production rules', () => {
  it('reports a production user pool without deletion protection', () => {
    // Prepare
    const unprotectedPool = (template: CfnTemplate) => {
      propertiesOf(template, 'UserPool').DeletionProtection = 'INACTIVE';
    };

    // Act
    const violations = violationsIntroducedBy('prod', unprotectedPool, productionRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'prod.user-pool-deletion-protection', resource: 'UserPool' })]);
  });

  it('reports a production table without deletion protection', () => {
    // Prepare
    const unprotectedTable = (template: CfnTemplate) => {
      propertiesOf(template, 'MainTable').DeletionProtectionEnabled = false;
    };

    // Act
    const violations = violationsIntroducedBy('prod', unprotectedTable, productionRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'prod.table-deletion-protection', resource: 'MainTable' })]);
  });

  it('reports a production pool where MFA is only optional', () => {
    // Prepare
    const optionalMfa = (template: CfnTemplate) => {
      propertiesOf(template, 'UserPool').MfaConfiguration = 'OPTIONAL';
    };

    // Act
    const violations = violationsIntroducedBy('prod', optionalMfa, productionRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'prod.mfa-required', resource: 'UserPool' })]);
  });

  it('reports a production callback URL on a developer machine', () => {
    // Prepare
    const localCallback = (template: CfnTemplate) => {
      propertiesOf(template, 'UserPoolClient').CallbackURLs = ['https://app.example.com/cb', 'http://127.0.0.1:8080/cb'];
    };

    // Act
    const violations = violationsIntroducedBy('prod', localCallback, productionRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'prod.no-local-urls', resource: 'UserPoolClient', path: 'Properties.CallbackURLs[1]' }),
    ]);
  });

  it('leaves the production-only rules out for other stages', () => {
    // Prepare
    const unprotect = (template: CfnTemplate) => {
      propertiesOf(template, 'UserPool').DeletionProtection = 'INACTIVE';
      propertiesOf(template, 'MainTable').DeletionProtectionEnabled = false;
    };

    // Act
    const violations = violationsIntroducedBy('prod', unprotect, (template) => checkSecurityRules(template, { production: false }));

    // Assess
    expect(violations).toEqual([]);
  });
});
