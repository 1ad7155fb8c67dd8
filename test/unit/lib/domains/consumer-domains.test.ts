import { describe, expect, it } from 'vitest';
import { isConsumerDomain } from '../../../../src/lib/domains/consumer-domains';

describe('isConsumerDomain', () => {
  it.each([
    'gmail.com',
    'googlemail.com',
    'outlook.com',
    'hotmail.com',
    'live.com',
    'msn.com',
    'yahoo.com',
    'yahoo.co.uk',
    'yahoo.co.jp',
    'yahoo.de',
    'icloud.com',
    'me.com',
    'mac.com',
    'aol.com',
    'proton.me',
    'protonmail.com',
    'gmx.com',
    'gmx.de',
    'gmx.net',
    'web.de',
    'mail.com',
    'yandex.ru',
    'yandex.com',
    'zoho.com',
    'qq.com',
    '163.com',
    '126.com',
    'fastmail.com',
    'hey.com',
    'tutanota.com',
  ])('refuses %s', (domain) => {
    expect(isConsumerDomain(domain)).toBe(true);
  });

  it('refuses names under a consumer domain, and any spelling of one', () => {
    expect(isConsumerDomain('mail.google.gmail.com')).toBe(true);
    expect(isConsumerDomain('eu.outlook.com')).toBe(true);
    expect(isConsumerDomain('GMail.COM.')).toBe(true);
  });

  it.each(['acme.com', 'gmail.co', 'notgmail.com', 'gmail.com.acme.io', 'mail.acme.de', 'yahoo.acme.com', 'com'])(
    'accepts %s',
    (domain) => {
      expect(isConsumerDomain(domain)).toBe(false);
    },
  );
});
