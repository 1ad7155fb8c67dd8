import dgram from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTxtRecord, setServfail, writeZone } from '../../../../scripts/local/dns-zone';
import { DnsUnavailableError, lookupTxt, parseDnsConfig, txtMatches } from '../../../../src/lib/domains/dns-txt';

type DnsServer = { port: number; close: () => Promise<void> };
// The local stack's DNS server, started in this process on a free port.
const { startDnsServer } = require('../../../../scripts/local/dns-server.cjs') as {
  startDnsServer: (o: { port: number; zoneFile: string }) => Promise<DnsServer>;
};

describe('txtMatches', () => {
  const value = 'tenantgate-domain-verification=abc';

  it('matches a record that is exactly the value', () => {
    expect(txtMatches([['v=spf1 -all'], [value]], value)).toBe(true);
  });

  it('joins a record split into chunks before comparing', () => {
    expect(txtMatches([['tenantgate-domain-', 'verification=abc']], value)).toBe(true);
  });

  it('does not match a prefix, a suffix, another case or chunks of different records', () => {
    expect(txtMatches([[`${value}x`]], value)).toBe(false);
    expect(txtMatches([[`x${value}`]], value)).toBe(false);
    expect(txtMatches([[value.toUpperCase()]], value)).toBe(false);
    expect(txtMatches([['tenantgate-domain-'], ['verification=abc']], value)).toBe(false);
    expect(txtMatches([], value)).toBe(false);
  });
});

describe('parseDnsConfig', () => {
  it('reads no servers when DNS_SERVERS is unset or empty (the system resolver)', () => {
    expect(parseDnsConfig({}).servers).toBeUndefined();
    expect(parseDnsConfig({ DNS_SERVERS: '' }).servers).toBeUndefined();
  });

  it('reads a list of addresses with optional ports', () => {
    expect(parseDnsConfig({ DNS_SERVERS: '127.0.0.1:5354, 1.1.1.1,[::1]:53' }).servers).toEqual(['127.0.0.1:5354', '1.1.1.1', '[::1]:53']);
  });

  it.each(['dns.example.com', '127.0.0.1:99999', '127.0.0.1:', 'localhost:53'])('fails at load on %j', (value) => {
    expect(() => parseDnsConfig({ DNS_SERVERS: value })).toThrow(/Invalid dns configuration/);
  });
});

describe('lookupTxt against the local DNS server', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-dns-'));
  const zoneFile = path.join(dir, 'zone.json');
  let server: DnsServer;
  let servers: string[];

  beforeAll(async () => {
    writeZone(zoneFile, { txt: {} });
    server = await startDnsServer({ port: 0, zoneFile });
    servers = [`127.0.0.1:${server.port}`];
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers no records for a name the zone does not hold (NXDOMAIN)', async () => {
    expect(await lookupTxt('_tenantgate-challenge.nobody.test', servers)).toEqual([]);
  });

  it('answers the records of a name, case-insensitively, as soon as the zone file holds them', async () => {
    // Prepare
    addTxtRecord(zoneFile, '_tenantgate-challenge.Acme.test.', 'first');
    addTxtRecord(zoneFile, '_tenantgate-challenge.acme.test', 'second');

    // Act
    const records = await lookupTxt('_TENANTGATE-CHALLENGE.ACME.TEST', servers);

    // Assess
    expect(records.map((r) => r.join('')).sort()).toEqual(['first', 'second']);
  });

  it('splits a value longer than 255 bytes into chunks that match once joined', async () => {
    const long = `tenantgate-domain-verification=${'x'.repeat(400)}`;
    addTxtRecord(zoneFile, 'long.acme.test', long);

    const records = await lookupTxt('long.acme.test', servers);

    expect(records[0]?.length).toBe(2);
    expect(txtMatches(records, long)).toBe(true);
  });

  it('refuses a query of another type than TXT', async () => {
    const resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers(servers);
    await expect(resolver.resolve4('acme.test')).rejects.toMatchObject({ code: 'EREFUSED' });
  });

  it('turns SERVFAIL into a DnsUnavailableError (503 with Retry-After), not "no record"', async () => {
    setServfail(zoneFile, 'broken.acme.test', true);

    const error = await lookupTxt('broken.acme.test', servers).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DnsUnavailableError);
    expect(error).toMatchObject({ status: 503, retryAfterSeconds: 5 });
  });

  it('gives up on a resolver that never answers within a few seconds', { timeout: 10_000 }, async () => {
    // Prepare: a UDP socket that reads queries and answers none
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const started = Date.now();

    // Act
    const error = await lookupTxt('acme.test', [`127.0.0.1:${silent.address().port}`]).catch((e: unknown) => e);
    silent.close();

    // Assess
    expect(error).toBeInstanceOf(DnsUnavailableError);
    expect(Date.now() - started).toBeLessThan(4_500);
  });
});
