import { BlockList, isIP } from 'node:net';

/**
 * Which addresses an outbound fetch for an identity provider may connect to.
 * On AWS only public unicast: never loopback, private (RFC 1918), link-local
 * (169.254/16, the instance metadata service), CGNAT, ULA, unspecified,
 * multicast or reserved, so a tenant's "issuer" cannot make the API probe the
 * VPC. On the local stack loopback is allowed too (the local IdP runs there).
 */
const V4_REFUSED: [string, number][] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, the metadata service
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

const V6_REFUSED: [string, number][] = [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['64:ff9b::', 96], // NAT64: would reach an IPv4 address unchecked
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['2001::', 32], // Teredo
  ['fc00::', 7], // ULA
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const refused = new BlockList();
for (const [net, prefix] of V4_REFUSED) refused.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of V6_REFUSED) refused.addSubnet(net, prefix, 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** The 16 bytes of an IPv6 address (`isIP` already said it is one). */
const ipv6Bytes = (address: string): number[] => {
  let text = address.split('%')[0] ?? '';
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/)?.[1];
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.split('.').map(Number);
    text = `${text.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
};

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:a.b.c.d`), which connects to that IPv4 address. */
export const mappedIpv4 = (address: string): string | undefined => {
  if (isIP(address) !== 6) return undefined;
  const b = ipv6Bytes(address);
  const isMapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  return isMapped ? b.slice(12).join('.') : undefined;
};

export type AddressPolicy = { allowLoopback: boolean; allowPublic: boolean };

/** AWS: public unicast only. Local stack: loopback too. */
export const addressPolicy = (local: boolean): AddressPolicy => ({ allowLoopback: local, allowPublic: true });

export const isLoopbackAddress = (address: string): boolean => {
  const v4 = mappedIpv4(address);
  if (v4) return loopback.check(v4, 'ipv4');
  const family = isIP(address);
  return family !== 0 && loopback.check(address, family === 4 ? 'ipv4' : 'ipv6');
};

export const isPublicAddress = (address: string): boolean => {
  const v4 = mappedIpv4(address);
  if (v4) return !refused.check(v4, 'ipv4');
  const family = isIP(address);
  if (family === 0) return false;
  return !refused.check(address.split('%')[0] ?? '', family === 4 ? 'ipv4' : 'ipv6');
};

/** Whether a fetch may connect to this (resolved or literal) address. */
export const addressAllowed = (address: string, policy: AddressPolicy): boolean =>
  (policy.allowLoopback && isLoopbackAddress(address)) || (policy.allowPublic && isPublicAddress(address));
