"""WeasyPrint for the print documents, and nothing of Django: HTML in, tagged PDF out.

The plan PDF, the appendix of changes and the tertial report are made the same way:
their HTML is rendered from templates first (charts included, as data URIs, or handed to
the render process while it runs: `LATE_SCHEME`), and this module lays it out with the
print stylesheets and the shipped fonts. The task worker does
that in a render process of its own (`reports.services.render_isolated`), forked from a
small server process that imports only this module and WeasyPrint, so a render starts at a
fraction of the worker's size, and ends with its memory.

Nothing is fetched over the network while rendering: the only resources are the print
stylesheets and the fonts under static/, served by `local_files_fetcher`, data URIs and
the late resources the worker hands over.
"""

from __future__ import annotations

import atexit
import gc
import mimetypes
import re
import resource
import time
import traceback
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree.ElementTree import Element, TreeBuilder

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
# The plan PDF's stylesheet, which every print document starts from; names are under static/.
PRINT_CSS = "reports/print.css"
PRINT_STYLESHEETS = (PRINT_CSS,)
# A tagged PDF for accessibility: the structure tree (headings, lists, tables with their
# headers, figures with their alternative text), the language and the title as the window title.
PDF_VARIANT = "pdf/ua-1"


# URLs of resources a render process is handed after it has started (`late:costs`): the
# charts, which the worker draws while the render process reads and styles the document.
LATE_SCHEME = "late:"
# In a render process handed late resources: name -> (content, media type), waiting for it.
_late_resource = None


def local_files_fetcher():
    """A WeasyPrint URL fetcher that serves files under static/, data URIs and late resources,
    and refuses every other URL."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_dir = STATIC_DIR.resolve()

    class LocalFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                # The charts: decoded here, nothing is fetched.
                return super().fetch(url, headers)
            if url.startswith(LATE_SCHEME) and _late_resource is not None:
                content, media_type = _late_resource(url.removeprefix(LATE_SCHEME))
                return URLFetcherResponse(url, content, {"Content-Type": media_type})
            if not url.startswith("file:"):
                raise ValueError(f"refused to fetch {url}: only local static files are used")
            path = Path(URLFetcherResponse(url).path or "").resolve()
            if not path.is_relative_to(static_dir) or not path.is_file():
                raise ValueError(f"refused to fetch {url}: not a static file")
            content_type = "font/woff2" if path.suffix == ".woff2" else mimetypes.guess_type(path.name)[0]
            return URLFetcherResponse(
                url, path.read_bytes(), {"Content-Type": content_type or "application/octet-stream"}
            )

    return LocalFilesFetcher()


@contextmanager
def without_cycle_collection():
    """WeasyPrint makes millions of short-lived objects, and the cyclic garbage collector
    scanning them costs a fifth of the rendering time (9.3 s against 7.4 s for a plan with
    100 interventions, for 10 MB more memory). Reference counting still frees nearly all
    of them; the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _print_user_agent_stylesheet():
    """WeasyPrint's user agent stylesheet, less what the print documents never use.

    Its rules for `::marker` and the footnote and note pseudo-elements match every
    element, so WeasyPrint computes six pseudo-element styles for each table cell, each
    row and each paragraph: nine in ten of a large plan's styles, a third of the memory
    of its render. Only list items have markers here, and there are no footnotes or notes.
    """
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    marker_rule = "\n::marker {"
    note_rules = re.compile(r"^::(?:footnote|note)-[a-z-]+ \{[^}\n]*\}$", re.MULTILINE)
    if UA.count(marker_rule) != 1 or len(note_rules.findall(UA)) != 5:
        # WeasyPrint is pinned; a new version's stylesheet is to be looked at again.
        raise RuntimeError("WeasyPrint's user agent stylesheet is not the one expected")
    text = note_rules.sub("", UA.replace(marker_rule, "\nli::marker {"))
    # Its counter styles are WeasyPrint's own, which every document gets anyway.
    return CSS(string=text, counter_style=CounterStyle())


