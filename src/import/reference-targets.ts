/**
 * Whether the targets of an imported resource's references exist: in the unit being imported, among
 * resources this import already wrote or saw, or in the store. Missing targets are errors in strict mode
 * and warnings in lenient mode; contained (`#x`) and external (absolute URL) references are not checked.
 * @see https://hl7.org/fhir/R4/references.html
 */
import type { OperationOutcomeIssue, Resource } from 'fhir/r4.js';
import { issue, OperationOutcomeError } from '../fhir/outcomes.js';
import { findReferences } from '../fhir/references.js';
import { parseReference } from '../search/parse-reference.js';
import type { ResourceStore } from '../store/resource-store.js';

/**
 * Whether a failed store read says the resource is not there (404) or deleted (410). Any other failure (a
 * store that cannot be reached, a read past its time limit) is no answer about the resource and must not be
 * reported as a dangling reference.
 */
export function isAbsence(err: unknown): boolean {
  return err instanceof OperationOutcomeError && (err.status === 404 || err.status === 410);
}

/** Bounded so an import of millions of resources keeps bounded memory; a miss only costs a store read. */
const MAX_KNOWN = 200_000;

export class ReferenceTargets {
  private readonly known = new Set<string>();

  constructor(private readonly store: ResourceStore) {}

  /** Records resources that exist (written or planned), so references to them need no store read. */
  remember(key: string): void {
    if (this.known.size >= MAX_KNOWN) this.known.clear();
    this.known.add(key);
  }

  private async exists(type: string, id: string, planned: ReadonlySet<string>): Promise<boolean> {
    const key = `${type}/${id}`;
    if (planned.has(key) || this.known.has(key)) return true;
    try {
      await this.store.read(type, id);
      this.remember(key);
      return true;
    } catch (err) {
      if (isAbsence(err)) return false;
      throw err;
    }
  }

  /** Issues for references of `resource` whose target is nowhere; `planned` holds the unit's `Type/id` keys. */
  async check(resource: Resource, planned: ReadonlySet<string>, severity: 'error' | 'warning'): Promise<OperationOutcomeIssue[]> {
    const issues: OperationOutcomeIssue[] = [];
    for (const found of findReferences(resource, resource.resourceType)) {
      const target = parseReference(found.holder.reference);
      if (!target?.type || !target.id) continue;
      if (!(await this.exists(target.type, target.id, planned))) {
        issues.push(issue(severity, 'not-found', `Reference to ${target.type}/${target.id}: no such resource in the import or the store`, found.path()));
      }
    }
    return issues;
  }
}
