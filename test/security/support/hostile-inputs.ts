import fc from 'fast-check';

/**
 * Hostile inputs as small descriptions (a 1 MB string is `{ unit, length }`),
 * so fast-check shrinks them and prints a counterexample a person can read;
 * `renderBody` and friends turn them into the bytes on the wire at send time.
 * Each description knows whether the contract refuses it on a route that
 * reads that input (SPEC §3: wrong type, unknown field, ill-formed Unicode,
 * non-JSON or non-object body, unsupported content type, size over the limit).
 */
export type JsonBody = Record<string, unknown>;

/** What a route's body schema takes: a safe valid body, every field it knows, and whether no body at all is valid. */
export type BodySpec = { valid: () => JsonBody; fields: string[]; emptyIsValid?: boolean };

export type BodyMutation =
  | { kind: 'wrong-type'; field: string; value: fc.JsonValue }
  | { kind: 'nested'; at: 'field' | 'unknown-field' | 'root'; field: string; depth: number; open: '[' | '{"a":' }
  | { kind: 'huge'; field: string; unit: string; length: number }
  | { kind: 'unknown-field'; name: string; value: fc.JsonValue }
  | { kind: 'prototype-key'; template: number }
  | { kind: 'lone-surrogate'; field: string; at: 'value' | 'key'; escape: string }
  | { kind: 'invalid-utf8'; field: string; at: 'value' | 'key' | 'between-tokens'; bytes: number[] }
  | { kind: 'not-json'; text: string }
  | { kind: 'not-object'; text: string }
  | { kind: 'empty'; text: string };

export type ContentTypeMutation = { kind: 'content-type'; lines: string[]; encoding: 'utf8' | 'utf16le' };
export type PathMutation = { kind: 'path'; param: number; raw: string };
export type QueryParam = { name: string; value: string; encode: boolean };
export type QueryMutation = { kind: 'query'; params: QueryParam[] };
export type HeaderLine = { name: string; unit: string; length: number };
export type HeaderMutation = { kind: 'headers'; lines: HeaderLine[] };

const HUGE_BODY = 1024 * 1024;
/** Longer than every string field allows (the longest, `refreshToken`, takes 8192). */
const OVER_EVERY_FIELD = 8193;

/* ---------- bodies ---------- */

/** A JSON value of another type than the field's: no string for a string field (nor for an optional one), no number for `size`, no boolean for `enforce`. */
const wrongTypeFor = (sample: unknown) =>
  fc
    .oneof(
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.string({ maxLength: 20 }),
      fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    )
    .filter((v) =>
      typeof sample === 'number' || typeof sample === 'boolean' ? typeof v !== typeof sample : typeof v !== 'string',
    ) as fc.Arbitrary<fc.JsonValue>;

const PROTOTYPE_TEMPLATES = [
  (body: string) => `{"__proto__":{"role":"owner","isPlatformAdmin":true},${body.slice(1)}`,
  (body: string) => `{"__proto__":${body}}`,
  (body: string) => `${body.slice(0, -1)},"constructor":{"prototype":{"isPlatformAdmin":true}}}`,
  (body: string) => `${body.slice(0, -1)},"prototype":{"role":"owner"}}`,
  (body: string) => `{"__proto__":null,${body.slice(1)}`,
  (body: string) => `${body.slice(0, -1)},"__proto__":{"__proto__":{"tenantId":"x"}}}`,
  (body: string) => `{"constructor":{"name":"x"},"toString":"x","hasOwnProperty":1,${body.slice(1)}`,
];

const INVALID_UTF8 = [[0xff], [0x80], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80]];

const NOT_JSON = [
  '{',
  '{"a":1',
  "{'role':'owner'}",
  '{"role":"owner",}',
  '{role: owner}',
  'NaN',
  'undefined',
  '<xml/>',
  'role=owner',
  '{"a":1}{"b":2}',
  '{"a":1} trailing',
  '{"a":01}',
  '{"a":"\\x41"}',
  '{"a":"unterminated}',
  '\ufeff{}',
  '{"a":1}\u0000',
  '/* comment */ {}',
];

