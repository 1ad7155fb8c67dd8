import { createRequire } from 'node:module';

/**
 * The client's half of SRP as amazon-cognito-identity-js computes it
 * (AuthenticationHelper, which the package exports without types).
 */
type JsbnInteger = { toString(radix: number): string };
type Helper = {
  getLargeAValue(callback: (err: Error | null, A: JsbnInteger) => void): void;
  getPasswordAuthenticationKey(
    userId: string,
    password: string,
    B: JsbnInteger,
    salt: JsbnInteger,
    callback: (err: Error | null, key: Uint8Array) => void,
  ): void;
};

const load = createRequire(import.meta.url);
const { AuthenticationHelper } = load('amazon-cognito-identity-js') as { AuthenticationHelper: new (poolName: string) => Helper };
const BigInteger = (load('amazon-cognito-identity-js/lib/BigInteger') as { default: new (hex: string, radix: number) => JsbnInteger })
  .default;

export type SrpClient = { helper: Helper; srpA: string };

/** A fresh client secret a and its SRP_A, as `authenticateUser` sends it. */
export const clientPublicValue = (poolName: string): SrpClient => {
  const helper = new AuthenticationHelper(poolName);
  let srpA = '';
  helper.getLargeAValue((err, A) => {
    if (err) throw err;
    srpA = A.toString(16);
  });
  return { helper, srpA };
};

/** The 16-byte key the client derives from the PASSWORD_VERIFIER challenge. */
export const clientKeyFor = (client: SrpClient, userId: string, password: string, challenge: { SALT: string; SRP_B: string }) =>
  new Promise<Buffer>((resolve, reject) =>
    client.helper.getPasswordAuthenticationKey(
      userId,
      password,
      new BigInteger(challenge.SRP_B, 16),
      new BigInteger(challenge.SALT, 16),
      (err, key) => (err ? reject(err) : resolve(Buffer.from(key))),
    ),
  );
