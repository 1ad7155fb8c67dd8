import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * Checks real responses against the OpenAPI document (docs/openapi.json):
 * the status is one the operation declares, the content type one of that
 * response's, the body valid against its schema (JSON Schema 2020-12, as
 * OpenAPI 3.1 uses; response objects have `additionalProperties: false`, so
 * an undeclared field fails), and required headers (WWW-Authenticate,
 * Retry-After) present. A request the document has no operation for (the
 * local HTTP layer's own 404, a preflight) is not ours to check.
 */

export type Exchange = { method: string; path: string; status: number; headers: Headers; text: string };

type JsonObject = Record<string, unknown>;
type ResponseObject = { content?: Record<string, unknown>; headers?: Record<string, { required?: boolean }> };
type Operation = { method: string; template: string; pattern: RegExp; pointer: string; responses: Record<string, unknown> };

export const DOCUMENT_FILE = path.resolve(__dirname, '../../../docs/openapi.json');

const DOC_ID = 'openapi.json';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

const pointerOf = (...parts: string[]) => parts.map((p) => `/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

const escapeRegExp = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/tenants/{tenantId}` → a path parameter is one segment. */
const patternOf = (template: string) =>
  new RegExp(
    `^${template
      .split(/\{[^}]+\}/)
      .map(escapeRegExp)
      .join('[^/]+')}$`,
  );

/** A `$ref` inside the document (`#/components/responses/…`), and the pointer it names. */
const resolve = (doc: JsonObject, value: unknown, pointer: string): { value: unknown; pointer: string } => {
  const ref = (value as { $ref?: string } | undefined)?.$ref;
  if (!ref?.startsWith('#/')) return { value, pointer };
  const target = ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, part) => (node as JsonObject)[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  return { value: target, pointer: ref.slice(1) };
};

export const responseContract = (doc: JsonObject) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(doc, DOC_ID);
  const validators = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string) => {
    let validate = validators.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOC_ID}#${pointer}` });
      validators.set(pointer, validate);
    }
    return validate;
  };

  const operations: Operation[] = Object.entries(doc.paths as Record<string, JsonObject>).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({
        method,
        template,
        pattern: patternOf(template),
        pointer: pointerOf('paths', template, method),
        responses: (op as { responses: Record<string, unknown> }).responses,
      })),
  );

  const operationFor = (method: string, urlPath: string) =>
    operations.find((o) => o.method === method.toLowerCase() && o.pattern.test(urlPath.split('?')[0] ?? ''));

  /** What is wrong with one response, in words; [] when it is what the document says. `undefined`: not an operation of the document. */
  const problemsOf = (ex: Exchange): string[] | undefined => {
    const op = operationFor(ex.method, ex.path);
    if (!op) return undefined;
    const status = String(ex.status);
    const declared = op.responses[status] ?? op.responses.default;
    if (!declared) return [`status ${status} is not declared (declared: ${Object.keys(op.responses).join(', ')})`];
    const { value, pointer } = resolve(doc, declared, `${op.pointer}${pointerOf('responses', op.responses[status] ? status : 'default')}`);
    const response = value as ResponseObject;
    const problems: string[] = [];
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      if (header.required && ex.headers.get(name) === null) problems.push(`header ${name} is missing`);
    }
    if (!response.content) {
      if (ex.text !== '') problems.push(`a body where none is declared: ${ex.text.slice(0, 200)}`);
      return problems;
    }
    const mediaType = (ex.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!(mediaType in response.content)) {
      return [...problems, `content type "${mediaType}" is not declared (declared: ${Object.keys(response.content).join(', ')})`];
    }
    let body: unknown;
    try {
      body = JSON.parse(ex.text);
    } catch {
      return [...problems, `the body is not JSON: ${ex.text.slice(0, 200)}`];
    }
    const validate = validatorAt(`${pointer}${pointerOf('content', mediaType, 'schema')}`);
    if (!validate(body)) {
      problems.push(
        ...(validate.errors ?? []).map((e) => `body${e.instancePath} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`),
      );
    }
    return problems;
  };

  return {
    operationFor: (method: string, urlPath: string) => operationFor(method, urlPath)?.template,
    problemsOf,
    /** Throws, naming the request and every problem, unless the response is what the document declares. */
    assert: (ex: Exchange): void => {
      const problems = problemsOf(ex);
      if (problems?.length) {
        throw new Error(`${ex.method} ${ex.path} → ${ex.status} breaks the OpenAPI document:\n  ${problems.join('\n  ')}`);
      }
    },
  };
};

export type ResponseContract = ReturnType<typeof responseContract>;

/** The contract of the committed document, which the unit tests keep equal to the generator's. */
export const documentContract = (): ResponseContract => responseContract(JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8')) as JsonObject);