const notJson = fc.oneof(
  fc.constantFrom(...NOT_JSON),
  // Not empty: an empty body is no body, which reads as `{}` (the `empty` case).
  fc.string({ minLength: 1, maxLength: 40 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
);

const notObject = fc.oneof(
  fc.constantFrom('null', 'true', 'false', '0', '-1.5e300', '"x"', '[]', '[{}]', '""'),
  fc
    .jsonValue({ maxDepth: 2 })
    .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))
    .map((v) => JSON.stringify(v)),
);

const LONE_SURROGATES = ['\\ud800', '\\udbff', '\\udc00', '\\udfff', '\\ude00\\ud83d'];

export const bodyMutation = (fields: string[], sample: JsonBody): fc.Arbitrary<BodyMutation> => {
  const field = fc.constantFrom(...fields);
  const unknownName = fc
    .oneof(
      fc.constantFrom('tenantId', 'userId', 'pk', 'sk', 'isPlatformAdmin', 'owner', 'toString', 'valueOf'),
      fc.string({ minLength: 1, maxLength: 30 }),
    )
    .filter((n) => !fields.includes(n));
  return fc.oneof(
    field.chain((f) => wrongTypeFor(sample[f]).map((value) => ({ kind: 'wrong-type' as const, field: f, value }))),
    fc.record({
      kind: fc.constant('nested' as const),
      at: fc.constantFrom('field' as const, 'unknown-field' as const, 'root' as const),
      field,
      depth: fc.integer({ min: 1, max: 200_000 }),
      open: fc.constantFrom('[' as const, '{"a":' as const),
    }),
    fc.record({
      kind: fc.constant('huge' as const),
      field,
      unit: fc.constantFrom('a', 'é', '😀', '\\u0000', '\\"', ' '),
      length: fc.integer({ min: OVER_EVERY_FIELD, max: HUGE_BODY }),
    }),
    fc.record({ kind: fc.constant('unknown-field' as const), name: unknownName, value: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record({ kind: fc.constant('prototype-key' as const), template: fc.nat({ max: PROTOTYPE_TEMPLATES.length - 1 }) }),
    fc.record({
      kind: fc.constant('lone-surrogate' as const),
      field,
      at: fc.constantFrom('value' as const, 'key' as const),
      escape: fc.constantFrom(...LONE_SURROGATES),
    }),
    fc.record({
      kind: fc.constant('invalid-utf8' as const),
      field,
      at: fc.constantFrom('value' as const, 'key' as const, 'between-tokens' as const),
      bytes: fc.constantFrom(...INVALID_UTF8),
    }),
    notJson.map((text) => ({ kind: 'not-json' as const, text })),
    notObject.map((text) => ({ kind: 'not-object' as const, text })),
    fc.constantFrom('', ' ', '\n').map((text) => ({ kind: 'empty' as const, text })),
  );
};

const nested = (depth: number, open: '[' | '{"a":'): string => `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`;

/** The bytes of a mutated body, built from a fresh valid body of the route. */
export const renderBody = (m: BodyMutation, valid: JsonBody): Buffer => {
  const text = JSON.stringify(valid);
  const withField = (name: string, rawValue: string) => {
    const rest = JSON.stringify(Object.fromEntries(Object.entries(valid).filter(([k]) => k !== name)));
    return rest === '{}' ? `{${JSON.stringify(name)}:${rawValue}}` : `${rest.slice(0, -1)},${JSON.stringify(name)}:${rawValue}}`;
  };
  switch (m.kind) {
    case 'wrong-type':
      return Buffer.from(withField(m.field, JSON.stringify(m.value)));
    case 'nested':
      if (m.at === 'root') return Buffer.from(nested(m.depth, m.open));
      return Buffer.from(withField(m.at === 'field' ? m.field : 'extra', nested(m.depth, m.open)));
    case 'huge':
      return Buffer.from(withField(m.field, `"${m.unit.repeat(Math.ceil(m.length / m.unit.length))}"`));
    case 'unknown-field':
      return Buffer.from(withField(m.name, JSON.stringify(m.value)));
    case 'prototype-key':
      return Buffer.from((PROTOTYPE_TEMPLATES[m.template] ?? PROTOTYPE_TEMPLATES[0])?.(text) ?? text);
    case 'lone-surrogate': {
      const value = typeof valid[m.field] === 'string' ? String(valid[m.field]) : 'x';
      if (m.at === 'key') return Buffer.from(withField(`${m.field}\u0000`, '"x"').replace('\\u0000', m.escape));
      return Buffer.from(withField(m.field, JSON.stringify(`${value.slice(0, 1)}\u0000${value.slice(1)}`).replace('\\u0000', m.escape)));
    }
    case 'invalid-utf8': {
      const marker = '\u0001MARK\u0001';
      const withMarker =
        m.at === 'between-tokens'
          ? `${text.slice(0, 1)}${marker}${text.slice(1)}`
          : m.at === 'key'
            ? withField(`${m.field}${marker}`, '"x"')
            : withField(m.field, JSON.stringify(`${String(valid[m.field] ?? 'x')}${marker}`));
      const [before = '', after = ''] = withMarker.replace(JSON.stringify(marker).slice(1, -1), marker).split(marker);
      return Buffer.concat([Buffer.from(before), Buffer.from(m.bytes), Buffer.from(after)]);
    }
    case 'not-json':
    case 'not-object':
    case 'empty':
      return Buffer.from(m.text);
  }
};

/**
 * Whether the contract refuses the mutated body on a route that reads one.
 * Invalid UTF-8 inside a string value reaches the handler as U+FFFD (API
 * Gateway and the local layer decode the body as UTF-8), which is a valid
 * character: a free-text field may then take it, so that case proves nothing.
 */
export const bodyIsInvalid = (m: BodyMutation, spec: Pick<BodySpec, 'emptyIsValid'>): boolean => {
  if (m.kind === 'empty') return !(m.text === '' && spec.emptyIsValid);
  if (m.kind === 'invalid-utf8') return m.at !== 'value';
  return true;
};

/* ---------- content types ---------- */

export const contentTypeMutation: fc.Arbitrary<ContentTypeMutation> = fc.oneof(
  fc.record({
    kind: fc.constant('content-type' as const),
    lines: fc.constantFrom<string[]>(
      ['text/plain'],
      ['text/plain; charset=utf-8'],
      [],
      [''],
      ['application/x-www-form-urlencoded'],
      ['multipart/form-data; boundary=x'],
      ['application/octet-stream'],
      ['application/jsonp'],
      ['application/json-patch+json'],
      ['application/json, text/plain'],
      ['application/json', 'text/plain'],
      ['application/json; charset=utf-16'],
      ['APPLICATION/JSON'],
      ['application/json;charset=UTF-8'],
      ['  application/json  '],
      ['application/json; charset=iso-8859-1'],
    ),
    encoding: fc.constant('utf8' as const),
  }),
  fc.record({
    kind: fc.constant('content-type' as const),
    lines: fc.constantFrom<string[]>(['application/json; charset=utf-16'], ['application/json; charset=utf-16le'], ['application/json']),
    encoding: fc.constant('utf16le' as const),
  }),
  fc.integer({ min: 1000, max: 12_000 }).map((n) => ({
    kind: 'content-type' as const,
    lines: [`application/json; x=${'y'.repeat(n)}`],
    encoding: 'utf8' as const,
  })),
);

/**
 * Whether the Lambda gets a content type it must refuse. API Gateway joins
 * repeated header lines with a comma, and adds none the client did not send
 * (nor does the patched local layer); the Lambda reads the media type before
 * any `;`.
 */
export const contentTypeIsInvalid = (m: ContentTypeMutation): boolean => {
  const mediaType = (m.lines.join(',').split(';')[0] ?? '').trim().toLowerCase();
  return mediaType !== 'application/json' || m.encoding === 'utf16le';
};

/* ---------- path parameters ---------- */

const PATH_VALUES = [
  '',
  'a%2Fb',
  '%2F',
  '..%2F..%2Ftenants',
  '%2e%2e',
  '%2E%2E%2F%2E%2E',
  '..',
  '.',
  '%00',
  'a%00b',
  '%ff',
  '%c0%af',
  '%ED%A0%80',
  '%',
  '%zz',
  '%u0041',
  '%20',
  ';',
  '%3F',
  '%23',
  '__proto__',
  'constructor',
  'toString',
  'TENANT%23x%23AUDIT',
  '*',
  '%2A',
  '%5C..%5C',
];

/**
 * How the HTTP layer takes a raw path parameter: an escape that does not
 * decode (`%zz`, `%ff`) is refused before any route (hapi's bare 400); a
 * segment that decodes to nothing or a dot segment (`..`, `%2e%2e`) is
 * normalised away, so the request names another route, or none (404).
 */
export const pathValueKind = (raw: string): 'undecodable' | 'reroutes' | 'plain' => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return 'undecodable';
  }
  return ['', '.', '..'].includes(decoded) ? 'reroutes' : 'plain';
};

