import * as z from 'zod';

/**
 * zod schemas for the Cognito trigger events we handle. They check what the
 * code relies on and let the rest of the event through untouched, because a
 * trigger must hand the event back to Cognito as it came, plus its response.
 */
const userAttributes = z.looseObject({
  sub: z.string().min(1).optional(),
  email: z.string().min(1).optional(),
  // Cognito passes every attribute as a string: 'true' or 'false'.
  email_verified: z.string().optional(),
});

const base = {
  version: z.string(),
  region: z.string(),
  userPoolId: z.string().min(1),
  userName: z.string().min(1),
  callerContext: z.looseObject({ clientId: z.string().nullish() }),
};

export const preSignUpEventSchema = z.looseObject({
  ...base,
  triggerSource: z.enum(['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider']),
  request: z.looseObject({ userAttributes, validationData: z.record(z.string(), z.string()).nullish() }),
  response: z.looseObject({}),
});
export type PreSignUpEvent = z.infer<typeof preSignUpEventSchema>;

const confirmedUserAttributes = z.looseObject({ sub: z.string().min(1), email: z.string().min(1), email_verified: z.string().optional() });

export const postConfirmationEventSchema = z.looseObject({
  ...base,
  triggerSource: z.enum(['PostConfirmation_ConfirmSignUp', 'PostConfirmation_ConfirmForgotPassword']),
  request: z.looseObject({ userAttributes: confirmedUserAttributes }),
  response: z.looseObject({}),
});
export type PostConfirmationEvent = z.infer<typeof postConfirmationEventSchema>;

export const postAuthenticationEventSchema = z.looseObject({
  ...base,
  triggerSource: z.literal('PostAuthentication_Authentication'),
  request: z.looseObject({
    userAttributes: confirmedUserAttributes,
    newDeviceUsed: z.boolean().optional(),
    // Sent by RespondToAuthChallenge (never by InitiateAuth); part of what tells one sign-in from another.
    clientMetadata: z.record(z.string(), z.string()).nullish(),
  }),
  response: z.looseObject({}),
});
export type PostAuthenticationEvent = z.infer<typeof postAuthenticationEventSchema>;

/** Only the V2 event can change access-token claims, so a V1 event is a misconfiguration. */
export const preTokenGenerationV2EventSchema = z.looseObject({
  ...base,
  version: z.literal('2'),
  triggerSource: z.enum([
    'TokenGeneration_Authentication',
    'TokenGeneration_RefreshTokens',
    'TokenGeneration_NewPasswordChallenge',
    'TokenGeneration_HostedAuth',
    'TokenGeneration_AuthenticateDevice',
  ]),
  request: z.looseObject({
    userAttributes: z.looseObject({ sub: z.string().min(1) }),
    scopes: z.array(z.string()).optional(),
  }),
  response: z.looseObject({}),
});
export type PreTokenGenerationV2Event = z.infer<typeof preTokenGenerationV2EventSchema>;

export type TokenClaimOverrides = {
  claimsToAddOrOverride?: Record<string, string>;
  claimsToSuppress?: string[];
};

export type PreTokenGenerationV2Response = {
  claimsAndScopeOverrideDetails: {
    idTokenGeneration: TokenClaimOverrides;
    accessTokenGeneration: TokenClaimOverrides;
  };
};
