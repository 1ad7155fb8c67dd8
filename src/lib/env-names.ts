/** Environment variable names shared by serverless.yml, the local stack and the code. */
export const ENV = {
  stage: 'STAGE',
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  userPoolId: 'USER_POOL_ID',
  appClientIds: 'APP_CLIENT_IDS',
  /** Local stack only: the emulator's issuer URL. Refused unless running offline. */
  localTokenIssuer: 'LOCAL_TOKEN_ISSUER',
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  s3Endpoint: 'S3_ENDPOINT',
  cognitoEndpoint: 'COGNITO_ENDPOINT',
  authCacheSeconds: 'AUTH_CACHE_SECONDS',
  auditRetentionDays: 'AUDIT_RETENTION_DAYS',
  inviteTtlDays: 'INVITE_TTL_DAYS',
  invitesPerHour: 'INVITES_PER_HOUR',
  corsAllowedOrigins: 'CORS_ALLOWED_ORIGINS',
  cursorSecretArn: 'CURSOR_SECRET_ARN',
  /** Local stack only. */
  localCursorSecret: 'LOCAL_CURSOR_SECRET',
  /** Local stack only: where mail is written instead of sent. */
  localMailDir: 'LOCAL_MAIL_DIR',
  mailFrom: 'MAIL_FROM',
  appUrl: 'APP_URL',
  refreshTokenDays: 'REFRESH_TOKEN_DAYS',
  /** Files: the largest upload accepted, in bytes. */
  filesMaxBytes: 'FILES_MAX_BYTES',
  /** Files: the content types an upload may declare, comma-separated. */
  filesAllowedTypes: 'FILES_ALLOWED_TYPES',
  /** Files: how long a presigned upload or download URL lives, in seconds (at most 900). */
  filesUrlSeconds: 'FILES_URL_SECONDS',
  /** Domain verification: the DNS resolvers to ask (comma-separated `ip[:port]`); unset uses the system's. The local stack's own DNS server. */
  dnsServers: 'DNS_SERVERS',
  /** The structured logger's level (Powertools reads the same name): TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL or SILENT. */
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  /** SSO: the hosted login's base URL (`https://<prefix>.auth.<region>.amazoncognito.com`; locally the Cognito emulator). */
  hostedLoginUrl: 'HOSTED_LOGIN_URL',
  /** SSO: where the hosted login sends the browser back with its code (the first of the app client's callback URLs). */
  oauthRedirectUri: 'OAUTH_REDIRECT_URI',
  /** Direct S3 access: the Identity Pool whose identity ids PUT /me/storage-identity registers (GetId). */
  identityPoolId: 'IDENTITY_POOL_ID',
  /** Local stack only: the identity pool emulator (GetId). Refused unless running offline. */
  cognitoIdentityEndpoint: 'COGNITO_IDENTITY_ENDPOINT',
} as const;

/** serverless.yml sets a local-only variable to '' on deployed stages: '' means unset. */
export const emptyAsUndefined = (v: unknown): unknown => (v === '' ? undefined : v);

/**
 * True only on the local stack: under serverless-offline (or the operator CLI
 * aimed at it), never inside a real Lambda runtime, whatever else is set.
 * Every local-only setting (token issuer, cursor key, mailbox) asks this.
 */
export const runsOnLocalStack = (env: NodeJS.ProcessEnv): boolean =>
  env.IS_OFFLINE === 'true' && !(env.AWS_EXECUTION_ENV ?? '').startsWith('AWS_Lambda');