export const pathMutation = (params: number): fc.Arbitrary<PathMutation> =>
  fc.record({
    kind: fc.constant('path' as const),
    param: fc.nat({ max: params - 1 }),
    raw: fc.oneof(
      fc.constantFrom(...PATH_VALUES),
      fc.integer({ min: 129, max: 8000 }).map((n) => 'a'.repeat(n)),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map((s) => encodeURIComponent(s.replace(/\p{Surrogate}/gu, '\ufffd'))),
    ),
  });

/* ---------- query strings ---------- */

const VALID_LIMIT = fc.integer({ min: 1, max: 100 }).map(String);
const INVALID_LIMIT = fc.oneof(
  fc.constantFrom('0', '101', '-1', '1.5', 'abc', '', 'NaN', 'Infinity', '1e3', '99999999999999999999', 'null', '[1]', ' '),
  fc.integer({ min: 1, max: 8000 }).map((n) => '9'.repeat(n)),
);
const GARBAGE_CURSOR = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.base64String({ maxLength: 120 }),
  fc.uint8Array({ minLength: 1, maxLength: 90 }).map((b) => Buffer.from(b).toString('base64url')),
  fc.integer({ min: 2049, max: 8000 }).map((n) => 'A'.repeat(n)),
);
const VALID_TIME = fc.constantFrom('2000-01-01T00:00:00Z', '2026-11-30T08:00:00+01:00', '2999-12-31T23:59:59.999Z');
const INVALID_TIME = fc.constantFrom('yesterday', '2026-13-45T99:99:99Z', '', '0', 'null', 'x'.repeat(300), '2026-01-01T00:00:00Zjunk');
const UNKNOWN_PARAM = fc
  .oneof(
    fc.constantFrom('tenantId', 'offset', 'page', 'sort', '__proto__', 'constructor', 'toString', 'hasOwnProperty'),
    fc.string({ minLength: 1, maxLength: 12 }),
  )
  .filter((n) => !['limit', 'cursor', 'from', 'to'].includes(n));

