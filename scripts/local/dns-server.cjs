// The local stack's DNS server: answers TXT queries on loopback from a zone
// file, so domain verification runs the same real DNS query as on AWS (only
// the resolver's address differs). UDP and TCP on one port (a resolver falls
// back to TCP for a truncated answer). Env: TG_DNS_PORT (default 5354),
// TG_DNS_ZONE (the zone file).
//
// The zone file is read on every query, so an edit takes effect at once:
//   { "txt": { "<name>": ["<value>", ...] }, "servfail": ["<name>", ...] }
// Names are case-insensitive, with or without the trailing dot. A name in
// `servfail` answers SERVFAIL (a resolver that fails, for tests). A name not
// in the zone answers NXDOMAIN; a query of any other type than TXT is REFUSED
// (this server holds TXT records only, and says so rather than guess).
const dgram = require('node:dgram');
const fs = require('node:fs');
const net = require('node:net');
const packet = require('dns-packet');

const NOERROR = 0;
const SERVFAIL = 2;
const NXDOMAIN = 3;
const REFUSED = 5;
/** What a TXT character-string holds at most; a longer value is split, as DNS publishers do. */
const CHUNK_BYTES = 255;
/** Without EDNS a UDP answer is at most 512 bytes; a longer one is truncated and asked again over TCP. */
const UDP_LIMIT = 512;
const TTL_SECONDS = 1;

const normalizeName = (name) => String(name).trim().toLowerCase().replace(/\.$/, '');

/** The zone as the file holds it now; a missing file is an empty zone, a malformed one a fault (SERVFAIL). */
const readZone = (zoneFile) => {
  let text;
  try {
    text = fs.readFileSync(zoneFile, 'utf8');
  } catch (err) {
    if (err?.code === 'ENOENT') return { txt: new Map(), servfail: new Set() };
    throw err;
  }
  const raw = JSON.parse(text);
  const txt = new Map();
  for (const [name, values] of Object.entries(raw.txt ?? {})) {
    const list = (Array.isArray(values) ? values : [values]).map(String);
    const key = normalizeName(name);
    txt.set(key, [...(txt.get(key) ?? []), ...list]);
  }
  return { txt, servfail: new Set((raw.servfail ?? []).map(normalizeName)) };
};

const chunks = (value) => {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length === 0) return [bytes];
  const out = [];
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) out.push(bytes.subarray(i, i + CHUNK_BYTES));
  return out;
};

/** The response to one query packet, as an object for dns-packet to encode. */
const answer = (query, zoneFile) => {
  const question = query.questions[0];
  const flags = packet.AUTHORITATIVE_ANSWER | (query.flags & packet.RECURSION_DESIRED);
  const reply = (rcode, answers = []) => ({ type: 'response', id: query.id, flags: flags | rcode, questions: query.questions, answers });
  if (!question || query.questions.length !== 1) return reply(REFUSED);
  if (question.type !== 'TXT' || (question.class && question.class !== 'IN')) return reply(REFUSED);
  let zone;
  try {
    zone = readZone(zoneFile);
  } catch (err) {
    process.stderr.write(`dns: the zone file ${zoneFile} is unreadable: ${err?.message}\n`);
    return reply(SERVFAIL);
  }
  const name = normalizeName(question.name);
  if (zone.servfail.has(name)) return reply(SERVFAIL);
  const values = zone.txt.get(name);
  if (!values) return reply(NXDOMAIN);
  return reply(
    NOERROR,
    values.map((value) => ({ type: 'TXT', class: 'IN', name: question.name, ttl: TTL_SECONDS, data: chunks(value) })),
  );
};

/** The query's EDNS UDP size, or 512 without EDNS. */
const udpLimitOf = (query) => {
  const opt = (query.additionals ?? []).find((r) => r.type === 'OPT');
  return opt ? Math.max(UDP_LIMIT, opt.udpPayloadSize ?? UDP_LIMIT) : UDP_LIMIT;
};

/**
 * Starts the server; resolves once both sockets listen, with a `close`.
 * Exported for tests, which start it in-process on a free port.
 */
const startDnsServer = ({ port, host = '127.0.0.1', zoneFile }) =>
  new Promise((resolve, reject) => {
    const udp = dgram.createSocket('udp4');
    udp.on('message', (message, remote) => {
      let query;
      try {
        query = packet.decode(message);
      } catch {
        return; // not DNS: no answer, as a server on the internet would do
      }
      try {
        const reply = answer(query, zoneFile);
        let response = packet.encode(reply);
        if (response.length > udpLimitOf(query)) {
          response = packet.encode({ ...reply, flags: reply.flags | packet.TRUNCATED_RESPONSE, answers: [] });
        }
        udp.send(response, remote.port, remote.address);
      } catch (err) {
        process.stderr.write(`dns: no answer to a query: ${err?.message}\n`);
      }
    });
    const tcp = net.createServer((socket) => {
      let buffered = Buffer.alloc(0);
      socket.on('data', (data) => {
        buffered = Buffer.concat([buffered, data]);
        while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          const length = buffered.readUInt16BE(0);
          const message = buffered.subarray(2, 2 + length);
          buffered = buffered.subarray(2 + length);
          try {
            socket.write(packet.streamEncode(answer(packet.decode(message), zoneFile)));
          } catch {
            socket.destroy();
            return;
          }
        }
      });
      socket.on('error', () => socket.destroy());
    });
    const close = () =>
      new Promise((done) => {
        udp.close(() => tcp.close(() => done()));
      });
    udp.once('error', reject);
    tcp.once('error', reject);
    udp.bind(port, host, () => {
      const bound = udp.address().port;
      tcp.listen(bound, host, () => resolve({ port: bound, close }));
    });
  });

module.exports = { startDnsServer };

if (require.main === module) {
  const port = Number(process.env.TG_DNS_PORT ?? 5354);
  const zoneFile = process.env.TG_DNS_ZONE;
  if (!zoneFile) throw new Error('TG_DNS_ZONE is required');
  startDnsServer({ port, zoneFile })
    .then((server) => {
      process.stdout.write(`dns listening on 127.0.0.1:${server.port} (udp, tcp), zone ${zoneFile}\n`);
      const stop = () => server.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    })
    .catch((err) => {
      process.stderr.write(`dns failed to start: ${err?.message}\n`);
      process.exit(1);
    });
}
