/**
 * Rewrites the references of bundle entries before they are stored: `urn:uuid:`/`urn:oid:` and other
 * fullUrls of entries become `Type/id`; absolute URLs on this server become relative; conditional references
 * (`Practitioner?identifier=sys|val`) resolve to the one matching resource in the bundle or the store.
 * Contained (`#id`) and external references stay as they are. Used by transactions, batches and $import.
 * @see https://hl7.org/fhir/R4/bundle.html#references
 */
import type { Identifier, Resource } from 'fhir/r4.js';
import type { ResourceStore, TypedIdentifier } from '../../store/resource-store.js';
import { badRequest, preconditionFailed } from '../outcomes.js';
import { findReferences, parseConditionalReference } from '../references.js';
import { findConditionalMatches, identifierCondition } from '../rest/conditional.js';

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

/**
 * A condition's cache key, and the identifier it names when it is identifier-only: the identifier itself, so
 * `Practitioner?identifier=s|v` as a reference and `identifier=s|v` as an ifNoneExist share one answer.
 */
function condition(type: string, query: string): { key: string; identifier?: { system: string | null; value: string } } {
  let identifier: { system: string | null; value: string } | undefined;
  try {
    identifier = identifierCondition(type, query);
  } catch {
    // Not a valid search: the match itself reports it, where the entry is known.
  }
  return identifier ? { key: JSON.stringify([type, identifier.system, identifier.value]), identifier } : { key: `${type}?${query}` };
}

const isResourceLike = (r: unknown): r is Resource => typeof r === 'object' && r !== null && typeof (r as { resourceType?: unknown }).resourceType === 'string';

export class ReferenceResolver {
  readonly stats: ResolverStats = { rewritten: 0, resolved: 0 };
  /** fullUrl → `Type/id` for every entry that has one. */
  private readonly fullUrls = new Map<string, string>();
  /** `Type|system|value` → ids of planned resources with that identifier; `Type||value` for any system. */
  private readonly plannedIdentifiers = new Map<string, Set<string>>();
  /** The store's matches of identifier-only conditions, looked up ahead (prefetch), by condition key. */
  private readonly storeAnswers = new Map<string, string[]>();

  /**
   * `resolvedCache` maps conditions (see `condition`) to the one `Type/id` they matched; a caller may share one
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

  /**
   * Looks up in one query the store's matches of every identifier-only condition of these entries
   * (ifNoneExist and conditional references) not answered yet, for the matches that follow. Where each lookup
   * costs a collection scan (FerretDB v1), one per entry made the larger part of a Synthea import.
   */
  async prefetch(entries: { resource: unknown; ifNoneExist?: string }[]): Promise<void> {
    if (!this.store) return;
    const wanted = new Map<string, TypedIdentifier>();
    const want = (type: string, query: string) => {
      const { key, identifier } = condition(type, query);
      if (identifier && !this.resolvedCache?.has(key) && !this.storeAnswers.has(key)) wanted.set(key, { resourceType: type, ...identifier });
    };
    for (const { resource, ifNoneExist } of entries) {
      if (!isResourceLike(resource)) continue;
      if (ifNoneExist !== undefined) want(resource.resourceType, ifNoneExist.replace(/^[^?]*\?/, ''));
      for (const found of findReferences(resource, resource.resourceType)) {
        const conditional = parseConditionalReference(found.holder.reference);
        if (conditional) want(conditional.type, conditional.query);
      }
    }
    if (wanted.size === 0) return;
    const answers = await this.store.findByIdentifiers([...wanted.values()]);
    [...wanted.keys()].forEach((key, i) => this.storeAnswers.set(key, answers[i].slice(0, 2)));
  }

  /** Conditional match over the bundle and the store together (a resource in both counts once). */
  async matchConditional(type: string, query: string, expression: string): Promise<string[]> {
    const wanted = identifierQuery(query);
    const ids = new Set(wanted ? this.plannedIdentifiers.get(identifierKey(type, wanted.system ?? '', wanted.value)) : undefined);
    if (this.store) for (const id of await this.storeMatches(type, query, expression)) ids.add(id);
    return [...ids];
  }

  private async storeMatches(type: string, query: string, expression: string): Promise<string[]> {
    const { key } = condition(type, query);
    const cached = this.resolvedCache?.get(key);
    if (cached) return [cached.slice(type.length + 1)];
    return this.storeAnswers.get(key) ?? findConditionalMatches(this.store as ResourceStore, type, query, expression);
  }

  /**
   * Records that an identifier-only condition has this one match (an entry created for its ifNoneExist, or
   * matched by it), for the units that follow.
   */
  remember(type: string, query: string, id: string): void {
    const { key, identifier } = condition(type, query);
    if (identifier) this.resolvedCache?.set(key, `${type}/${id}`);
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
    const { key } = condition(type, query);
    const cached = this.resolvedCache?.get(key);
    if (cached) return cached;
    const ids = await this.matchConditional(type, query, path);
    if (ids.length === 1) {
      const resolved = `${type}/${ids[0]}`;
      this.resolvedCache?.set(key, resolved);
      return resolved;
    }
    const what = ids.length === 0 ? 'matches no resource' : 'matches more than one resource';
    throw preconditionFailed(`Conditional reference "${reference}" ${what}`, path);
  }
}
