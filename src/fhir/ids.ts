/**
 * Resource ids and version ids per FHIR R4: ids are 1 to 64 of [A-Za-z0-9-.].
 * @see https://hl7.org/fhir/R4/datatypes.html#id
 */
import { randomUUID } from 'node:crypto';
import { badRequest } from './outcomes.js';

const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

/** A fresh server-assigned id (UUIDs fit the id pattern and never collide with Synthea's). */
export const newId = (): string => randomUUID();

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** 400 unless `id` is a valid FHIR id; `expression` names where it came from. */
export function assertValidId(id: string, expression = 'id'): string {
  if (!isValidId(id)) throw badRequest(`"${id.slice(0, 80)}" is not a valid resource id (1-64 of A-Z a-z 0-9 - .)`, expression);
  return id;
}

/** The version in an ETag or If-Match value: `W/"3"`, `"3"` or `3`; undefined when it has none. */
export function parseETag(value: string | undefined): string | undefined {
  const match = value ? /^(?:W\/)?"?([^"]+)"?$/.exec(value.trim()) : null;
  return match?.[1];
}

export const etagOf = (versionId: string): string => `W/"${versionId}"`;
