import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../../../src/lib/errors';
import { assertWellFormed, bearerToken, clientMeta, MAX_BODY_BYTES, parseWith, readJsonBody } from '../../../../src/lib/http/request-input';
import { httpEvent } from '../../support/api-gateway';

const jsonEvent = (body: string, contentType = 'application/json', isBase64Encoded = false) =>
  httpEvent({ method: 'POST', headers: { 'content-type': contentType }, body, isBase64Encoded });

const thrownBy = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
};

describe('readJsonBody', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON'])('parses a body sent as %s', (contentType) => {
    expect(readJsonBody(jsonEvent('{"name":"Acme"}', contentType))).toEqual({ name: 'Acme' });
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', ''])('refuses the content type %j', (contentType) => {
    // Act
    const err = thrownBy(() => readJsonBody(jsonEvent('{"name":"Acme"}', contentType)));

    // Assess
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).detail).toMatch(/application\/json/);
  });

  it('refuses a body without a content type', () => {
    expect(() => readJsonBody(httpEvent({ method: 'POST', body: '{}' }))).toThrow(ValidationError);
  });

  it.each([undefined, ''])('reads the missing body %j as {}, leaving the schema to name the missing fields', (body) => {
    // Prepare
    const event = httpEvent({ method: 'POST', ...(body === undefined ? {} : { body }) });

    // Act
    const parsed = readJsonBody(event);

    // Assess
    expect(parsed).toEqual({});
  });

  it('accepts a body of exactly the limit', () => {
    // Prepare
    const body = JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES - '{"pad":""}'.length) });

    // Act
    const parsed = readJsonBody(jsonEvent(body));

    // Assess
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    expect(parsed).toHaveProperty('pad');
  });

  it('refuses a body one byte over the limit', () => {
    // Prepare
    const body = JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES - '{"pad":""}'.length + 1) });

    // Act
    const err = thrownBy(() => readJsonBody(jsonEvent(body)));

    // Assess
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).detail).toMatch(/at most 16384 bytes/);
  });

  it('counts bytes, not characters', () => {
    // Prepare: 6000 three-byte characters are 18000 bytes.
    const body = JSON.stringify({ pad: '€'.repeat(6000) });

    // Act
    const read = () => readJsonBody(jsonEvent(body));

    // Assess
    expect(read).toThrow(/at most 16384 bytes/);
  });

  it.each(['{"name":', 'undefined', "{'name':'Acme'}", ' '])('refuses the invalid JSON %j', (body) => {
    expect(() => readJsonBody(jsonEvent(body))).toThrow(/not valid JSON/);
  });

  it('decodes a base64-encoded body', () => {
    // Prepare
    const body = Buffer.from('{"name":"Zürich AG"}', 'utf8').toString('base64');

    // Act
    const parsed = readJsonBody(jsonEvent(body, 'application/json', true));

    // Assess
    expect(parsed).toEqual({ name: 'Zürich AG' });
  });

  it('applies the size limit to the decoded base64 body', () => {
    // Prepare
    const body = Buffer.from(JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) })).toString('base64');

    // Act
    const read = () => readJsonBody(jsonEvent(body, 'application/json', true));

    // Assess
    expect(read).toThrow(/at most 16384 bytes/);
  });

  it.each(['false', 'null', '42', '"x"', '[]', '[{"name":"Acme"}]', 'true'])('refuses the JSON body %s, which is not an object', (body) => {
    // Act
    const err = thrownBy(() => readJsonBody(jsonEvent(body)));

    // Assess
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).detail).toBe('The request body must be a JSON object.');
  });

  // serverless-offline parses a JSON body itself and hands a falsy result over as the value, not as text.
  it.each([
    [false, 'false'],
    [0, '0'],
    [null, 'null'],
  ])('refuses a body already parsed to %j by the local HTTP layer', (value, sentText) => {
    // Prepare
    const event = { ...jsonEvent(''), body: value as unknown as string };
    event.headers['content-length'] = String(sentText.length);

    // Act
    const err = thrownBy(() => readJsonBody(event));

    // Assess
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).detail).toBe('The request body must be a JSON object.');
  });

  it('reads a null body with no content as no body at all', () => {
    // Prepare: how serverless-offline says "no body".
    const event = { ...httpEvent({ method: 'POST' }), body: null as unknown as string };

    // Act
    const parsed = readJsonBody(event);

    // Assess
    expect(parsed).toEqual({});
  });
});

