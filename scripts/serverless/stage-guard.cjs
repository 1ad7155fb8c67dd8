'use strict';
/**
 * A Serverless Framework plugin of this service (serverless.yml `plugins`):
 * the deploy rules that must hold before anything reaches AWS.
 *
 * - Stage names are checked when any command starts (package, deploy,
 *   offline): a name that would fail mid-deploy (too long for the bucket
 *   name, not a valid domain label, a word Cognito refuses in a domain
 *   prefix) is refused at once, with the rule it breaks.
 * - A stage's first deploy cannot strand its data stores: until the stack
 *   has completed once (it has the `UserPoolId` output), the pool and table
 *   are deployed without deletion protection and with DeletionPolicy Delete,
 *   so a failed first deploy rolls back cleanly and the next one starts
 *   fresh. The deploy after that switches protection on (prod).
 * - The hosted-login domain prefix of a deployed stage is kept: changing it
 *   would replace the domain (and break every app's sign-in URL).
 * - A stage's web origin (stages.yml) is `https://host[:port]`, and a deploy
 *   that would drop the origin a stage was deployed with is refused.
 * - The default execution role that Serverless always adds is removed when no
 *   function uses it (each has its own least-privilege role).
 * - A stage's identity providers (stages.yml `federation`, federation.cjs)
 *   are checked when any command starts (a secret written in stages.yml
 *   instead of named is refused) and added to the template with the app
 *   client's list of them; a deploy keeps the tenants' own providers, which
 *   the SSO routes add to the client at run time, on that list.
 *
 * The rules are plain functions below, tested without AWS
 * (test/unit/scripts/serverless/stage-guard.test.ts).
 */

const { federationProblems, withFederation, keepTenantProviders } = require('./federation.cjs');

const MAX_STAGE_LENGTH = 16;
const FORBIDDEN_WORDS = ['aws', 'amazon', 'cognito'];
const PROTECTED_STORES = ['UserPool', 'MainTable'];

/** Why a stage name is refused, or undefined when it is fine. */
const stageNameProblem = (stage) => {
  if (typeof stage !== 'string' || stage.length === 0) return 'a stage name is required';
  if (stage.length > MAX_STAGE_LENGTH) {
    return `"${stage}" is ${stage.length} characters; a stage name has at most ${MAX_STAGE_LENGTH} (the uploads bucket's name must fit in 63)`;
  }
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(stage) || stage.includes('--')) {
    return `"${stage}" may use only lowercase letters, digits and single hyphens inside (no "_", no capitals): it becomes part of bucket and domain names`;
  }
  const word = FORBIDDEN_WORDS.find((w) => stage.includes(w));
  if (word) return `"${stage}" contains "${word}", which Cognito refuses in a hosted-login domain prefix`;
  return undefined;
};

const PLACEHOLDER_ORIGIN = 'https://app.tenantgate.invalid';

