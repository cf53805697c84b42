/**
 * The reference index of a resource: every `reference` string anywhere in it, with the FHIRPath of the
 * Reference element (`Claim.item[0].encounter[0]`). Contained resources and contained (`#x`) references
 * are left out. The walk is iterative, so any nesting depth is safe.
 * @see https://hl7.org/fhir/R4/references.html
 */
import { parseReference } from './parse-reference.js';
import type { ReferenceLink } from './types.js';

type Json = Record<string, unknown>;

/**
 * Each visited object has a record from which its path is rebuilt only when a reference is found there:
 * parent record, element name, array index (or -1). Record 0 is the resource.
 */
interface Records {
  parent: number[];
  name: string[];
  index: number[];
}

function pathOf(resourceType: string, { parent: recordParent, name: recordName, index: recordIndex }: Records, record: number): string {
  let path = '';
  for (let r = record; r > 0; r = recordParent[r]) path = `.${recordName[r]}${recordIndex[r] >= 0 ? `[${recordIndex[r]}]` : ''}${path}`;
  return resourceType + path;
}

/** Lists the references `resource` holds (in document order, a reference nested in another's identifier first). */
export function referenceLinks(resource: object): ReferenceLink[] {
  const links: ReferenceLink[] = [];
  const resourceType = String((resource as Json).resourceType);
  const pendingNodes: Json[] = [];
  const pendingRecords: number[] = [];
  const recordParent: number[] = [0];
  const recordName: string[] = [''];
  const recordIndex: number[] = [-1];
  const all: Records = { parent: recordParent, name: recordName, index: recordIndex };
  let top = 0;
  let records = 1;
  pendingNodes[0] = resource as Json;
  pendingRecords[0] = 0;
  while (top >= 0) {
    const node = pendingNodes[top];
    const record = pendingRecords[top];
    top--;
    const reference = node.reference;
    if (typeof reference === 'string') {
      const parsed = parseReference(reference);
      if (parsed !== null) links.push({ path: pathOf(resourceType, all, record), targetType: parsed.type, targetId: parsed.id, url: parsed.url });
    }
    // for…in allocates nothing; children come off the stack last to first, hence the reverse() below.
    for (const name in node) {
      const value = node[name];
      if (value === null || typeof value !== 'object' || (record === 0 && name === 'contained')) continue;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
          recordParent[records] = record;
          recordName[records] = name;
          recordIndex[records] = i;
          pendingNodes[++top] = item as Json;
          pendingRecords[top] = records++;
        }
      } else {
        recordParent[records] = record;
        recordName[records] = name;
        recordIndex[records] = -1;
        pendingNodes[++top] = value as Json;
        pendingRecords[top] = records++;
      }
    }
  }
  return links.reverse();
}