describe('assertWellFormed', () => {
  const issuesOf = (value: unknown, what = 'request body') => {
    const err = thrownBy(() => assertWellFormed(value, what));
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  };

  it.each([
    ['a lone high surrogate', 'Acme \ud800 Corp'],
    ['a lone high surrogate at the end', 'Acme \ud83d'],
    ['a lone low surrogate', '\udc00Acme'],
    ['a reversed pair', 'Acme \ude00\ud83d'],
    ['a JSON-escaped lone surrogate, once parsed', JSON.parse('"\\ud800"') as string],
  ])('refuses %s, naming the field', (_label, value) => {
    // Act
    const err = issuesOf({ name: value });

    // Assess
    expect(err.detail).toBe('The request body must be well-formed Unicode: it contains a lone UTF-16 surrogate.');
    expect(err.errors).toEqual([{ path: 'name', message: 'must be well-formed Unicode (it contains a lone UTF-16 surrogate)' }]);
  });

  it.each([
    ['a surrogate pair', '\ud83d\ude00'],
    ['astral characters', 'Zürich 😀 𝔸𝔹ℂ'],
    ['the replacement character', '\ufffd'],
    ['an empty string', ''],
  ])('accepts %s', (_label, value) => {
    expect(() => assertWellFormed({ name: value, [value]: value, list: [value] }, 'request body')).not.toThrow();
  });

  it('accepts values that are not strings', () => {
    expect(() => assertWellFormed({ n: 1, b: false, z: null, a: [1, [true]], o: {} }, 'request body')).not.toThrow();
  });

  it('finds lone surrogates in nested values and array items, with dotted paths in document order', () => {
    // Act
    const err = issuesOf({ a: { b: ['ok', '\ud800'] }, c: [{ d: '\udc00' }], e: 'fine' });

    // Assess
    expect(err.errors.map((e) => e.path)).toEqual(['a.b.1', 'c.0.d']);
  });

  it('refuses a lone surrogate in an object key at any depth, naming it with the surrogate replaced', () => {
    // Act
    const err = issuesOf({ outer: { 'x\ud800': 'ok' }, 'y\udc00': { z: '\ud83d' } });

    // Assess
    expect(err.errors).toEqual([
      { path: 'outer.x\ufffd', message: 'the field name must be well-formed Unicode (it contains a lone UTF-16 surrogate)' },
      { path: 'y\ufffd', message: 'the field name must be well-formed Unicode (it contains a lone UTF-16 surrogate)' },
      { path: 'y\ufffd.z', message: 'must be well-formed Unicode (it contains a lone UTF-16 surrogate)' },
    ]);
  });

  it('names a lone surrogate at the root', () => {
    expect(issuesOf('\ud800').errors).toEqual([{ path: '(root)', message: expect.any(String) }]);
  });

  it('says which input it found one in: a query value or a path parameter', () => {
    // Act
    const query = issuesOf({ limit: '10', cursor: 'abc\ud800' }, 'query');
    const path = issuesOf({ tenantId: 't', fileId: '\udc00' }, 'path');

    // Assess
    expect(query.detail).toMatch(/^The query must be well-formed Unicode/);
    expect(query.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
    expect(path.detail).toMatch(/^The path must be well-formed Unicode/);
    expect(path.errors).toEqual([{ path: 'fileId', message: expect.any(String) }]);
  });

  it('walks a body nested as deep as 16 KiB allows without overflowing the stack', () => {
    // Prepare: 8000 nested arrays fit in the body limit.
    const body = JSON.parse(`${'['.repeat(8000)}"\\ud800"${']'.repeat(8000)}`) as unknown;

    // Act
    const err = issuesOf(body);

    // Assess
    expect(err.errors).toHaveLength(1);
  });

  it('names at most 20 fields, so a hostile body gets a short answer', () => {
    // Prepare
    const body = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, '\ud800']));

    // Act
    const err = issuesOf(body);

    // Assess
    expect(err.errors).toHaveLength(20);
    expect(err.errors[0]?.path).toBe('f0');
  });
});

