/**
 * Bundle rules: the bdl invariants (duplicate fullUrl, entry without content, request/response/search/total
 * only where the type allows them, versioned fullUrl, document and message first entries, document
 * identifier and timestamp) and the HL7 validator's entry checks (a fullUrl absolute, present where the type
 * needs it, and ending in the resource's type and id). A fullUrl is only changed when no other entry refers
 * to it, so that no reference breaks as a second fault.
 * @see https://hl7.org/fhir/R4/bundle.html#invs
 */
import { memo, type Category, type Fault, type Site, type Subject } from '../fault.js';
import { edited, isObject, type Json } from '../json.js';

type Entry = Json & { fullUrl?: string; resource?: Json; request?: Json; response?: Json };

const RESTFUL = /^https?:\/\/.+\/[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;
const REQUESTS = ['transaction', 'batch'];
const RESPONSES = ['transaction-response', 'batch-response'];

interface Shape {
  bundle: Json;
  type: string;
  entries: Entry[];
  /** Whether some other entry than `i` mentions `url` (as a reference or anywhere else). */
  mentioned(url: string, i: number): boolean;
}

function shape(s: Subject): Shape | undefined {
  return memo(s, 'bundle', () => shapeOf(s.resource));
}

function shapeOf(b: Json): Shape | undefined {
  if (b.resourceType !== 'Bundle' || !Array.isArray(b.entry) || !b.entry.every(isObject)) return undefined;
  const entries = b.entry as Entry[];
  const texts = entries.map((e) => JSON.stringify(e));
  return { bundle: b, type: String(b.type), entries, mentioned: (url, i) => texts.some((t, j) => j !== i && t.includes(JSON.stringify(url))) };
}

/** A fault on the bundle whose sites `where` lists as [target, id, change]. */
function fault(name: string, where: (b: Shape) => [string, string, (copy: Json & { entry: Entry[] }) => void][], expect: Fault['expect'] = 'error'): Fault {
  return {
    name,
    expect,
    sites: (s): Site[] => {
      const b = shape(s);
      if (!b) return [];
      return where(b).map(([target, id, change]) => ({ target, id, make: () => edited(s.resource, (copy) => change(copy as Json & { entry: Entry[] })) }));
    },
  };
}

/** Sites at each entry `keep` accepts, targeted at the entry (or at the Bundle when `atBundle`). */
function eachEntry(b: Shape, keep: (e: Entry, i: number) => boolean, change: (e: Entry, copy: Json & { entry: Entry[] }) => void, atBundle = false) {
  return b.entries.flatMap((e, i): [string, string, (copy: Json & { entry: Entry[] }) => void][] =>
    keep(e, i) ? [[atBundle ? 'Bundle' : `Bundle.entry[${i}]`, String(i), (copy) => change(copy.entry[i], copy)]] : [],
  );
}

const versionOf = (e: Entry) => (isObject(e.resource?.meta) ? e.resource.meta.versionId : undefined);
const hasResource = (e: Entry) => isObject(e.resource);
const plainEntry = (e: Entry) => hasResource(e) && !e.request && !e.response;

/** Moves the first entry to position `k`, for document and message bundles. */
function notFirst(type: string) {
  return (b: Shape): [string, string, (copy: Json & { entry: Entry[] }) => void][] =>
    b.type !== type ? [] : b.entries.slice(1).map((_, k) => ['Bundle', String(k + 1), (copy) => void copy.entry.splice(k + 1, 0, copy.entry.shift()!)]);
}

export const bundle: Category = {
  name: 'bundle',
  faults: [
    fault('bdl-7-duplicate-full-url', (b) =>
      b.type === 'history'
        ? []
        : b.entries.flatMap((e, i) =>
            [i - 1, i + 1]
              .filter((j) => j >= 0 && j < b.entries.length)
              .flatMap((j): [string, string, (copy: Json & { entry: Entry[] }) => void][] => {
                const other = b.entries[j];
                const ok = e.fullUrl && other.fullUrl && !RESTFUL.test(e.fullUrl) && !b.mentioned(other.fullUrl, j) && versionOf(e) === versionOf(other);
                return ok ? [['Bundle', `${i}>${j}`, (copy) => void (copy.entry[j].fullUrl = e.fullUrl)]] : [];
              }),
          ),
    ),
    fault('bdl-7-duplicate-entry', (b) =>
      b.type === 'history' ? [] : eachEntry(b, (e) => !!e.fullUrl && hasResource(e), (e, copy) => void copy.entry.splice(copy.entry.indexOf(e) + 1, 0, structuredClone(e)), true),
    ),
    // With urn:uuid fullUrls nothing ties an entry's resource id to its fullUrl (the validator's check of
    // that is switched off): two resources may then share an id. Our belief: valid.
    fault(
      'duplicate-resource-id',
      (b) =>
        b.entries.flatMap((e, i): [string, string, (copy: Json & { entry: Entry[] }) => void][] => {
          const j = b.entries.findIndex((o, k) => k > i && o.resource?.resourceType === e.resource?.resourceType);
          const ok = j > 0 && typeof e.resource?.id === 'string' && !RESTFUL.test(e.fullUrl ?? '') && !RESTFUL.test(b.entries[j].fullUrl ?? '');
          return ok ? [[`Bundle.entry[${j}].resource.id`, String(j), (copy) => void (copy.entry[j].resource!.id = e.resource!.id)]] : [];
        }),
      'valid',
    ),
    fault('bdl-5-entry-without-resource', (b) =>
      [...REQUESTS, ...RESPONSES, 'history'].includes(b.type)
        ? []
        : eachEntry(b, (e, i) => plainEntry(e) && (i > 0 || !['document', 'message'].includes(b.type)) && !(e.fullUrl && b.mentioned(e.fullUrl, i)), (e) => void delete e.resource),
    ),
    // A POST or PUT without its resource: bdl-5 holds (there is a request), and the HL7 validator has no rule
    // for it, so our belief is that it passes; the server would refuse it.
    fault(
      'transaction-entry-without-resource',
      (b) =>
        !REQUESTS.includes(b.type)
          ? []
          : eachEntry(b, (e, i) => hasResource(e) && ['POST', 'PUT'].includes(String(e.request?.method)) && !(e.fullUrl && b.mentioned(e.fullUrl, i)), (e) => void delete e.resource),
      'valid',
    ),
    fault('bdl-3-missing-request', (b) => (REQUESTS.includes(b.type) ? eachEntry(b, (e) => !!e.request, (e) => void delete e.request, true) : [])),
    fault('bdl-3-unexpected-request', (b) =>
      [...REQUESTS, 'history'].includes(b.type)
        ? []
        : eachEntry(b, (e) => plainEntry(e), (e) => void (e.request = { method: 'POST', url: String(e.resource!.resourceType) }), true),
    ),
    fault('bdl-4-missing-response', (b) => (RESPONSES.includes(b.type) ? eachEntry(b, (e) => !!e.response, (e) => void delete e.response, true) : [])),
    fault('bdl-4-unexpected-response', (b) =>
      [...RESPONSES, 'history'].includes(b.type) ? [] : eachEntry(b, (e) => !e.response, (e) => void (e.response = { status: '201 Created' }), true),
    ),
    fault('bdl-1-total-outside-search', (b) =>
      ['searchset', 'history'].includes(b.type) ? [] : [['Bundle', 'total', (copy) => void (copy.total = copy.entry.length)]],
    ),
    fault('bdl-2-search-outside-searchset', (b) =>
      b.type === 'searchset' ? [] : eachEntry(b, (e) => !e.search, (e) => void (e.search = { mode: 'match' }), true),
    ),
    fault('bdl-8-versioned-full-url', (b) =>
      eachEntry(b, (e, i) => RESTFUL.test(e.fullUrl ?? '') && !b.mentioned(e.fullUrl!, i), (e) => void (e.fullUrl = `${e.fullUrl}/_history/1`)),
    ),
    fault('full-url-id-mismatch', (b) =>
      eachEntry(b, (e, i) => RESTFUL.test(e.fullUrl ?? '') && typeof e.resource?.id === 'string' && !b.mentioned(e.fullUrl!, i), (e) => void (e.resource!.id = `${String(e.resource!.id)}x`)),
    ),
    fault('full-url-relative', (b) =>
      eachEntry(b, (e, i) => !!e.fullUrl && hasResource(e) && !b.mentioned(e.fullUrl, i), (e, copy) => void (e.fullUrl = `${String(e.resource!.resourceType)}/rel-${copy.entry.indexOf(e)}`)),
    ),
    fault('full-url-missing', (b) =>
      [...REQUESTS, ...RESPONSES].includes(b.type) ? [] : eachEntry(b, (e, i) => !!e.fullUrl && hasResource(e) && !b.mentioned(e.fullUrl, i), (e) => void delete e.fullUrl),
    ),
    fault('bdl-9-document-without-identifier', (b) =>
      b.type === 'document' && b.bundle.identifier ? [['Bundle', 'identifier', (copy) => void delete copy.identifier]] : [],
    ),
    fault('bdl-10-document-without-timestamp', (b) =>
      b.type === 'document' && b.bundle.timestamp ? [['Bundle', 'timestamp', (copy) => void delete copy.timestamp]] : [],
    ),
    fault('bdl-11-composition-not-first', notFirst('document')),
    fault('bdl-12-message-header-not-first', notFirst('message')),
  ],
};