type Valued = { name: string; value: string; valid: 'list' | 'audit' | 'never'; encode: boolean };

const param = (name: string, value: fc.Arbitrary<string>, valid: Valued['valid'], encode = true): fc.Arbitrary<Valued> =>
  value.map((v) => ({ name, value: v, valid, encode }));

const queryParam: fc.Arbitrary<Valued> = fc.oneof(
  param('limit', VALID_LIMIT, 'list'),
  param('limit', INVALID_LIMIT, 'never'),
  param('cursor', GARBAGE_CURSOR, 'never'),
  param('from', VALID_TIME, 'audit'),
  param('to', VALID_TIME, 'audit'),
  param('from', INVALID_TIME, 'never'),
  param('to', INVALID_TIME, 'never'),
  UNKNOWN_PARAM.chain((name) => param(name, fc.string({ maxLength: 20 }), 'never')),
  // Sent as written: a malformed escape, a raw `+`, a bare key.
  param('limit', fc.constantFrom('%zz', '1%00', '%', '1+1', '%2Bx'), 'never', false),
);

export const queryMutation: fc.Arbitrary<QueryMutation & { validFor: ('list' | 'audit')[] }> = fc
  .array(queryParam, { minLength: 1, maxLength: 4 })
  .map((params) => {
    const names = params.map((p) => p.name);
    const repeated = names.some((n, i) => names.indexOf(n) !== i);
    const timesInOrder = (() => {
      const from = params.find((p) => p.name === 'from')?.value;
      const to = params.find((p) => p.name === 'to')?.value;
      return !from || !to || Date.parse(from) <= Date.parse(to);
    })();
    // Repeated names reach the Lambda joined with a comma (API Gateway), which no parameter takes.
    const allListValid = !repeated && params.every((p) => p.valid === 'list');
    const allAuditValid = !repeated && timesInOrder && params.every((p) => p.valid === 'list' || p.valid === 'audit');
    return {
      kind: 'query' as const,
      params: params.map(({ name, value, encode }) => ({ name, value, encode })),
      validFor: [...(allListValid ? ['list' as const] : []), ...(allAuditValid ? ['audit' as const] : [])],
    };
  });