describe('bearerToken', () => {
  const withAuthorization = (value: string) => httpEvent({ headers: { authorization: value } });

  it('reads the token of a Bearer authorization header', () => {
    expect(bearerToken(withAuthorization('Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl'))).toBe('eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl');
  });

  it('ignores surrounding whitespace', () => {
    expect(bearerToken(withAuthorization('  Bearer abc.def.ghi  '))).toBe('abc.def.ghi');
  });

  it('reads the auth scheme case-insensitively (RFC 9110 §11.1)', () => {
    expect(bearerToken(withAuthorization('bearer abc.def.ghi'))).toBe('abc.def.ghi');
  });

  it('has no token without an authorization header', () => {
    expect(bearerToken(httpEvent())).toBeUndefined();
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Bearer abc def', 'Bearerabc.def.ghi', 'Bearer abc"def', 'abc.def.ghi'])(
    'has no token in the header %j',
    (value) => {
      expect(bearerToken(withAuthorization(value))).toBeUndefined();
    },
  );

  it('never reads a token from the serverless-offline authorizer override header', () => {
    // Prepare
    const event = httpEvent({ headers: { 'sls-offline-authorizer-override': '{"jwt":{"claims":{"sub":"admin"}}}' } });

    // Act
    const token = bearerToken(event);

    // Assess
    expect(token).toBeUndefined();
  });
});

describe('parseWith', () => {
  const schema = z.strictObject({
    name: z.string().min(1),
    size: z.number().int(),
    tags: z.array(z.object({ label: z.string() })).optional(),
  });

  it('returns the parsed value', () => {
    expect(parseWith(schema, { name: 'a', size: 1 }, 'request body')).toEqual({ name: 'a', size: 1 });
  });

  it('reports every field error with its dotted path', () => {
    // Act
    const err = thrownBy(() => parseWith(schema, { name: '', size: 'big', tags: [{ label: 3 }] }, 'request body'));

    // Assess
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).detail).toBe('The request body is invalid.');
    expect((err as ValidationError).errors.map((e) => e.path)).toEqual(['name', 'size', 'tags.0.label']);
    for (const e of (err as ValidationError).errors) expect(e.message).toEqual(expect.any(String));
  });

  it('names a single unknown field', () => {
    // Act
    const err = thrownBy(() => parseWith(schema, { name: 'a', size: 1, isAdmin: true }, 'request body')) as ValidationError;

    // Assess
    expect(err.errors).toEqual([{ path: '(root)', message: 'unknown field: isAdmin' }]);
  });

  it('names several unknown fields', () => {
    // Act
    const err = thrownBy(() => parseWith(schema, { name: 'a', size: 1, isAdmin: true, tenantId: 't' }, 'request body')) as ValidationError;

    // Assess
    expect(err.errors).toEqual([{ path: '(root)', message: 'unknown fields: isAdmin, tenantId' }]);
  });

  it('refuses a lone surrogate the schema alone would accept, before the schema runs', () => {
    // Prepare
    const value = { name: 'Acme \ud800', size: 1 };

    // Act
    const err = thrownBy(() => parseWith(schema, value, 'request body')) as ValidationError;

    // Assess
    expect(schema.safeParse(value).success).toBe(true);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.errors).toEqual([{ path: 'name', message: 'must be well-formed Unicode (it contains a lone UTF-16 surrogate)' }]);
  });

  it('reports a value of the wrong type at the root', () => {
    // Act
    const err = thrownBy(() => parseWith(schema, ['not', 'an', 'object'], 'query')) as ValidationError;

    // Assess
    expect(err.detail).toBe('The query is invalid.');
    expect(err.errors).toHaveLength(1);
    expect(err.errors[0]?.path).toBe('(root)');
  });
});

describe('clientMeta', () => {
  it('takes the source ip and a user agent cut to 256 characters', () => {
    // Prepare
    const event = httpEvent({ headers: { 'user-agent': 'u'.repeat(300) } });

    // Act
    const meta = clientMeta(event);

    // Assess
    expect(meta).toEqual({ ip: '203.0.113.7', userAgent: 'u'.repeat(256) });
  });

  it('never cuts a user agent inside a surrogate pair, so what is stored stays well-formed', () => {
    // Prepare: the 256th code unit is the first half of an emoji.
    const event = httpEvent({ headers: { 'user-agent': `${'u'.repeat(255)}😀 tail` } });

    // Act
    const meta = clientMeta(event);

    // Assess
    expect(meta.userAgent).toBe(`${'u'.repeat(255)}\ufffd`);
  });
});