# Elements without an end tag.
_VOID_ELEMENTS = frozenset({"br", "col", "hr", "img", "link", "meta"})
# The elements the print documents are written with, each read by HTML5 as written where
# the rules below hold. Any other element leaves the document to the HTML5 parser.
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements whose start closes an open paragraph in HTML5.
_CLOSING_A_PARAGRAPH = _HEADINGS | {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "header", "hr", "li", "main", "nav", "ol", "p", "section", "table", "ul",
}  # fmt: skip
_PHRASING = frozenset(
    {"a", "abbr", "b", "br", "del", "em", "i", "img", "ins", "small", "span", "strong", "sub", "sup", "time"}
)
_LISTS = frozenset({"ul", "ol", "li", "dl", "dt", "dd"})
# Table parts and what HTML5 lets each hold without moving or inserting anything.
_TABLE_CHILDREN = {
    "table": frozenset({"caption", "colgroup", "thead", "tbody", "tfoot"}),
    "colgroup": frozenset({"col"}),
    "thead": frozenset({"tr"}),
    "tbody": frozenset({"tr"}),
    "tfoot": frozenset({"tr"}),
    "tr": frozenset({"th", "td"}),
}
_TABLE_PARENTS = {child: parent for parent, children in _TABLE_CHILDREN.items() for child in children}
# (Not <base>, which WeasyPrint reads only from its own parser's tree.)
_HEAD_CHILDREN = frozenset({"meta", "title", "link", "style"})
# White space as HTML counts it (str.isspace counts more, a no-break space among them).
_HTML_SPACE = " \t\n\f\r"
# A character reference HTML5 and the standard library both decode alike: with its semicolon.
_AMPERSAND_NOT_A_REFERENCE = re.compile(r"&(?!(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")
# A < that starts neither a tag nor an end tag: comments, declarations and the like, which
# the standard library reads otherwise than HTML5 (some as text); none past the doctype in
# the print templates, where user text has every < escaped.
_LESS_THAN_NOT_A_TAG = re.compile(r"<(?![A-Za-z]|/[A-Za-z])")
_DOCTYPE = re.compile(r"[ \t\n\f\r]*<!doctype html>", re.IGNORECASE)
_KNOWN = (
    _CLOSING_A_PARAGRAPH | _PHRASING | _LISTS | _HEAD_CHILDREN | _TABLE_PARENTS.keys() | {"html", "head", "body", "td"}
)


class NotClosedAsWritten(ValueError):
    """The HTML leaves something for the HTML5 parser's rules to settle."""


