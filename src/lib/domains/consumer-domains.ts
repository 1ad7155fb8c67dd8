import { normalizeDomain } from './domain';

/**
 * Mail providers whose addresses anyone can get: a tenant that "verified"
 * gmail.com would route every Gmail user's sign-in to its identity provider,
 * so none of these (nor any name under them) can be claimed. Not a complete
 * list of free mail in the world; the common ones, and each provider's
 * country variants people actually use.
 */
const CONSUMER_DOMAINS: ReadonlySet<string> = new Set([
  // Google
  'gmail.com',
  'googlemail.com',
  // Microsoft
  'outlook.com',
  'outlook.de',
  'outlook.fr',
  'outlook.es',
  'outlook.it',
  'outlook.jp',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.fr',
  'hotmail.de',
  'hotmail.it',
  'hotmail.es',
  'live.com',
  'live.co.uk',
  'live.fr',
  'live.de',
  'live.nl',
  'msn.com',
  'passport.com',
  // Yahoo
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.co.jp',
  'yahoo.co.in',
  'yahoo.com.au',
  'yahoo.com.br',
  'yahoo.com.mx',
  'yahoo.com.ar',
  'yahoo.com.sg',
  'yahoo.com.tw',
  'yahoo.com.hk',
  'yahoo.ca',
  'yahoo.de',
  'yahoo.fr',
  'yahoo.es',
  'yahoo.it',
  'yahoo.in',
  'yahoo.ie',
  'yahoo.gr',
  'ymail.com',
  'rocketmail.com',
  // Apple
  'icloud.com',
  'me.com',
  'mac.com',
  // AOL
  'aol.com',
  'aim.com',
  // Proton, Tuta, Fastmail, HEY
  'proton.me',
  'pm.me',
  'protonmail.com',
  'protonmail.ch',
  'tutanota.com',
  'tutanota.de',
  'tutamail.com',
  'tuta.io',
  'tuta.com',
  'fastmail.com',
  'fastmail.fm',
  'hey.com',
  // GMX, WEB.DE, mail.com
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'gmx.at',
  'gmx.ch',
  'web.de',
  'mail.com',
  // Yandex, Mail.Ru
  'yandex.ru',
  'yandex.com',
  'ya.ru',
  'mail.ru',
  // Zoho
  'zoho.com',
  'zohomail.com',
  // China, Korea
  'qq.com',
  'foxmail.com',
  '163.com',
  '126.com',
  'yeah.net',
  'sina.com',
  'naver.com',
  'daum.net',
  'hanmail.net',
  // Europe's large ISPs and portals
  't-online.de',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'libero.it',
  'seznam.cz',
  'wp.pl',
  'o2.pl',
  'interia.pl',
  'btinternet.com',
  // US ISPs
  'comcast.net',
  'verizon.net',
  'att.net',
  'sbcglobal.net',
  // India
  'rediffmail.com',
]);

/** The name and every parent of it with at least two labels: `a.b.gmail.com` → `a.b.gmail.com`, `b.gmail.com`, `gmail.com`. */
const selfAndParents = (domain: string): string[] => {
  const labels = domain.split('.');
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
};

/** True for a consumer mail domain or any name under one (`Mail.Yahoo.COM.` too: compared normalized). */
export const isConsumerDomain = (domain: string): boolean => selfAndParents(normalizeDomain(domain)).some((d) => CONSUMER_DOMAINS.has(d));
