import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import { type Property, type PropertyType, RichPropertyType, type SpecDatabase } from '@aws-cdk/service-spec-types';
import { type CfnTemplate, isIntrinsic, isRecord, type Violation } from './cfn-template';

/**
 * Checks every resource against AWS's published resource schemas, as compiled
 * by the AWS CDK team into @aws-cdk/aws-service-spec (the CloudFormation
 * registry schemas plus the CDK's corrections): the type exists, every
 * property (nested property types too) is known, required properties are
 * present and values have the right shape. Intrinsic functions are accepted
 * wherever a value goes, since CloudFormation resolves them at deploy time.
 */

type Issue = Omit<Violation, 'resource'>;

let loadedSpec: SpecDatabase | undefined;

/** The spec database, loaded once per test file (about half a second). */
export function awsResourceSpec(): SpecDatabase {
  loadedSpec ??= loadAwsServiceSpecSync();
  return loadedSpec;
}

const RESOURCE_ATTRIBUTES = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Condition',
  'Metadata',
  'CreationPolicy',
  'UpdatePolicy',
]);

/** The old resource spec's built-in tag type: `{ Key, Value }`. */
const TAG_PROPERTIES: Record<string, Property> = {
  Key: { type: { type: 'string' }, required: true },
  Value: { type: { type: 'string' }, required: true },
};

export function checkResourceSchemas(template: CfnTemplate, spec: SpecDatabase = awsResourceSpec()): Violation[] {
  const checker = new ShapeChecker(spec);
  return Object.entries(template.Resources).flatMap(([logicalId, resource]) =>
    checker.resource(resource.Type, resource).map((issue) => ({ resource: logicalId, ...issue })),
  );
}

class ShapeChecker {
  constructor(private readonly spec: SpecDatabase) {}

  resource(type: string, resource: Record<string, unknown>): Issue[] {
    const issues: Issue[] = Object.keys(resource)
      .filter((key) => !RESOURCE_ATTRIBUTES.has(key))
      .map((key) => issue('schema.unknown-resource-attribute', key, `${key} is not a resource attribute`));
    // Custom resources take whatever properties their provider defines.
    if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return issues;
    const definition = this.spec.lookup('resource', 'cloudFormationType', 'equals', type)[0];
    if (!definition) return [...issues, issue('schema.unknown-type', 'Type', `${type} is not a CloudFormation resource type`)];
    return [...issues, ...this.object(definition.properties, resource.Properties ?? {}, 'Properties')];
  }

  private object(properties: Record<string, Property>, value: unknown, path: string): Issue[] {
    if (isIntrinsic(value)) return [];
    if (!isRecord(value)) return [issue('schema.type-mismatch', path, `expected an object, got ${describe(value)}`)];
    const unknown = Object.keys(value)
      .filter((key) => !Object.hasOwn(properties, key))
      .map((key) => issue('schema.unknown-property', `${path}.${key}`, `${key} is not a property here`));
    const checked = Object.entries(properties).flatMap(([name, property]) => {
      const propertyPath = `${path}.${name}`;
      if (!Object.hasOwn(value, name)) {
        return property.required ? [issue('schema.missing-required', propertyPath, `${name} is required`)] : [];
      }
      // Older types stay valid: CloudFormation keeps accepting them.
      return this.oneOf([property.type, ...(property.previousTypes ?? [])], value[name], propertyPath);
    });
    return [...unknown, ...checked];
  }

  private oneOf(types: PropertyType[], value: unknown, path: string): Issue[] {
    let closest: Issue[] | undefined;
    for (const type of types) {
      const issues = this.value(type, value, path);
      if (issues.length === 0) return [];
      if (!closest || issues.length < closest.length) closest = issues;
    }
    return closest ?? [];
  }

  private value(type: PropertyType, value: unknown, path: string): Issue[] {
    if (isIntrinsic(value)) return [];
    switch (type.type) {
      case 'string':
        if (!isScalar(value)) return [this.mismatch(type, value, path)];
        return allowed(type.allowedValues, value, path);
      case 'number':
        return isNumeric(value, /^-?\d+(\.\d+)?$/) ? [] : [this.mismatch(type, value, path)];
      case 'integer':
        if (!isNumeric(value, /^-?\d+$/) || !Number.isInteger(Number(value))) return [this.mismatch(type, value, path)];
        return allowed(type.allowedValues, Number(value), path);
      case 'boolean':
        return typeof value === 'boolean' || value === 'true' || value === 'false' ? [] : [this.mismatch(type, value, path)];
      case 'date-time':
        return typeof value === 'string' ? [] : [this.mismatch(type, value, path)];
      case 'null':
        return value === null ? [] : [this.mismatch(type, value, path)];
      case 'json':
        return value === null ? [this.mismatch(type, value, path)] : [];
      case 'tag':
        return this.object(TAG_PROPERTIES, value, path);
      case 'ref':
        return this.object(this.spec.get('typeDefinition', type.reference).properties, value, path);
      case 'array':
        if (!Array.isArray(value)) return [this.mismatch(type, value, path)];
        return value.flatMap((element, index) => this.value(type.element, element, `${path}[${index}]`));
      case 'map':
        if (!isRecord(value)) return [this.mismatch(type, value, path)];
        return Object.entries(value).flatMap(([key, element]) => this.value(type.element, element, `${path}.${key}`));
      case 'union':
        return this.oneOf(type.types, value, path);
    }
  }

  private mismatch(type: PropertyType, value: unknown, path: string): Issue {
    const expected = new RichPropertyType(type).stringify(this.spec, false);
    return issue('schema.type-mismatch', path, `expected ${expected}, got ${describe(value)}`);
  }
}

function issue(rule: string, path: string, message: string): Issue {
  return { rule, path, message };
}

function allowed<T extends string | number | boolean>(values: T[] | undefined, value: unknown, path: string): Issue[] {
  if (!values || values.length === 0 || values.includes(value as T)) return [];
  return [issue('schema.disallowed-value', path, `${JSON.stringify(value)} is not one of ${values.join(', ')}`)];
}

// CloudFormation turns numbers and booleans into strings where a string is expected, and back.
function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isNumeric(value: unknown, pattern: RegExp): boolean {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && pattern.test(value));
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (isRecord(value)) return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
