"""The print documents' HTML is read by the standard library's tokenizer, not by
WeasyPrint's HTML5 parser (reports.weasy.parse_print_html): the tree must be the one the
HTML5 parser makes, and HTML that needs HTML5's rules must be refused, not misread."""

import pytest
import tinyhtml5
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.weasy import NotClosedAsWritten, parse_print_html

pytestmark = pytest.mark.core


def tree(element) -> list:
    """The element tree as a list: tags, attributes, texts and tails, in document order."""
    if not isinstance(element.tag, str):
        return [("comment",)]
    items = [(element.tag, sorted(element.attrib.items()), element.text or "")]
    for child in element:
        items.append(tree(child))
        items.append(("tail", child.tail or ""))
    return items


def html5_tree(html: str) -> list:
    return tree(tinyhtml5.parse(html, namespace_html_elements=False))


DOCUMENTS = [
    # White space before the html element, around the head and after the end.
    '<!doctype html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n<title>Plan</title>\n</head>\n'
    "<body>\n<h1>Plan</h1>\n\n</body>\n</html>\n",
    # Inline elements and the white space between them; attributes with and without values.
    '<html><head><title>t</title></head><body><p class="lead" hidden>Budget <strong>2025</strong> '
    '<span class="nowrap">8 054 000</span> kr</p></body></html>',
    # Character references, named and numbered, in text and in attributes.
    '<html><head></head><body><p title="a &amp; b &quot;c&quot;">&lt;b&gt; &amp; &#x27;x&#39; &nbsp;–&ndash;</p></body></html>',
    # Tables written in full, an image, a line break and a style sheet.
    '<html><head><style>p > b { color: red }</style></head><body><table><thead><tr><th scope="col">År</th>'
    '</tr></thead><tbody><tr><td>1</td></tr></tbody></table><img src="data:image/png;base64,AA" alt="x">'
    "<br><p>a<br/>b</p></body></html>",
    # Line ends as a browser submits them, read as HTML5 reads them (line feeds), in text
    # and in attributes.
    '<html><head><title>a\r\nb</title></head><body><p title="c\rd">e\r\nf\rg</p></body></html>',
    # White space that is not HTML's between table parts stays where it is written only
    # inside cells.
    "<html><head></head><body><table><tbody><tr><td>&nbsp;\u2003</td></tr></tbody></table></body></html>",
    # User text that looks like markup arrives escaped, and stays text.
    "<html><head></head><body><p>&lt;/p&gt;&lt;/body&gt;&lt;script&gt;x&lt;/script&gt; {{ a }} {% b %}</p></body></html>",
]


@pytest.mark.parametrize("html", DOCUMENTS)
def test_the_tree_is_the_html5_parsers(html):
    assert tree(parse_print_html(html)) == html5_tree(html)


