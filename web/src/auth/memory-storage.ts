import type { KeyValueStorageInterface } from 'aws-amplify/utils';

/**
 * Where Amplify keeps the tokens: this page's memory, not localStorage or
 * cookies, so no other script on the origin, extension or later visitor of the
 * browser profile can read them from storage. The price: a reload signs out.
 */
export class MemoryStorage implements KeyValueStorageInterface {
  readonly #items = new Map<string, string>();

  async setItem(key: string, value: string): Promise<void> {
    this.#items.set(key, value);
  }

  async getItem(key: string): Promise<string | null> {
    return this.#items.get(key) ?? null;
  }

  async removeItem(key: string): Promise<void> {
    this.#items.delete(key);
  }

  async clear(): Promise<void> {
    this.#items.clear();
  }

  /**
   * Amplify's estimate of this device's clock error, kept with the tokens
   * (`….clockDrift`: Cognito's time minus the device's, from the last token's
   * `iat`): Date.now() plus this is Cognito's time even on a clock that is off.
   */
  clockDriftMs(): number {
    for (const [key, value] of this.#items) if (key.endsWith('.clockDrift')) return Number.parseInt(value, 10) || 0;
    return 0;
  }
}
