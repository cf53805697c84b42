/**
 * A Bulk Data `$export` kick-off, read and checked before a job is queued: every parameter the server cannot
 * honour is refused here with a 400 that names it, so that no client gets more (or less) than it asked for
 * without being told (an ignored `_type` or `_typeFilter` exports everything). The result is plain JSON: it
 * is the job's saved parameters.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#query-parameters
 */
import { badRequest } from '../fhir/outcomes.js';
import { assertValidId } from '../fhir/ids.js';
import { parseElements } from '../search/result-params.js';
import { parseSearchQuery } from '../search/parse-query.js';
import { isKnownResourceType } from '../search/search-parameters.js';
import { parseDeidentify } from './deidentify-parameter.js';

export type ExportLevel = 'system' | 'patient' | 'group';

export interface ExportRequest {
  level: ExportLevel;
  /** The Group whose members are exported (level `group`). */
  group?: string;
  /** `_type`: only these types; every type when absent. */
  types?: string[];
  /** `_since`: only resources changed at or after this instant, and the deletions since then. */
  since?: string;
  /** `_typeFilter`: per type, search queries (`code=…&status=…`) of which a resource must match one. */
  typeFilters?: Record<string, string[]>;
  /** `_elements`: the top-level elements kept (`name`, or `Patient.name` for one type only). */
  elements?: string[];
  /** `patient` (POST, patient and group levels): only these patients' compartments. */
  patients?: string[];
  /** `_deidentify`: the de-identification profile every resource is written through. */
  deidentify?: string;
}

/** The media types `_outputFormat` may name; all mean NDJSON, the one format written. */
const NDJSON_FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);
const KNOWN = new Set(['_outputFormat', '_type', '_since', '_typeFilter', '_elements', 'patient', '_deidentify']);
/** A FHIR instant: a time of day and a zone are required. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** Search parameters that shape a result page rather than select resources: meaningless in a filter. */
const NOT_SELECTING = /^_(count|offset|sort|summary|elements|include|revinclude|total|contained|containedType)(:|$)/;

const splitList = (values: string[]) => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');

function parseTypes(values: string[]): string[] | undefined {
  if (values.length === 0) return undefined;
  const types = [...new Set(splitList(values))];
  for (const type of types) if (!isKnownResourceType(type)) throw badRequest(`_type names ${JSON.stringify(type.slice(0, 80))}, which is not an R4 resource type`, '_type');
  if (types.length === 0) throw badRequest('_type is empty', '_type');
  return types;
}

function parseSince(values: string[]): string | undefined {
  if (values.length === 0) return undefined;
  if (values.length > 1) throw badRequest('_since is given more than once', '_since');
  const since = values[0];
  if (!INSTANT.test(since) || Number.isNaN(Date.parse(since))) throw badRequest(`_since must be a FHIR instant such as 2024-01-31T12:00:00Z, not ${JSON.stringify(since.slice(0, 80))}`, '_since');
  return new Date(Date.parse(since)).toISOString();
}

/** `Type?query`: each filter is a search the engine runs, so one it does not support is refused now. */
function parseTypeFilters(values: string[], types: string[] | undefined): Record<string, string[]> | undefined {
  if (values.length === 0) return undefined;
  const filters: Record<string, string[]> = {};
  for (const filter of values.flatMap((v) => v.split(',')).filter((v) => v.trim() !== '')) {
    const mark = filter.indexOf('?');
    const type = mark < 0 ? filter : filter.slice(0, mark);
    const query = mark < 0 ? '' : filter.slice(mark + 1);
    if (!isKnownResourceType(type)) throw badRequest(`_typeFilter ${JSON.stringify(filter.slice(0, 120))} does not start with an R4 resource type and '?'`, '_typeFilter');
    if (types && !types.includes(type)) throw badRequest(`_typeFilter names ${type}, which _type leaves out`, '_typeFilter');
    const params = new URLSearchParams(query);
    if ([...params.keys()].length === 0) throw badRequest(`_typeFilter ${JSON.stringify(filter.slice(0, 120))} has no search parameters`, '_typeFilter');
    for (const name of params.keys()) if (NOT_SELECTING.test(name)) throw badRequest(`_typeFilter may not use ${name}: a filter selects resources, it does not shape pages`, '_typeFilter');
    try {
      parseSearchQuery(type, params, { strict: true });
    } catch (err) {
      throw badRequest(`_typeFilter ${JSON.stringify(filter.slice(0, 120))} is not a search this server supports: ${(err as Error).message}`, '_typeFilter');
    }
    (filters[type] ??= []).push(query);
  }
  return filters;
}

function parseElementList(values: string[]): string[] | undefined {
  if (values.length === 0) return undefined;
  const elements = parseElements(values.join(','));
  for (const element of elements) {
    const dot = element.indexOf('.');
    if (dot > 0 && !isKnownResourceType(element.slice(0, dot))) throw badRequest(`_elements names ${JSON.stringify(element.slice(0, 80))}, whose type is not an R4 resource type`, '_elements');
  }
  return elements;
}

/** Patient ids from `patient` references (`Patient/123`). */
function parsePatients(values: string[], level: ExportLevel): string[] | undefined {
  if (values.length === 0) return undefined;
  if (level === 'system') throw badRequest('patient applies to Patient and Group exports, not to a system export', 'patient');
  return values.map((reference) => {
    const m = /^Patient\/([^/]+)$/.exec(reference);
    if (!m) throw badRequest(`patient must reference a Patient (Patient/123), not ${JSON.stringify(reference.slice(0, 80))}`, 'patient');
    return assertValidId(m[1]);
  });
}

/**
 * The request from its parameters, each name with all its values (query string of a GET, or the parameters of
 * a POSTed Parameters resource). 400 for an unknown parameter or an invalid value, and for `_deidentify`
 * without a `deidKey` (MEDGEN_DEID_KEY).
 */
export function parseExportRequest(level: ExportLevel, params: Map<string, string[]>, group?: string, deidKey?: string): ExportRequest {
  for (const name of params.keys()) {
    if (!KNOWN.has(name)) throw badRequest(`$export does not support the parameter ${JSON.stringify(name.slice(0, 80))}`, name);
  }
  const get = (name: string) => params.get(name) ?? [];
  for (const format of get('_outputFormat')) {
    if (!NDJSON_FORMATS.has(format)) throw badRequest(`_outputFormat ${JSON.stringify(format.slice(0, 80))} is not supported: use application/fhir+ndjson`, '_outputFormat');
  }
  const types = parseTypes(get('_type'));
  const request: ExportRequest = { level };
  if (group !== undefined) request.group = group;
  if (types) request.types = types;
  const since = parseSince(get('_since'));
  if (since) request.since = since;
  const typeFilters = parseTypeFilters(get('_typeFilter'), types);
  if (typeFilters) request.typeFilters = typeFilters;
  const elements = parseElementList(get('_elements'));
  if (elements) request.elements = elements;
  const patients = parsePatients(get('patient'), level);
  if (patients) request.patients = patients;
  const deidentify = parseDeidentify(get('_deidentify'), deidKey, '_deidentify');
  if (deidentify) request.deidentify = deidentify;
  return request;
}
