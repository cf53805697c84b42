/**
 * The id an imported resource keeps: its own id; else the uuid of its `urn:uuid:` fullUrl; else one derived
 * from its content, so that importing the same file twice stores it once either way.
 */
import { createHash } from 'node:crypto';
import type { Resource } from 'fhir/r4.js';
import { isValidId } from '../fhir/ids.js';

function contentId(resource: Resource): string {
  const hex = createHash('sha256').update(JSON.stringify(resource)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function importId(resource: Resource, fullUrl: string | undefined): string {
  if (typeof resource.id === 'string' && isValidId(resource.id)) return resource.id;
  const fromUrl = fullUrl?.startsWith('urn:uuid:') ? fullUrl.slice(9) : undefined;
  if (fromUrl && isValidId(fromUrl)) return fromUrl;
  return contentId(resource);
}

/** `Type/id`: how an import names a resource, and how issues validated ahead are matched to their entry. */
export const keyOf = (resource: Resource & { id: string }): string => `${resource.resourceType}/${resource.id}`;
