/**
 * Local links in the narrative, resolved as the HL7 reference validator resolves them: `<a href="#x">` leads to
 * an element of the resource whose `id` is x, an XHTML element with `id="x"` or an `<a name="x">` in any of its
 * narratives, or (the resource being in a Bundle) to one anywhere in that Bundle; `<img src="#x">` only to the
 * first two, in the resource itself. A link that leads nowhere is an error; one that leads to several places is
 * a warning for a hyperlink, an error for an image. An `<a href="">` links to nothing: an error too.
 * Rare in practice, so the resource is searched only when a narrative has such a link, once per validation.
 * @see https://hl7.org/fhir/R4/narrative.html#id
 */
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import { issue } from '../fhir/outcomes.js';
import { pathOf, type WalkContext } from './walk-context.js';
import { TAG, VOID_ELEMENTS, attributesOf } from './xhtml-tags.js';

/** How often each name is a target: ids of elements and XHTML elements (`fragments`), `<a name>` (`anchors`). */
interface Targets {
  fragments: Map<string, number>;
  anchors: Map<string, number>;
}

const LOCAL_OR_EMPTY_LINK = /(?:href|src)\s*=\s*(?:"#|'#|""|'')/;
/** Deeper than the element walk goes (it stops at 64 levels). */
const MAX_DEPTH = 100;

const count = (map: Map<string, number>, name: string) => map.set(name, (map.get(name) ?? 0) + 1);

function addXhtmlTargets(div: string, into: Targets): void {
  for (const [, closing, name, text] of div.matchAll(TAG)) {
    if (closing || !/\b(?:id|name)\s*=/.test(text)) continue;
    const attributes = attributesOf(text);
    const id = attributes.get('id');
    if (id !== undefined) count(into.fragments, id);
    const anchor = name === 'a' ? attributes.get('name') : undefined;
    if (anchor !== undefined) count(into.anchors, anchor);
  }
}

function addTargets(node: unknown, into: Targets, depth: number): void {
  if (node === null || typeof node !== 'object' || depth > MAX_DEPTH) return;
  if (Array.isArray(node)) {
    for (const item of node) addTargets(item, into, depth + 1);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string') {
      if (key === 'id') count(into.fragments, value);
      else if (key === 'div') addXhtmlTargets(value, into);
    } else {
      addTargets(value, into, depth + 1);
    }
  }
}

/** Targets of each resource searched in one validation (a Bundle's narratives share its targets). */
const searched = new WeakMap<WalkContext, Map<object, Targets>>();

function targetsOf(resource: object, ctx: WalkContext): Targets {
  let known = searched.get(ctx);
  if (!known) searched.set(ctx, (known = new Map()));
  let targets = known.get(resource);
  if (!targets) {
    targets = { fragments: new Map(), anchors: new Map() };
    addTargets(resource, targets, 0);
    known.set(resource, targets);
  }
  return targets;
}

/** The text a link shows, as the reference validator quotes it: tags dropped, on one line. */
function linkText(div: string, from: number): string {
  const end = div.indexOf('</a', from);
  return div
    .slice(from, end < 0 ? undefined : end)
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
}

function hyperlinkProblem(href: string, at: string, div: string, from: number, resource: object, ctx: WalkContext): OperationOutcomeIssue | undefined {
  if (href === '') return issue('error', 'invalid', `Hyperlink at '${at}' for '${linkText(div, from)}' is empty`, pathOf(ctx, '.div'));
  if (!href.startsWith('#') || href === '#') return undefined;
  const name = href.slice(1);
  const here = targetsOf(resource, ctx);
  let matches = (here.fragments.get(name) ?? 0) + (here.anchors.get(name) ?? 0);
  const root = ctx.root as { resourceType?: unknown };
  if (matches === 0 && root !== resource && root.resourceType === 'Bundle') {
    const bundle = targetsOf(root, ctx);
    matches = (bundle.fragments.get(name) ?? 0) + (bundle.anchors.get(name) ?? 0);
  }
  if (matches === 0) return issue('error', 'invalid', `Hyperlink '${href}' at '${at}' for '${linkText(div, from)}' does not resolve`, pathOf(ctx, '.div'));
  if (matches > 1) return issue('warning', 'invalid', `Hyperlink '${href}' at '${at}' for '${linkText(div, from)}' resolves to ${matches} targets`, pathOf(ctx, '.div'));
  return undefined;
}

function imageProblem(src: string, at: string, resource: object, ctx: WalkContext): OperationOutcomeIssue | undefined {
  if (!src.startsWith('#')) return undefined;
  const matches = targetsOf(resource, ctx).fragments.get(src.slice(1)) ?? 0;
  if (matches === 0) return issue('error', 'invalid', `Image source '${src}' at '${at}' does not resolve`, pathOf(ctx, '.div'));
  if (matches > 1) return issue('error', 'invalid', `Image source '${src}' at '${at}' resolves to ${matches} targets`, pathOf(ctx, '.div'));
  return undefined;
}

/** Checks the local links of the narrative `div` of `resource`, which the walk is at. */
export function checkNarrativeLinks(div: string, resource: object, ctx: WalkContext): void {
  if (!LOCAL_OR_EMPTY_LINK.test(div)) return;
  const open: string[] = [];
  for (const tag of div.matchAll(TAG)) {
    const [whole, closing, name, text] = tag;
    if (closing) {
      const at = open.lastIndexOf(name);
      if (at >= 0) open.length = at;
      continue;
    }
    const path = [...open, name].join('/');
    let problem: OperationOutcomeIssue | undefined;
    if (name === 'a' || name === 'img') {
      const attributes = attributesOf(text);
      const href = name === 'a' ? attributes.get('href') : undefined;
      const src = name === 'img' ? attributes.get('src') : undefined;
      if (href !== undefined) problem = hyperlinkProblem(href, path, div, (tag.index ?? 0) + whole.length, resource, ctx);
      else if (src !== undefined) problem = imageProblem(src, path, resource, ctx);
    }
    if (problem) ctx.issues.push(problem);
    if (!text.endsWith('/') && !VOID_ELEMENTS.has(name)) open.push(name);
  }
}