class _PrintTreeParser(HTMLParser):
    """The element tree of a print document's HTML, by the standard library's tokenizer.

    WeasyPrint parses HTML with a pure-Python HTML5 parser, which takes a twelfth of a large
    plan's render (0.49 s for 100 interventions, where this takes 0.07 s). The difference is
    HTML5's tree construction: implied end tags, a table's implied tbody, content moved out
    of tables and heads. The print templates need none of it: they close every element they
    open, in order, with tables written in full. This parser reads only such HTML, of the
    elements the templates use, and raises `NotClosedAsWritten` at anything HTML5 would read
    otherwise, so that the HTML5 parser reads that document instead. The tests hold the two
    trees equal for every print document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self._builder = TreeBuilder()
        self._open: list[str] = []
        # White space after </html>, which HTML5 puts at the body's end (before <html> it drops it).
        self._after_html = ""
        self._html_closed = False
        self._seen_doctype = False

    def handle_starttag(self, tag, attrs):
        self._check_start(tag)
        attributes = {name: value or "" for name, value in attrs}
        if len(attributes) != len(attrs):
            # HTML5 keeps the first of an attribute written twice, this parser the last.
            raise NotClosedAsWritten(f"an attribute written twice in <{tag}>")
        self._builder.start(tag, attributes)
        if tag in _VOID_ELEMENTS:
            self._builder.end(tag)
        else:
            self._open.append(tag)

    def _check_start(self, tag):
        open_elements, parent = self._open, self._open[-1] if self._open else None
        if self._html_closed:
            raise NotClosedAsWritten(f"<{tag}> after the html element")
        if tag not in _KNOWN:
            raise NotClosedAsWritten(f"<{tag}> is not an element of the print documents")
        if parent is None and tag != "html":
            raise NotClosedAsWritten(f"<{tag}> outside the html element")
        if (parent is None) != (tag == "html") or (parent == "html") != (tag in ("head", "body")):
            raise NotClosedAsWritten(f"<{tag}> in <{parent}>")
        if (parent == "head") != (tag in _HEAD_CHILDREN) or parent == "title":
            raise NotClosedAsWritten(f"<{tag}> in <{parent}>")
        if tag in _CLOSING_A_PARAGRAPH and "p" in open_elements:
            raise NotClosedAsWritten(f"<{tag}> in a paragraph")
        if tag in _HEADINGS and _HEADINGS.intersection(open_elements):
            raise NotClosedAsWritten(f"<{tag}> in a heading")
        if tag == "a" and "a" in open_elements:
            raise NotClosedAsWritten("a link in a link")
        if tag in ("li", "dt", "dd"):
            since_list = open_elements[_last_index(open_elements, ("ul", "ol", "dl")) + 1 :]
            if {"li", "dt", "dd"}.intersection(since_list):
                raise NotClosedAsWritten(f"<{tag}> in a list item")
        if (parent in _TABLE_CHILDREN or tag in _TABLE_PARENTS) and tag not in _TABLE_CHILDREN.get(parent, ()):
            raise NotClosedAsWritten(f"<{tag}> in <{parent}>")

    def handle_startendtag(self, tag, attrs):
        if tag not in _VOID_ELEMENTS:
            raise NotClosedAsWritten(f"<{tag}/> is not an element without content")
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _VOID_ELEMENTS:
            # HTML5 reads </br> as <br> and drops the others.
            raise NotClosedAsWritten(f"</{tag}> closes an element without content")
        if not self._open or self._open[-1] != tag:
            raise NotClosedAsWritten(f"</{tag}> does not close <{self._open[-1] if self._open else ''}>")
        self._open.pop()
        self._builder.end(tag)
        self._html_closed = not self._open

    def handle_data(self, data):
        parent = self._open[-1] if self._open else None
        blank = not data.strip(_HTML_SPACE)
        if parent is None:
            if not blank:
                raise NotClosedAsWritten("text outside the html element")
            if self._html_closed:
                self._after_html += data
            return
        if not blank and (parent in _TABLE_CHILDREN or parent in ("html", "head")):
            raise NotClosedAsWritten(f"text in <{parent}>")
        self._builder.data(data)

    def handle_decl(self, decl):
        if self._open or self._html_closed or self._seen_doctype or decl.lower() != "doctype html":
            raise NotClosedAsWritten(f"<!{decl}> where HTML5 reads it otherwise")
        self._seen_doctype = True

    # Comments, processing instructions and other declarations are refused before reading
    # (`_LESS_THAN_NOT_A_TAG`); these keep the standard library from dropping one silently
    # should that check ever let one through.
    def handle_comment(self, data):
        raise NotClosedAsWritten("a comment")

    def handle_pi(self, data):
        raise NotClosedAsWritten("a processing instruction")

    def unknown_decl(self, data):
        raise NotClosedAsWritten(f"<![{data}]>")

    def parse(self, string: str) -> Element:
        if "\0" in string:
            raise NotClosedAsWritten("a NUL character, which HTML5 drops")
        if _AMPERSAND_NOT_A_REFERENCE.search(string):
            raise NotClosedAsWritten("a character reference without its semicolon, or a bare &")
        doctype = _DOCTYPE.match(string)
        if _LESS_THAN_NOT_A_TAG.search(string, doctype.end() if doctype else 0):
            raise NotClosedAsWritten("a comment, a declaration or a bare <")
        # HTML5 reads every line end as a line feed before anything else.
        string = string.replace("\r\n", "\n").replace("\r", "\n")
        self.feed(string)
        self.close()
        if self._open:
            raise NotClosedAsWritten(f"<{self._open[-1]}> is not closed")
        root = self._builder.close()
        if root.tag != "html" or [child.tag for child in root] != ["head", "body"]:
            raise NotClosedAsWritten("not an html element of a head and a body")
        # Where HTML5 puts the white space around the head and the body: none before the
        # head, and what follows the body at the body's end.
        root.text = None
        body = root[1]
        trailing, body.tail = (body.tail or "") + self._after_html, None
        if trailing and len(body):
            body[-1].tail = (body[-1].tail or "") + trailing
        elif trailing:
            body.text = (body.text or "") + trailing
        return root


def _last_index(items: list[str], wanted: tuple[str, ...]) -> int:
    return max((index for index, item in enumerate(items) if item in wanted), default=-1)


def parse_print_html(string: str) -> Element:
    """A print document's element tree (`_PrintTreeParser`); `NotClosedAsWritten` when the
    HTML relies on the HTML5 parser's rules."""
    return _PrintTreeParser().parse(string)


