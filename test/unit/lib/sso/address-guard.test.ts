import { describe, expect, it } from 'vitest';
import { addressAllowed, addressPolicy, mappedIpv4 } from '../../../../src/lib/sso/address-guard';

const onAws = addressPolicy(false);
const onLocalStack = addressPolicy(true);

describe('the outbound address guard', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'IPv6 loopback'],
    ['10.1.2.3', 'RFC 1918'],
    ['172.16.0.1', 'RFC 1918'],
    ['172.31.255.255', 'RFC 1918'],
    ['192.168.1.1', 'RFC 1918'],
    ['169.254.169.254', 'the instance metadata service'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'CGNAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'IPv6 unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['fc00::1', 'ULA'],
    ['fd12:3456::1', 'ULA'],
    ['fe80::1', 'IPv6 link-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata service'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata service, hex form'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of the metadata service'],
    ['fd00:ec2::254', "the metadata service's IPv6 address"],
  ])('refuses %s (%s) on AWS', (address) => {
    expect(addressAllowed(address, onAws)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(addressAllowed(address, onAws)).toBe(true);
    },
  );

  it('allows loopback on the local stack only, and still no private address there', () => {
    expect(addressAllowed('127.0.0.1', onLocalStack)).toBe(true);
    expect(addressAllowed('::1', onLocalStack)).toBe(true);
    expect(addressAllowed('10.0.0.1', onLocalStack)).toBe(false);
    expect(addressAllowed('169.254.169.254', onLocalStack)).toBe(false);
  });

  it('refuses what is not an address', () => {
    expect(addressAllowed('localhost', onAws)).toBe(false);
  });

  it('reads the IPv4 address inside an IPv4-mapped IPv6 address, in either notation', () => {
    expect(mappedIpv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(mappedIpv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(mappedIpv4('2001:db8::1')).toBeUndefined();
  });
});
