/**
 * The packaged CloudFormation template as plain data, and the few helpers the
 * checks share: resources by type, intrinsic functions, and rendering a value
 * built with `Ref` / `Fn::GetAtt` / `Fn::Join` / `Fn::Sub` into a comparable
 * string such as `arn:${AWS::Partition}:s3:::${UploadsBucket}/*`.
 */

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  [attribute: string]: unknown;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  [section: string]: unknown;
}

/** One broken rule: `rule` is stable (tests match on it), `message` is for people. */
export interface Violation {
  rule: string;
  resource: string;
  path: string;
  message: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ Ref: … }` or `{ "Fn::…": … }`: a value CloudFormation computes at deploy time. */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::') === true);
}

/** IAM and CloudFormation accept a single value where a list is meant. */
export function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, Record<string, unknown>]> {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([logicalId, resource]) => [logicalId, resource.Properties ?? {}]);
}

/** The properties of one resource, for tests that mutate a copy of the template. */
export function propertiesOf(template: CfnTemplate, logicalId: string): Record<string, unknown> {
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`the template has no resource ${logicalId}`);
  resource.Properties ??= {};
  return resource.Properties;
}

/** The logical id a `Ref` or `Fn::GetAtt` points at, if the value is one. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isIntrinsic(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/**
 * A literal or a string built from intrinsics, rendered as `${LogicalId}` /
 * `${LogicalId.Attribute}` placeholders; undefined when it depends on
 * something that cannot be rendered (`Fn::If`, `Fn::Select`, …).
 */
export function renderString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isIntrinsic(value)) return undefined;
  if (typeof value.Ref === 'string') return `\${${value.Ref}}`;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `\${${getAtt.join('.')}}`;
  if (typeof getAtt === 'string') return `\${${getAtt}}`;
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(renderString);
    return parts.every((part) => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0];
  return undefined;
}

/** Every string literal inside a value, intrinsics included (for "never contains" checks). */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (isRecord(value)) return Object.values(value).flatMap(stringsIn);
  return [];
}

/** Every string literal inside a value with its path, e.g. `Properties.CallbackURLs[1]`. */
export function stringLeaves(value: unknown, path: string): Array<{ path: string; text: string }> {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((element, index) => stringLeaves(element, `${path}[${index}]`));
  if (isRecord(value)) return Object.entries(value).flatMap(([key, child]) => stringLeaves(child, `${path}.${key}`));
  return [];
}

/** true / "true" (CloudFormation accepts both for booleans). */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
