/**
 * txt-1 and txt-2, Narrative constraints whose FHIRPath (`htmlChecks()`) names a function only the reference
 * validator has: the XHTML is one `div` in the XHTML namespace, holding only the basic formatting elements of
 * HTML 4, well-formed XML entities, no event handlers or scripts (txt-1), and some non-whitespace content or
 * an image (txt-2), as the reference validator judges them. Its local links are narrative-links.ts's.
 * @see https://hl7.org/fhir/R4/narrative.html#xhtml
 */
import { issue } from '../fhir/outcomes.js';
import { checkNarrativeLinks } from './narrative-links.js';
import { pathOf, type WalkContext } from './walk-context.js';
import { ATTRIBUTE, TAG } from './xhtml-tags.js';
import { xhtmlSyntaxProblem } from './xhtml-syntax.js';

const ALLOWED = new Set(
  ('a abbr acronym address area b bdo big blockquote br caption cite code col colgroup dd dfn div dl dt em h1 h2 h3 h4 ' +
    'h5 h6 hr i img kbd li map ol p pre q samp small span strong sub sup table tbody td tfoot th thead tr tt ul var').split(' '),
);
const SCRIPT_URL = /(?:href|src)\s*=\s*["']?\s*javascript:/i;

/**
 * The attributes of HTML 4's basic formatting, as the reference validator lists them: these on any element,
 * namespace declarations, `xml:space` (it only hints at that one), and the rest on their own element only. Event
 * handlers (`onclick`) are none of them.
 */
const ANY_ELEMENT_ATTRIBUTES = new Set(
  ('title style class id lang xml:lang xml:space dir accesskey tabindex span width align valign char charoff abbr axis ' +
    'headers scope rowspan colspan').split(' '),
);
const ELEMENT_ATTRIBUTES = new Set(
  ('a.href a.name a.charset a.type a.hreflang a.rel a.rev a.shape a.coords img.src img.border img.alt img.longdesc ' +
    'img.height img.width img.usemap img.ismap div.xmlns blockquote.cite q.cite map.name area.shape area.coords ' +
    'area.href area.nohref area.alt table.summary table.width table.border table.frame table.rules table.cellspacing ' +
    'table.cellpadding pre.space td.nowrap').split(' '),
);

/** The first attribute of a tag that the narrative may not carry. */
function disallowedAttribute(element: string, attributes: string): string | undefined {
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(attributes); m !== null; m = ATTRIBUTE.exec(attributes)) {
    const name = m[1];
    if (!name.startsWith('xmlns') && !ANY_ELEMENT_ATTRIBUTES.has(name) && !ELEMENT_ATTRIBUTES.has(`${element}.${name}`)) return name;
  }
  return undefined;
}

/** XML knows five named entities; XHTML's others (`&reg;`) need a DTD that FHIR narrative does not load. */
const ENTITY = /&(?!(?:lt|gt|amp|quot|apos|#\d+|#x[0-9A-Fa-f]+);)([^;\s&]{0,16});?/;

/** Why the narrative XHTML breaks txt-1, or undefined. */
function txt1Problem(div: string): string | undefined {
  const entity = ENTITY.exec(div);
  if (entity) return `invalid entity '${entity[0]}'`;
  for (const [, closing, name, attributes] of div.matchAll(TAG)) {
    if (closing) continue;
    const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
    if (!ALLOWED.has(local.toLowerCase())) return `element '${local}' is not allowed`;
    const attribute = attributes.length > 1 ? disallowedAttribute(local, attributes) : undefined;
    if (attribute) return `attribute '${attribute}' is not allowed on '${local}'`;
    if (SCRIPT_URL.test(attributes)) return `element '${local}' links to a script`;
  }
  return undefined;
}

const ROOT = /^\s*<([A-Za-z][\w:.-]*)([^>]*)>/;
const XHTML_NAMESPACE = /\sxmlns\s*=\s*(["'])http:\/\/www\.w3\.org\/1999\/xhtml\1/;

/** What is wrong with the root element: its name, or its namespace. */
function rootProblem(div: string): string | undefined {
  const root = ROOT.exec(div);
  if (!root) return undefined;
  if (root[1] !== 'div') return `Wrong name on the XHTML ('${root[1]}') - must start with div`;
  if (!XHTML_NAMESPACE.test(root[2])) return `Wrong namespace on the XHTML, should be 'http://www.w3.org/1999/xhtml'`;
  return undefined;
}

/** txt-2: some text outside the tags (entities count as text), or an image; tested in place, as it runs on every narrative. */
const TEXT = /(?:^|>)[^<]*[^\s<]/;
const hasContent = (div: string) => TEXT.test(div) || /<img[\s>/]/i.test(div);

/** Checks Narrative.div of the Narrative the walk is at. */
export function checkNarrative(node: Record<string, unknown>, ctx: WalkContext, resource: object): void {
  const div = node.div;
  if (typeof div !== 'string') return;
  // What does not parse has no elements or text to judge further.
  const syntax = xhtmlSyntaxProblem(div);
  if (syntax) {
    ctx.issues.push(issue('error', 'structure', `Error parsing XHTML: ${syntax}`, pathOf(ctx, '.div')));
    return;
  }
  const root = rootProblem(div);
  if (root) ctx.issues.push(issue('error', 'structure', root, pathOf(ctx, '.div')));
  if (!hasContent(div)) ctx.issues.push(issue('error', 'invariant', 'txt-2: The narrative SHALL have some non-whitespace content', pathOf(ctx, '.div')));
  const problem = txt1Problem(div);
  if (problem) ctx.issues.push(issue('error', 'invariant', `txt-1: The narrative SHALL contain only the basic html formatting elements and attributes (${problem})`, pathOf(ctx, '.div')));
  checkNarrativeLinks(div, resource, ctx);
}
