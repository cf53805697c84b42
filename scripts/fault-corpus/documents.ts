/**
 * Document and message Bundles around a patient of the Synthea data or the generator: the official examples
 * hold only one document and two messages, too few for the rules about them (bdl-9 … bdl-12). A document is
 * a Composition (with the patient as subject and author, and a section of text) and the Patient; a message
 * is a MessageHeader focused on the Patient and the Patient. Their ids come from the patient's, so the same
 * patient always gives the same Bundles.
 * @see https://hl7.org/fhir/R4/documents.html
 * @see https://hl7.org/fhir/R4/messaging.html
 */
import { Random } from '../../src/generate/prng.js';
import type { Json } from './json.js';

const NS = 'xmlns="http://www.w3.org/1999/xhtml"';
const WHEN = '2025-01-01T00:00:00Z';

/** A small hash of a string (FNV-1a), to seed the ids of a patient's Bundles. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A document and a message Bundle holding the patient entry, or none when the entry has no fullUrl. */
export function documentAndMessage(patient: { fullUrl?: string; resource?: unknown }): Json[] {
  if (!patient.fullUrl) return [];
  const rng = new Random(hash(patient.fullUrl));
  const [bundleId, compositionId, messageId, headerId] = [rng.uuid(), rng.uuid(), rng.uuid(), rng.uuid()];
  const subject = { reference: patient.fullUrl };
  // Without the transaction's request: a document or message entry has none (bdl-3).
  const entry = () => ({ fullUrl: patient.fullUrl, resource: structuredClone(patient.resource) });
  const document: Json = {
    resourceType: 'Bundle',
    id: bundleId,
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${bundleId}` },
    type: 'document',
    timestamp: WHEN,
    entry: [
      {
        fullUrl: `urn:uuid:${compositionId}`,
        resource: {
          resourceType: 'Composition',
          id: compositionId,
          text: { status: 'generated', div: `<div ${NS}>Patient summary</div>` },
          status: 'final',
          type: { coding: [{ system: 'http://loinc.org', code: '60591-5', display: 'Patient summary Document' }] },
          subject,
          date: WHEN,
          author: [subject],
          title: 'Patient summary',
          section: [{ title: 'Summary', text: { status: 'generated', div: `<div ${NS}>Nothing to report</div>` } }],
        },
      },
      entry(),
    ],
  };
  const message: Json = {
    resourceType: 'Bundle',
    id: messageId,
    type: 'message',
    timestamp: WHEN,
    entry: [
      {
        fullUrl: `urn:uuid:${headerId}`,
        resource: {
          resourceType: 'MessageHeader',
          id: headerId,
          text: { status: 'generated', div: `<div ${NS}>Patient update</div>` },
          eventCoding: { system: 'http://example.org/fhir/message-events', code: 'patient-update' },
          source: { endpoint: 'http://example.org/fhir/endpoint' },
          focus: [subject],
        },
      },
      entry(),
    ],
  };
  return [document, message];
}
