/**
 * Rewrites the references of bundle entries before they are stored: `urn:uuid:`/`urn:oid:` and other
 * fullUrls of entries become `Type/id`; absolute URLs on this server become relative; conditional references
 * (`Practitioner?identifier=sys|val`) resolve to the one matching resource in the bundle or the store.
 * Contained (`#id`) and external references stay as they are.
 * @see https://hl7.org/fhir/R4/bundle.html#references
 */
import type { Identifier, Resource } from 'fhir/r4.js';
import type { ResourceStore } from '../../store/resource-store.js';
import { preconditionFailed, badRequest } from '../outcomes.js';
import { findReferences, parseConditionalReference } from '../references.js';
import { findConditionalMatches } from '../rest/conditional.js';

/** A resource planned by this bundle, with the id it will have, for matching conditional references. */
export interface PlannedResource {
  type: string;
  id: string;
  resource?: Resource;
}

export class ReferenceResolver {
  /** fullUrl → `Type/id` for every entry that has one. */
  private readonly fullUrls = new Map<string, string>();
  private readonly planned: PlannedResource[] = [];

  constructor(
    private readonly store: ResourceStore,
    private readonly baseUrl: string,
  ) {}

  /** Records what an entry will be stored as, so later references to it resolve. */
  plan(fullUrl: string | undefined, planned: PlannedResource): void {
    if (fullUrl) this.fullUrls.set(fullUrl, `${planned.type}/${planned.id}`);
    this.planned.push(planned);
  }

  /** The planned resources of `type` whose identifiers match an `identifier=` query, if it is one. */
  matchPlanned(type: string, query: string): PlannedResource[] | undefined {
    const params = new URLSearchParams(query);
    const keys = [...params.keys()];
    if (keys.length !== 1 || keys[0] !== 'identifier') return undefined;
    const wanted = params.get('identifier')!;
    const bar = wanted.indexOf('|');
    const system = bar < 0 ? undefined : wanted.slice(0, bar);
    const value = bar < 0 ? wanted : wanted.slice(bar + 1);
    const matches = (i: Identifier) => i.value === value && (system === undefined || (i.system ?? '') === system);
    return this.planned.filter((p) => p.type === type && ((p.resource as { identifier?: Identifier[] })?.identifier ?? []).some(matches));
  }

  /** Conditional match over the bundle and the store together (a resource in both counts once). */
  async matchConditional(type: string, query: string, expression: string): Promise<string[]> {
    const ids = new Set((this.matchPlanned(type, query) ?? []).map((p) => p.id));
    for (const r of await findConditionalMatches(this.store, type, query, expression)) ids.add(r.id);
    return [...ids];
  }

  /** Rewrites every reference of `resource` in place; `where` is the entry's resource path. */
  async rewrite(resource: Resource, where: string): Promise<void> {
    for (const { holder, path: pathOf } of findReferences(resource, where)) {
      const path = pathOf();
      const reference = holder.reference;
      if (reference.startsWith('#')) continue;
      const mapped = this.fullUrls.get(reference);
      if (mapped) {
        holder.reference = mapped;
        continue;
      }
      if (reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:')) {
        throw badRequest(`Reference "${reference}" matches no entry's fullUrl in this Bundle`, path);
      }
      if (reference.startsWith(`${this.baseUrl}/`)) {
        holder.reference = reference.slice(this.baseUrl.length + 1);
        continue;
      }
      const conditional = parseConditionalReference(reference);
      if (conditional) holder.reference = await this.resolveConditional(conditional.type, conditional.query, reference, path);
    }
  }

  private async resolveConditional(type: string, query: string, reference: string, path: string): Promise<string> {
    const ids = await this.matchConditional(type, query, path);
    if (ids.length === 1) return `${type}/${ids[0]}`;
    const what = ids.length === 0 ? 'matches no resource' : 'matches more than one resource';
    throw preconditionFailed(`Conditional reference "${reference}" ${what}`, path);
  }
}