export const renderQuery = (m: QueryMutation): string =>
  m.params.map((p) => (p.encode ? `${encodeURIComponent(p.name)}=${encodeURIComponent(p.value)}` : `${p.name}=${p.value}`)).join('&');

/* ---------- headers ---------- */

/** Characters a header value may carry on the wire (no CR, LF or NUL): visible ASCII, space, tab, and obs-text. */
const HEADER_CHARS = fc
  .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.constant(0x09), fc.integer({ min: 0x80, max: 0xff }))
  .map((c) => String.fromCharCode(c));
const headerGarbage = fc.string({ unit: HEADER_CHARS, maxLength: 80 });

const line = (name: string, unit: fc.Arbitrary<string>, length: fc.Arbitrary<number> = fc.constant(1)): fc.Arbitrary<HeaderLine> =>
  fc.record({ name: fc.constant(name), unit, length });

const HEADER_LINE: fc.Arbitrary<HeaderLine> = fc.oneof(
  line('Cookie', fc.oneof(headerGarbage, fc.constantFrom('=;;', 'a=b; c', '__proto__=x', 'constructor=1; toString=2', 'a="unterminated'))),
  line('Cookie', fc.constantFrom('session=x; ', 'a'), fc.integer({ min: 100, max: 20_000 })),
  line(
    'Range',
    fc.oneof(headerGarbage, fc.constantFrom('bytes=0-1', 'bytes=999999-', 'bytes=abc', 'items=0-9', 'bytes=-1,-2,-3', 'bytes=0-0,1-1,2-2')),
  ),
  line('Origin', fc.oneof(headerGarbage, fc.constantFrom('null', 'http://evil.test', '*', 'javascript:alert(1)'))),
  line('User-Agent', headerGarbage, fc.integer({ min: 1, max: 4000 })),
  line('X-Forwarded-For', fc.oneof(headerGarbage, fc.constantFrom('127.0.0.1, ::1, garbage', '999.999.999.999'))),
  line('Accept', fc.oneof(headerGarbage, fc.constantFrom('text/html', 'application/xml', '*/*;q=garbage'))),
  line('Accept-Encoding', fc.constantFrom('gzip, br, zstd, *;q=0', 'identity;q=0', 'x'.repeat(50))),
  line('Content-Encoding', fc.constantFrom('gzip', 'br', 'deflate, gzip')),
  line('If-None-Match', headerGarbage),
  line('X-Requested-With', headerGarbage),
  line('sls-offline-authorizer-override', fc.constantFrom('{"jwt":{"claims":{"tenant_id":"x","tenant_role":"owner"}}}', '{', 'null')),
  line('X-Huge', fc.constant('h'), fc.integer({ min: 8000, max: 20_000 })),
);

export const headerMutation: fc.Arbitrary<HeaderMutation> = fc.record({
  kind: fc.constant('headers' as const),
  lines: fc.array(HEADER_LINE, { minLength: 1, maxLength: 4 }),
});

export const renderHeaders = (m: HeaderMutation): [string, string][] =>
  m.lines.map((l) => [
    l.name,
    l.unit.repeat(Math.max(1, Math.ceil(l.length / Math.max(l.unit.length, 1)))).slice(0, Math.max(l.length, l.unit.length)),
  ]);
