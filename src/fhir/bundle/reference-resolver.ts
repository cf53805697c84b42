/**
 * Rewrites the references of bundle entries before they are stored: `urn:uuid:`/`urn:oid:` and other
 * fullUrls of entries become `Type/id`; absolute URLs on this server become relative; conditional references
 * (`Practitioner?identifier=sys|val`) resolve to the one matching resource in the bundle or the store.
 * Contained (`#id`) and external references stay as they are. Used by transactions, batches and $import.
 * @see https://hl7.org/fhir/R4/bundle.html#references
 */
import type { Identifier, Resource } from 'fhir/r4.js';
import type { ResourceStore } from '../../store/resource-store.js';
import { badRequest, preconditionFailed } from '../outcomes.js';
import { findReferences, parseConditionalReference } from '../references.js';
import { findConditionalMatches } from '../rest/conditional.js';

/** A resource planned by this bundle, with the id it will have, for matching conditional references. */
export interface PlannedResource {
  type: string;
  id: string;
  resource?: Resource;
}

/** What a resolver changed, for import reports. */
export interface ResolverStats {
  /** fullUrl references (`urn:uuid:` …) and absolute URLs made `Type/id`. */
  rewritten: number;
  /** Conditional references resolved to `Type/id`. */
  resolved: number;
}

const identifierKey = (type: string, system: string, value: string) => `${type}|${system}|${value}`;

/** `identifier=[system|]value` as its parts; undefined for any other query. */
function identifierQuery(query: string): { system?: string; value: string } | undefined {
  const params = new URLSearchParams(query);
  const keys = [...params.keys()];
  if (keys.length !== 1 || keys[0] !== 'identifier') return undefined;
  const wanted = params.get('identifier')!;
  const bar = wanted.indexOf('|');
  return bar < 0 ? { value: wanted } : { system: wanted.slice(0, bar), value: wanted.slice(bar + 1) };
}

export class ReferenceResolver {
  readonly stats: ResolverStats = { rewritten: 0, resolved: 0 };
  /** fullUrl → `Type/id` for every entry that has one. */
  private readonly fullUrls = new Map<string, string>();
  /** `Type|system|value` → ids of planned resources with that identifier; `Type||value` for any system. */
  private readonly plannedIdentifiers = new Map<string, Set<string>>();

  /**
   * `resolvedCache` maps conditional references to the `Type/id` they resolved to; a caller may share one
   * across the bundles of an import, since a single match in the store stays a single match while the
   * import only adds resources with other identifiers or the same id.
   */
  constructor(
    /** Without a store, conditional references are left as they are (validation ahead of the import, in a worker). */
    private readonly store: ResourceStore | undefined,
    private readonly baseUrl: string | undefined,
    private readonly resolvedCache?: Map<string, string>,
  ) {}

  /** Records what an entry will be stored as, so later references to it resolve. */
  plan(fullUrl: string | undefined, planned: PlannedResource): void {
    if (fullUrl) this.fullUrls.set(fullUrl, `${planned.type}/${planned.id}`);
    for (const identifier of (planned.resource as { identifier?: Identifier[] } | undefined)?.identifier ?? []) {
      if (typeof identifier?.value !== 'string') continue;
      for (const key of [identifierKey(planned.type, identifier.system ?? '', identifier.value), identifierKey(planned.type, '', identifier.value)]) {
        const ids = this.plannedIdentifiers.get(key) ?? new Set<string>();
        ids.add(planned.id);
        this.plannedIdentifiers.set(key, ids);
      }
    }
  }

  /** Conditional match over the bundle and the store together (a resource in both counts once). */
  async matchConditional(type: string, query: string, expression: string): Promise<string[]> {
    const wanted = identifierQuery(query);
    const ids = new Set(wanted ? this.plannedIdentifiers.get(identifierKey(type, wanted.system ?? '', wanted.value)) : undefined);
    if (this.store) for (const id of await findConditionalMatches(this.store, type, query, expression)) ids.add(id);
    return [...ids];
  }

  /** Rewrites every reference of `resource` in place; `where` is the FHIRPath of the resource. */
  async rewrite(resource: Resource, where: string): Promise<void> {
    for (const found of findReferences(resource, where)) {
      const { holder } = found;
      const reference = holder.reference;
      if (reference.startsWith('#')) continue;
      const mapped = this.fullUrls.get(reference);
      if (mapped) {
        holder.reference = mapped;
        this.stats.rewritten++;
        continue;
      }
      if (reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:')) {
        throw badRequest(`Reference "${reference}" matches no entry's fullUrl in this Bundle`, found.path());
      }
      if (this.baseUrl && reference.startsWith(`${this.baseUrl}/`)) {
        holder.reference = reference.slice(this.baseUrl.length + 1);
        this.stats.rewritten++;
        continue;
      }
      const conditional = this.store && parseConditionalReference(reference);
      if (conditional) {
        holder.reference = await this.resolveConditional(conditional.type, conditional.query, reference, found.path());
        this.stats.resolved++;
      }
    }
  }

  private async resolveConditional(type: string, query: string, reference: string, path: string): Promise<string> {
    const cached = this.resolvedCache?.get(reference);
    if (cached) return cached;
    const ids = await this.matchConditional(type, query, path);
    if (ids.length === 1) {
      const resolved = `${type}/${ids[0]}`;
      this.resolvedCache?.set(reference, resolved);
      return resolved;
    }
    const what = ids.length === 0 ? 'matches no resource' : 'matches more than one resource';
    throw preconditionFailed(`Conditional reference "${reference}" ${what}`, path);
  }
}
