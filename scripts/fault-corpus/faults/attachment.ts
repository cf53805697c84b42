/**
 * Attachment rules: att-1 (data needs a contentType), a negative or non-numeric size, data and hash that are
 * not base64, a contentType that is no MIME type, a url with spaces, a creation that is no dateTime. The
 * fault goes into an Attachment the original has, or into one added where the resource may hold one
 * (Patient.photo, DiagnosticReport.presentedForm, …).
 * @see https://hl7.org/fhir/R4/datatypes.html#Attachment
 */
import { typeDefinition } from '../../../src/validation/element-definitions.js';
import { memo, type Category, type Fault, type Site, type Subject } from '../fault.js';
import { edited, getAt, isObject, type Json } from '../json.js';
import { sampleAttachment } from '../samples.js';
import { isComplex } from '../walk.js';

/** Where an attachment is: its FHIRPath, and how to reach (or add) it in a copy. */
interface Place {
  path: string;
  id: string;
  get(copy: Json): Json;
}

function places(subject: Subject): Place[] {
  return memo(subject, 'attachment', () => placesOf(subject));
}

function placesOf(subject: Subject): Place[] {
  const existing = subject.nodes
    .filter((n) => n.type === 'Attachment' && isObject(n.value))
    .map((n): Place => ({ path: n.path, id: n.path, get: (copy) => getAt(copy, n.at) as Json }));
  const added = subject.nodes.flatMap((host): Place[] => {
    if ((host.parent && !isComplex(host)) || !isObject(host.value)) return [];
    const owner = host.value;
    return [...(typeDefinition(host.type)?.properties ?? [])]
      .filter(([key, p]) => p.type === 'Attachment' && !p.element.endsWith('[x]') && owner[key] === undefined)
      .map(([key, p]): Place => {
        const many = p.def.max === '*';
        return {
          path: `${host.path}.${key}${many ? '[0]' : ''}`,
          id: `${host.path}.${key}+`,
          get: (copy) => {
            const attachment = sampleAttachment();
            (getAt(copy, host.at) as Json)[key] = many ? [attachment] : attachment;
            return attachment;
          },
        };
      });
  });
  return [...existing, ...added];
}

/** A fault that changes the attachment; `element` names the child the target points at, if any. */
function fault(name: string, change: (a: Json) => void, element?: string, expect: Fault['expect'] = 'error'): Fault {
  return {
    name,
    expect,
    sites: (s): Site[] =>
      places(s).map((p) => ({
        target: element ? `${p.path}.${element}` : p.path,
        id: p.id,
        make: () => edited(s.resource, (copy) => change(p.get(copy))),
      })),
  };
}

/** Sets a value; an attachment that gets data also gets a contentType, so that att-1 still holds. */
const set = (element: string, value: unknown) => (a: Json) => {
  a[element] = value;
  if (element === 'data') a.contentType ??= 'text/plain';
};

export const attachment: Category = {
  name: 'attachment',
  faults: [
    fault('att-1-data-without-content-type', (a) => {
      delete a.contentType;
      a.data ??= 'SGVsbG8=';
    }),
    fault('negative-size', set('size', -1), 'size'),
    fault('size-as-string', set('size', '5'), 'size'),
    fault('data-not-base64', set('data', 'not base64!'), 'data'),
    fault('hash-not-base64', set('hash', '@@@@'), 'hash'),
    // Bound (required) to BCP 13, which needs a terminology server: offline the reference harness accepts any
    // contentType, so our belief is that it passes.
    fault('content-type-not-mime', set('contentType', 'plain text'), 'contentType', 'valid'),
    fault('url-with-spaces', set('url', 'http://example.org/my file.pdf'), 'url'),
    fault('creation-not-date-time', set('creation', '28/02/2020'), 'creation'),
  ],
};