def test_escaped_user_text_is_text():
    root = parse_print_html(DOCUMENTS[-1])

    assert root.find("body/p").text == "</p></body><script>x</script> {{ a }} {% b %}"
    assert [element.tag for element in root.iter()] == ["html", "head", "body", "p"]


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    "html, reason",
    [
        # HTML5 closes the paragraph before the div, and makes an empty one of the </p>.
        (page("<p>a<div>b</div></p>"), "<div> in a paragraph"),
        (page("<p>a<table><tbody><tr><td>1</td></tr></tbody></table></p>"), "<table> in a paragraph"),
        # HTML5 inserts a tbody, closes cells, rows and list items, and moves text out of tables.
        (page("<table><tr><td>a</td></tr></table>"), "<tr> in <table>"),
        (page("<table><tbody><tr><td>a</table>"), "</table> does not close <td>"),
        (page("<table><tbody><tr><td>a</td></tr>b</tbody></table>"), "text in <tbody>"),
        (page("<table><tbody><tr><div>a</div></tr></tbody></table>"), "<div> in <tr>"),
        (page("<div><td>a</td></div>"), "<td> in <div>"),
        (page("<ul><li>a<li>b</li></li></ul>"), "<li> in a list item"),
        (page("<dl><dt>a<dd>b</dd></dt></dl>"), "<dd> in a list item"),
        (page("<h2>a<h3>b</h3></h2>"), "<h3> in a heading"),
        (page('<a href="#a">a<a href="#b">b</a></a>'), "a link in a link"),
        # Elements in the wrong place of the document, or that HTML5 reads as text or renames.
        (page("", head="<title>a<b>c</b></title>"), "<b> in <title>"),
        (page("", head="<p>a</p>"), "<p> in <head>"),
        (page('<meta charset="utf-8">'), "<meta> in <body>"),
        (page("<svg><rect/></svg>"), "<svg> is not an element of the print documents"),
        (page("<pre>\na</pre>"), "<pre> is not an element of the print documents"),
        (page("<p>a<li>b</li></p>"), "<li> in a paragraph"),
        (page("<div><p>a<span><dd>b</dd></span></p></div>"), "<dd> in a paragraph"),
        (page("<p>a</body>"), "</body> does not close <p>"),
        # Comments, which the standard library ends where HTML5 does not, and declarations.
        (page("<p>a<!--->b</p><p>c<!-- -->d</p>"), "a comment, a declaration or a bare <"),
        (page("<p>a<!-- x --!>b</p>"), "a comment, a declaration or a bare <"),
        (page("", head="<title>Plan <!-- x --> 2025</title>"), "a comment, a declaration or a bare <"),
        (page("<p>a<?pi?>b</p>"), "a comment, a declaration or a bare <"),
        (page("<p>a<![endif]>b</p>"), "a comment, a declaration or a bare <"),
        (page("<p>a</ p>b<//p></p>"), "a comment, a declaration or a bare <"),
        (page("<!doctype html>"), "a comment, a declaration or a bare <"),
        ("<!doctype html><!doctype html>" + page(""), "a comment, a declaration or a bare <"),
        # End tags of elements without content: HTML5 reads </br> as <br>.
        (page("<p>a<br>b</br>c</p>"), "</br> closes an element without content"),
        (page('<p>a<img src="x" alt=""></img></p>'), "</img> closes an element without content"),
        # HTML5 keeps the first of twice-written attributes; entities without semicolons and
        # NUL characters are read otherwise.
        (page('<p class="a" class="b">x</p>'), "an attribute written twice in <p>"),
        (page('<a href="?x=1&sect=2">x</a>'), "a character reference without its semicolon, or a bare &"),
        (page("<p>&copy 2025 &ampx</p>"), "a character reference without its semicolon, or a bare &"),
        (page("<p>a\0b</p>"), "a NUL character, which HTML5 drops"),
        # Text that is not HTML's white space where HTML5 moves it.
        (page("<table><tbody><tr>&nbsp;<td>x</td></tr></tbody></table>"), "text in <tr>"),
        (page("", head="&nbsp;<title>t</title>"), "text in <head>"),
        (page("") + "<html></html>", "<html> after the html element"),
        (page("", head='<base href="https://example.org/">'), "<base> is not an element of the print documents"),
        ("<html><head></head><body><p>a</p>", "<body> is not closed"),
        (page("<div/>"), "<div/> is not an element without content"),
        ("<html><body><p>a</p></body></html>", "not an html element of a head and a body"),
        ("<html><head></head><body><html></html></body></html>", "<html> in <body>"),
        ("<html><head></head><head></head><body></body></html>", "not an html element of a head and a body"),
        ("<p>a</p>", "<p> outside the html element"),
        (page("") + "text", "text outside the html element"),
        ("<html>text<head></head><body></body></html>", "text in <html>"),
    ],
)
def test_html_that_needs_html5s_rules_is_refused(html, reason):
    with pytest.raises(NotClosedAsWritten) as refused:
        parse_print_html(html)

    assert str(refused.value) == reason


# Any nesting of the elements, text and white space the print documents are made of: the
# fast reader either refuses the document or reads the tree HTML5 reads.
_TAGS = ["p", "div", "span", "a", "h2", "h3", "ul", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th",
         "td", "caption", "br", "img", "ins", "strong", "section", "title"]  # fmt: skip
_TEXTS = st.sampled_from(["", " ", "\n  ", "a", "8 054 000", "&amp;", "&lt;b&gt;", "&nbsp;", "x\r\ny", "\u2003"])


def _nested(tags: list[str], text: str, attribute: str) -> str:
    """Each tag inside the one before it, the text in the innermost."""
    html = text
    for tag in reversed(tags):
        attributes = f' class="{attribute}"' if attribute else ""
        html = f"<{tag}{attributes}>" + ("" if tag in ("br", "img") else f"{html}</{tag}>")
    return html


_CHAIN = st.builds(
    _nested, st.lists(st.sampled_from(_TAGS), min_size=1, max_size=4), _TEXTS, st.sampled_from(["", "a &amp; b"])
)
_CONTENT = st.lists(st.one_of(_TEXTS, _CHAIN), min_size=1, max_size=3).map("".join)


@settings(max_examples=500)
@given(_CONTENT, _CONTENT)
def test_any_nesting_is_refused_or_read_as_html5_reads_it(outer, inner):
    # A chain with another inside its innermost element, and text around.
    html = page(outer.replace("</", inner + "</", 1) if "</" in outer else outer + inner)
    try:
        fast = parse_print_html(html)
    except NotClosedAsWritten:
        return
    assert tree(fast) == html5_tree(html)


def test_every_element_inside_every_other_is_refused_or_read_as_html5_reads_it():
    differing = []
    for outer in _TAGS:
        for inner in _TAGS:
            for text in ("", "b"):
                html = page(_nested([outer], "a" + _nested([inner], text, "") + "c", ""))
                try:
                    fast = parse_print_html(html)
                except NotClosedAsWritten:
                    continue
                if tree(fast) != html5_tree(html):
                    differing.append((outer, inner, text))
    assert differing == []
