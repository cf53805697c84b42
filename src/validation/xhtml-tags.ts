/**
 * Reading the tags of narrative XHTML without building a tree: the narrative checks need only tag names,
 * attributes and (for hyperlinks) where an element sits. Quoted attribute values may hold `>`; every pattern
 * here has disjoint alternatives, so none backtracks on a long narrative.
 */

/** An opening, closing or self-closing tag: `/` for a closing one, the name, the attribute text. */
export const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

/** One attribute: its name, then its value in double, single or no quotes. */
export const ATTRIBUTE = /([^\s=/"'>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+)))?/g;

/** The attributes of a tag's attribute text, by name (as written: XHTML names are case-sensitive). */
export function attributesOf(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [, name, double, single, bare] of text.matchAll(ATTRIBUTE)) attributes.set(name, double ?? single ?? bare ?? '');
  return attributes;
}

/** Elements that never hold content, so never stay open, even written `<br>`. */
export const VOID_ELEMENTS = new Set(['area', 'br', 'col', 'hr', 'img']);
