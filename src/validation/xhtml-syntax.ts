/**
 * Whether narrative XHTML is well-formed XML, read in one pass: it starts with a tag, every tag is closed in
 * order, a `<` opens a tag (text writes `&lt;`), and nothing but whitespace and comments follows the root. The
 * reference validator parses the div as XML and refuses what does not parse; which elements, attributes and
 * entities are allowed is narrative-rules.ts's matter.
 * @see https://hl7.org/fhir/R4/narrative.html#xhtml
 * @see https://www.w3.org/TR/xml/#sec-well-formed
 */

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
/** XML name start characters, as far as narrative uses them: letters, `_` and `:` (and any non-ASCII). */
const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c > 127;

/** The end of the name starting at `from`: the first whitespace, `/` or `>`. */
function nameEnd(s: string, from: number): number {
  let i = from;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isSpace(c) || c === 47 || c === 62) break;
    i++;
  }
  return i;
}

/** Past a comment, CDATA section or processing instruction at `i`, or -1 when `i` starts none or it is not closed. */
function skipMarkup(s: string, i: number): number {
  for (const [open, close] of [['<!--', '-->'], ['<![CDATA[', ']]>'], ['<?', '?>']]) {
    if (s.startsWith(open, i)) {
      const end = s.indexOf(close, i + open.length);
      return end < 0 ? -1 : end + close.length;
    }
  }
  return -1;
}

/** The index just past the `>` of the start tag whose attributes begin at `from`, quotes respected; -1 if unclosed. */
function tagEnd(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 62) return i + 1;
    if (c === 34 || c === 39) {
      i = s.indexOf(s[i], i + 1);
      if (i < 0) return -1;
    }
  }
  return -1;
}

/** Why `xhtml` is not well-formed XML, or undefined when it is. */
export function xhtmlSyntaxProblem(xhtml: string): string | undefined {
  const open: string[] = [];
  let rootClosed = false;
  let i = 0;
  while (i < xhtml.length) {
    const c = xhtml.charCodeAt(i);
    if (c !== 60 /* < */) {
      const next = xhtml.indexOf('<', i);
      const end = next < 0 ? xhtml.length : next;
      if (open.length === 0) {
        for (let j = i; j < end; j++) {
          if (!isSpace(xhtml.charCodeAt(j))) return rootClosed ? 'text after the root element' : `does not start with a tag (found '${xhtml.slice(j, j + 20)}')`;
        }
      }
      i = end;
      continue;
    }
    const next = xhtml.charCodeAt(i + 1);
    if (next === 33 /* ! */ || next === 63 /* ? */) {
      if (xhtml.startsWith('<!DOCTYPE', i)) return 'a DOCTYPE declaration is not allowed';
      i = skipMarkup(xhtml, i);
      if (i < 0) return 'an unclosed comment, CDATA section or processing instruction';
    } else if (next === 47 /* / */) {
      const end = nameEnd(xhtml, i + 2);
      const name = xhtml.slice(i + 2, end);
      const expected = open.pop();
      if (name !== expected) return expected ? `found '</${name}>' where '</${expected}>' was expected` : `found '</${name}>' with no element open`;
      const close = xhtml.indexOf('>', end);
      if (close < 0) return `the end tag '</${name}' is not closed`;
      i = close + 1;
      if (open.length === 0) rootClosed = true;
    } else if (isNameStart(next)) {
      if (rootClosed) return 'more than one root element';
      const end = nameEnd(xhtml, i + 1);
      const after = tagEnd(xhtml, end);
      if (after < 0) return `the tag '<${xhtml.slice(i + 1, end)}' is not closed`;
      if (xhtml.charCodeAt(after - 2) !== 47 /* /> */) open.push(xhtml.slice(i + 1, end));
      else if (open.length === 0) rootClosed = true;
      i = after;
    } else {
      return open.length ? `'<' in the content of '${open[open.length - 1]}' starts no tag (write '&lt;')` : `does not start with a tag (found '${xhtml.slice(i, i + 20)}')`;
    }
  }
  if (open.length) return `the element '${open[open.length - 1]}' is not closed`;
  return rootClosed ? undefined : 'no root element';
}