@dataclass
class _Setup:
    fetcher: object
    fonts: object
    html_class: type
    # Parsed print stylesheets by name under static/.
    stylesheets: dict


_setup: _Setup | None = None


def setup() -> _Setup:
    """The URL fetcher, the font configuration and the parsed stylesheets, made once per
    process: parsing a stylesheet decodes the shipped woff2 fonts, a fifth of a small
    plan's render. The render server makes them before it forks a render's process."""
    global _setup
    if _setup is None:
        # Imported here: WeasyPrint takes a second to load, which every management command
        # and test run would pay if the URL configuration loaded it.
        import cssselect2
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import ensure_url

        user_agent_stylesheet = _print_user_agent_stylesheet()

        class PrintHTML(HTML):
            def __init__(self, string: str, base_url: str, url_fetcher):
                try:
                    root = parse_print_html(string)
                except NotClosedAsWritten:
                    super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
                    return
                # What HTML.__init__ sets from the tree its own parser makes (the print
                # documents have no <base>).
                self.base_url = ensure_url(base_url)
                self.url_fetcher = url_fetcher
                self.media_type = "print"
                self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
                self.etree_element = self.wrapper_element.etree_element

            def _ua_stylesheets(self, forms=False):
                return [user_agent_stylesheet]

        _setup = _Setup(local_files_fetcher(), FontConfiguration(), PrintHTML, {})
        # Released while Python still runs: the configuration removes its font files when
        # it is deleted, which fails once the interpreter is shutting down.
        atexit.register(forget_setup)
    return _setup


def forget_setup():
    """Drop what `setup` made: at exit, and after it failed half-way, for the next call to
    make it again."""
    global _setup
    _setup = None


def stylesheet(name: str):
    """The print stylesheet static/`name`, parsed once per process."""
    from weasyprint import CSS

    prepared = setup()
    if name not in prepared.stylesheets:
        prepared.stylesheets[name] = CSS(
            filename=str(STATIC_DIR / name), url_fetcher=prepared.fetcher, font_config=prepared.fonts
        )
    return prepared.stylesheets[name]


def print_html(string: str):
    """A WeasyPrint HTML document of the print templates: local files only, and the
    lighter user agent stylesheet (`_print_user_agent_stylesheet`)."""
    prepared = setup()
    return prepared.html_class(string=string, base_url=str(STATIC_DIR) + "/", url_fetcher=prepared.fetcher)


def layout(html: str, stylesheets: tuple[str, ...] = PRINT_STYLESHEETS):
    """The laid-out WeasyPrint document (pages and boxes) of a print document's HTML."""
    prepared = setup()
    sheets = [stylesheet(name) for name in stylesheets]
    with without_cycle_collection():
        return print_html(html).render(stylesheets=sheets, font_config=prepared.fonts)


