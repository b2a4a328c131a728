"""What a browser would post from a page's form, read with lxml: the tests' one form reader."""

from __future__ import annotations

from lxml import html as lxml_html

# Inputs a browser does not send with a plain submit.
NOT_SENT = {"submit", "image", "reset", "button", "file"}


def _content(page) -> str:
    return page if isinstance(page, str) else page.content.decode()


def page_forms(page) -> list:
    """The page's forms (lxml FormElements), in page order."""
    return lxml_html.fromstring(_content(page)).forms


def _find(page, *, form_id: str | None, action: str | None):
    for form in page_forms(page):
        # An action matches by its end: the form may name its page in full or add a #fragment.
        shown = (form.get("action") or "").split("#")[0]
        if (form_id is None or form.get("id") == form_id) and (action is None or shown.endswith(action)):
            return form
    raise AssertionError(f"no form with id={form_id!r} action={action!r} on the page")


def form_pairs(form) -> list[tuple[str, str]]:
    """The (name, value) pairs the form sends as shown, in document order."""
    pairs = []
    for element in form.xpath(".//input | .//select | .//textarea"):
        name = element.get("name")
        if not name or element.get("disabled") is not None or "__prefix__" in name:
            continue
        if element.tag == "input":
            kind = (element.get("type") or "text").lower()
            if kind in NOT_SENT:
                continue
            if kind in ("checkbox", "radio"):
                if element.get("checked") is not None:
                    pairs.append((name, element.get("value", "on")))
            else:
                pairs.append((name, element.get("value") or ""))
        elif element.tag == "select":
            if element.multiple:
                pairs += [(name, value) for value in element.value]
            else:
                pairs.append((name, element.value or ""))
        else:
            # A browser drops the newline that follows <textarea>, which Django writes.
            pairs.append((name, (element.text or "").removeprefix("\r\n").removeprefix("\n")))
    return pairs


def form_fields(page, *, form_id: str | None = None, action: str | None = None) -> dict:
    """The form's fields as a dict ready to post back: one value as a string; checkboxes,
    radio buttons and multiple selects as lists (empty when nothing is chosen)."""
    form = _find(page, form_id=form_id, action=action)
    fields: dict = {}
    for element in form.xpath(".//input[@type='checkbox' or @type='radio'] | .//select[@multiple]"):
        if element.get("name") and "__prefix__" not in element.get("name"):
            fields[element.get("name")] = []
    for name, value in form_pairs(form):
        if isinstance(fields.get(name), list):
            fields[name].append(value)
        else:
            fields[name] = value
    return fields


def form_values(page, action: str) -> dict:
    """What the page's form posting to `action` sends as shown, without its CSRF token."""
    fields = form_fields(page, action=action)
    fields.pop("csrfmiddlewaretoken", None)
    return fields
