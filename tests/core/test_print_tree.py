"""The print documents' HTML is read by the standard library's tokenizer, not by
WeasyPrint's HTML5 parser (reports.weasy.parse_print_html): the tree must be the one the
HTML5 parser makes, and HTML that needs HTML5's rules must be refused, not misread."""

import pytest
import tinyhtml5

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
    # User text that looks like markup arrives escaped, and stays text.
    "<html><head></head><body><p>&lt;/p&gt;&lt;/body&gt;&lt;script&gt;x&lt;/script&gt; {{ a }} {% b %}</p></body></html>",
]


@pytest.mark.parametrize("html", DOCUMENTS)
def test_the_tree_is_the_html5_parsers(html):
    assert tree(parse_print_html(html)) == html5_tree(html)


def test_escaped_user_text_is_text():
    root = parse_print_html(DOCUMENTS[4])

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
        (page("<p>a</body>"), "</body> does not close <p>"),
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
