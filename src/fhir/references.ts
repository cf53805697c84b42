/**
 * Finding every Reference in a resource: for the reference index (src/search/reference-links.ts) and for
 * rewriting `urn:uuid:` and conditional references in bundles. The walk is iterative, so any nesting depth
 * is safe, and a path is rebuilt only for the objects that hold a reference.
 * @see https://hl7.org/fhir/R4/references.html
 */

type Json = Record<string, unknown>;

/** An object holding a `reference` string, and its FHIRPath location (`Observation.subject`), built on demand. */
export interface FoundReference {
  holder: { reference: string };
  path: () => string;
}

/** Where each visited object sits: parent record, element name, array index (or -1). Record 0 is the root. */
interface Records {
  parent: number[];
  name: string[];
  index: number[];
}

/**
 * A FoundReference whose path is a method, not a closure per reference: the sources run through tsx, whose
 * esbuild `keepNames` names every closure with a defineProperty call, which cost ~2% of a Synthea import here.
 */
class Found implements FoundReference {
  constructor(
    readonly holder: { reference: string },
    private readonly rootPath: string,
    private readonly records: Records,
    private readonly record: number,
  ) {}

  path(): string {
    let path = '';
    for (let r = this.record; r > 0; r = this.records.parent[r]) {
      path = `.${this.records.name[r]}${this.records.index[r] >= 0 ? `[${this.records.index[r]}]` : ''}${path}`;
    }
    return this.rootPath + path;
  }
}

/**
 * Every object with a string `reference` below `root`, in document order (a reference nested in another
 * Reference, such as `identifier.assigner`, comes first). `skipContained` leaves out `contained` resources.
 */
export function findReferences(root: object, rootPath: string, skipContained = false): FoundReference[] {
  const found: FoundReference[] = [];
  const records: Records = { parent: [0], name: [''], index: [-1] };
  const pendingNodes: Json[] = [root as Json];
  const pendingRecords: number[] = [0];
  let top = 0;
  let count = 1;
  while (top >= 0) {
    const node = pendingNodes[top];
    const record = pendingRecords[top];
    top--;
    if (typeof node.reference === 'string') {
      found.push(new Found(node as { reference: string }, rootPath, records, record));
    }
    // for…in allocates nothing; children come off the stack last to first, hence the reverse() below.
    for (const name in node) {
      const value = node[name];
      if (value === null || typeof value !== 'object' || (skipContained && record === 0 && name === 'contained')) continue;
      const items = Array.isArray(value) ? value : [value];
      for (let i = 0; i < items.length; i++) {
        const item: unknown = items[i];
        if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
        records.parent[count] = record;
        records.name[count] = name;
        records.index[count] = Array.isArray(value) ? i : -1;
        pendingNodes[++top] = item as Json;
        pendingRecords[top] = count++;
      }
    }
  }
  return found.reverse();
}

/** `Type?params`: a conditional reference, allowed in transactions. */
export function parseConditionalReference(reference: string): { type: string; query: string } | undefined {
  const match = /^([A-Z][A-Za-z]+)\?(.+)$/.exec(reference);
  return match ? { type: match[1], query: match[2] } : undefined;
}
