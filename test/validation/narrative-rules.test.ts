import { validateResource } from '../../src/validation/validate-resource.js';

const errors = (r: unknown) => validateResource(r).filter((i) => i.severity === 'error' || i.severity === 'fatal');
const brief = (r: unknown) => errors(r).map((i) => [i.severity, i.expression?.[0], i.diagnostics]);
const patient = (html: string, more: object = {}) => ({
  resourceType: 'Patient',
  text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${html}</div>` },
  ...more,
});

describe('narrative XHTML: the elements and attributes of txt-1', () => {
  it('refuses an attribute HTML 4 formatting does not have, or one on an element it does not belong to', () => {
    expect(brief(patient('<p foo="bar">Text</p>'))).toEqual([
      ['error', 'Patient.text.div', "txt-1: The narrative SHALL contain only the basic html formatting elements and attributes (attribute 'foo' is not allowed on 'p')"],
    ]);
    expect(brief(patient('<p href="http://x.org">Text</p>'))[0]?.[2]).toContain("attribute 'href' is not allowed on 'p'");
    expect(brief(patient('<p onclick="go()">Text</p>'))[0]?.[2]).toContain("attribute 'onclick' is not allowed on 'p'");
  });

  it('accepts the formatting attributes, on any element or on their own', () => {
    const html =
      '<p class="c" style="color: red" id="top" lang="en" xml:lang="en" title="t">Text <a href="http://x.org" name="n" rel="x">x</a></p>' +
      '<table border="1" cellpadding="2"><tr><td colspan="2" nowrap="nowrap">x</td></tr></table><img src="http://x.org/a.png" alt="a" width="2"/>' +
      '<pre xml:space="preserve">x</pre><address>x</address><kbd>x</kbd>';
    expect(errors(patient(html))).toEqual([]);
  });
});