# The deflate level of the PDF's streams. pydyf compresses at 9, which takes 0.4 s of the
# 2.6 s writing a plan of 90 pages; at 6, zlib's default, the PDF is 4 % larger (719 KiB
# against 689 KiB for that plan).
DEFLATE_LEVEL = 6


class _Deflate:
    """zlib as pydyf uses it, at `DEFLATE_LEVEL`."""

    compress = staticmethod(zlib.compress)

    @staticmethod
    def compressobj(level=DEFLATE_LEVEL, *args, **kwargs):
        return zlib.compressobj(DEFLATE_LEVEL, *args, **kwargs)


def _prepare_pydyf():
    """Two changes to pydyf, which writes WeasyPrint's PDF (both versions are pinned).

    Its streams are compressed at `DEFLATE_LEVEL`. And it builds the list of all the pages'
    references each time it is asked for one page's, and WeasyPrint asks once per element
    of the structure tree: 21 000 times for a plan of 89 pages, a tenth of writing its PDF.
    The list is kept until a page is added."""
    import pydyf

    pydyf.zlib = _Deflate
    if getattr(pydyf.PDF.page_references.fget, "kept", False):
        return
    all_page_references = pydyf.PDF.page_references.fget

    def page_references(pdf):
        count = len(pdf.pages["Kids"])
        kept = pdf.__dict__.get("_kept_page_references")
        if kept is None or kept[0] != count:
            kept = pdf.__dict__["_kept_page_references"] = (count, all_page_references(pdf))
        return kept[1]

    page_references.kept = True
    pydyf.PDF.page_references = property(page_references)


def document_pdf(document) -> bytes:
    """A laid-out document as tagged PDF/UA-1 bytes."""
    _prepare_pydyf()
    with without_cycle_collection():
        return document.write_pdf(pdf_variant=PDF_VARIANT)


def html_to_pdf(html: str, stylesheets: tuple[str, ...] = PRINT_STYLESHEETS) -> bytes:
    """A print document's HTML as tagged PDF bytes."""
    return document_pdf(layout(html, stylesheets))


# ---------------------------------------------------------------------------
# The render process (see reports.services.render_isolated)


@dataclass(frozen=True)
class ChildFigures:
    """What a render process measured of itself."""

    seconds: float
    processor_seconds: float
    # The process's peak resident memory, from its start (a fork of the render server).
    peak_mb: float
    # Whether the render server had the fonts and stylesheets ready before the fork.
    prepared: bool


def render_in_child(render, html: str, stylesheets: tuple[str, ...], sender, late_receiver=None) -> None:
    """The body of a render process: `render(html, stylesheets)`, sent back with its figures
    as ("ok", pdf, figures), or ("error", traceback) when it raised. With `late_receiver`,
    the `late:` resources of the document arrive through it as (name, content, media type)
    while the render runs."""
    global _late_resource
    if late_receiver is not None:
        _late_resource = _LateResources(late_receiver)
    prepared = _setup is not None
    started, started_cpu = time.perf_counter(), time.process_time()
    try:
        pdf = render(html, stylesheets)
    except BaseException:
        sender.send(("error", traceback.format_exc()))
    else:
        figures = ChildFigures(
            seconds=time.perf_counter() - started,
            processor_seconds=time.process_time() - started_cpu,
            # ru_maxrss is in kilobytes on Linux.
            peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            prepared=prepared,
        )
        sender.send(("ok", pdf, figures))
    sender.close()


class _LateResources:
    """The late resources of a render, kept as they arrive; asking for one not yet arrived
    waits for it (an error once the worker has sent them all without it)."""

    def __init__(self, receiver):
        self._receiver = receiver
        self._received: dict[str, tuple[bytes, str]] = {}

    def __call__(self, name: str) -> tuple[bytes, str]:
        while name not in self._received:
            try:
                arrived, content, media_type = self._receiver.recv()
            except EOFError:
                raise ValueError(f"the late resource {name} was not handed over") from None
            self._received[arrived] = (content, media_type)
        return self._received[name]