/** Why a stage's web origin is refused: it must be `https://host[:port]`, nothing more. */
const webOriginProblem = (origin) => {
  if (typeof origin !== 'string' || !/^https:\/\/[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?$/.test(origin)) {
    return `webOrigin "${origin}" must be https://host[:port], lowercase, with no path, query or trailing slash`;
  }
  return undefined;
};

/** A deploy that would drop the web origin a stage was deployed with (CORS, callbacks, invite links reset). */
const droppedWebOrigin = (stack, origin) => {
  const deployed = (stack?.Outputs ?? []).find((o) => o.OutputKey === 'WebOrigin')?.OutputValue;
  return deployed && deployed !== PLACEHOLDER_ORIGIN && origin === PLACEHOLDER_ORIGIN ? deployed : undefined;
};

/** Whether the stack has completed a deploy of this service once (its outputs name the pool). */
const hasCompletedOnce = (stack) => Boolean(stack && (stack.Outputs ?? []).some((o) => o.OutputKey === 'UserPoolId'));

/** The hosted-login prefix a deployed stack uses, from its outputs (undefined before the first deploy). */
const deployedLoginPrefix = (stack) => {
  const url = (stack?.Outputs ?? []).find((o) => o.OutputKey === 'HostedLoginUrl')?.OutputValue;
  const match = /^https:\/\/([a-z0-9-]+)\.auth\./.exec(url ?? '');
  return match ? match[1] : undefined;
};

/**
 * The template of a stage's first deploy: no deletion protection and no
 * retained data stores, so that a rollback can delete what it created.
 */
const firstDeployTemplate = (template) => {
  const resources = template.Resources ?? {};
  for (const id of PROTECTED_STORES) {
    const resource = resources[id];
    if (!resource) continue;
    resource.DeletionPolicy = 'Delete';
    resource.UpdateReplacePolicy = 'Delete';
    if (resource.Type === 'AWS::Cognito::UserPool') resource.Properties.DeletionProtection = 'INACTIVE';
    if (resource.Type === 'AWS::DynamoDB::Table') resource.Properties.DeletionProtectionEnabled = false;
  }
  return template;
};

/** Keeps a deployed stage's hosted-login prefix, whatever the default would now derive. */
const keepLoginPrefix = (template, prefix) => {
  const domain = template.Resources?.UserPoolDomain;
  if (domain && prefix) domain.Properties.Domain = prefix;
  return template;
};

/** Removes Serverless's default execution role when nothing refers to it. */
const withoutUnusedDefaultRole = (template) => {
  const id = 'IamRoleLambdaExecution';
  if (!template.Resources?.[id]) return template;
  const { [id]: _role, ...rest } = template.Resources;
  const referenced = JSON.stringify({ ...template, Resources: rest }).includes(`"${id}"`);
  if (!referenced) template.Resources = rest;
  return template;
};

class StageGuard {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    this.provider = serverless.getProvider('aws');
    this.stack = undefined;
    this.hooks = {
      initialize: () => {
        this.checkStage();
        this.checkFederation();
      },
      'before:package:finalize': () => withoutUnusedDefaultRole(this.template()),
      // After the resources files are merged (the client is in the template), before it is saved.
      'before:aws:package:finalize:saveServiceState': () => withFederation(this.template(), this.federation()),
      // After finalize: only then are resources/outputs.yml merged into the template.
      'after:package:finalize': () => this.checkWebOrigin(),
      'before:aws:deploy:deploy:createStack': () => this.readDeployedStack(),
      'before:aws:deploy:deploy:uploadArtifacts': () => this.adaptToDeployedStack(),
    };
  }

  stage() {
    return this.options.stage ?? this.serverless.service.provider.stage;
  }

  template() {
    return this.serverless.service.provider.compiledCloudFormationTemplate;
  }

  checkStage() {
    const problem = stageNameProblem(this.stage());
    if (problem) throw new this.serverless.classes.Error(`Invalid stage name: ${problem}.`, 'TENANTGATE_INVALID_STAGE');
  }

  /** The stage's `federation` settings (serverless.yml custom.federation, from stages.yml), or undefined. */
  federation() {
    return this.serverless.service.custom?.federation ?? undefined;
  }

  checkFederation() {
    const problems = federationProblems(this.federation());
    if (problems.length > 0) {
      throw new this.serverless.classes.Error(
        `Invalid stage settings (stages.yml ${this.stage()}.federation):\n- ${problems.join('\n- ')}`,
        'TENANTGATE_INVALID_FEDERATION',
      );
    }
  }

  /** The identity providers the deployed app client lists now (the tenants' own among them). */
  async liveClientProviders() {
    const output = (key) => (this.stack?.Outputs ?? []).find((o) => o.OutputKey === key)?.OutputValue;
    const UserPoolId = output('UserPoolId');
    const ClientId = output('UserPoolClientId');
    if (!UserPoolId || !ClientId) return [];
    const out = await this.provider.request('CognitoIdentityServiceProvider', 'describeUserPoolClient', { UserPoolId, ClientId });
    return out.UserPoolClient?.SupportedIdentityProviders ?? [];
  }

  webOrigin() {
    return this.template().Outputs?.WebOrigin?.Value;
  }

  checkWebOrigin() {
    const problem = webOriginProblem(this.webOrigin());
    if (problem) throw new this.serverless.classes.Error(`Invalid stage settings (stages.yml): ${problem}.`, 'TENANTGATE_INVALID_ORIGIN');
  }

  async readDeployedStack() {
    const StackName = this.provider.naming.getStackName();
    try {
      const out = await this.provider.request('CloudFormation', 'describeStacks', { StackName });
      this.stack = out.Stacks?.[0];
    } catch (err) {
      if (!/does not exist/.test(String(err?.message))) throw err;
      this.stack = undefined;
    }
  }

  async adaptToDeployedStack() {
    const log = (message) => this.serverless.cli.log(`[stage-guard] ${message}`);
    if (!hasCompletedOnce(this.stack)) {
      firstDeployTemplate(this.template());
      log('first deploy of this stage: the pool and table go without deletion protection until it completes; the next deploy turns it on.');
      return;
    }
    const dropped = droppedWebOrigin(this.stack, this.webOrigin());
    if (dropped) {
      throw new this.serverless.classes.Error(
        `Stage "${this.stage()}" was deployed with webOrigin ${dropped}; this deploy has none. Set it in stages.yml (${this.stage()}.webOrigin), or the stage's CORS, sign-in callbacks and invite links would be reset.`,
        'TENANTGATE_WEB_ORIGIN_DROPPED',
      );
    }
    const prefix = deployedLoginPrefix(this.stack);
    if (prefix) keepLoginPrefix(this.template(), prefix);
    keepTenantProviders(this.template(), await this.liveClientProviders());
  }
}

module.exports = StageGuard;
module.exports.stageNameProblem = stageNameProblem;
module.exports.webOriginProblem = webOriginProblem;
module.exports.droppedWebOrigin = droppedWebOrigin;
module.exports.hasCompletedOnce = hasCompletedOnce;
module.exports.deployedLoginPrefix = deployedLoginPrefix;
module.exports.firstDeployTemplate = firstDeployTemplate;
module.exports.keepLoginPrefix = keepLoginPrefix;
module.exports.withoutUnusedDefaultRole = withoutUnusedDefaultRole;
