"""Read a list page the way a browser does (its filter form, its export link) and an export the
way an office does (header and rows), for the tests that check a list exports what it shows."""

import io
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.utils import translation
from python_calamine import CalamineWorkbook

from bdtx.core.selectors import school_year_current

__all__ = [
    "FilterForm",
    "column",
    "export_href",
    "export_table",
    "filter_form",
    "filter_forms",
    "links",
    "query_of",
    "values_to_try",
]


@dataclass
class FilterForm:
    """A list's GET filter form: its htmx attributes and, per field name, the values it offers
    (a select's options; an empty list for a text field)."""

    attrs: dict[str, str]
    fields: dict[str, list[str]] = field(default_factory=dict)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[FilterForm] = []
        self.links: list[tuple[str, str]] = []  # (id, href) of every link
        self._form: FilterForm | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "get":
            self._form = FilterForm(attrs=a)
            self.forms.append(self._form)
        elif tag == "a" and "href" in a:
            self.links.append((a.get("id", ""), a["href"]))
        elif self._form is None:
            return
        elif tag == "select":
            self._select = a.get("name", "")
            self._form.fields[self._select] = []
        elif tag == "option" and self._select is not None:
            self._form.fields[self._select].append(a.get("value", ""))
        elif tag == "input" and a.get("name") and a.get("type", "text") not in ("hidden", "submit", "button"):
            self._form.fields[a["name"]] = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def filter_forms(html: str) -> list[FilterForm]:
    """Every GET form of the page."""
    return _read(html).forms


def filter_form(html: str, form_id: str) -> FilterForm:
    return next(f for f in filter_forms(html) if f.attrs.get("id") == form_id)


def links(html: str) -> list[tuple[str, str]]:
    """(id, href) of every link of the page, its id "" when it has none."""
    return _read(html).links


def values_to_try(form: FilterForm, *, searches: list[str]) -> dict[str, list[str]]:
    """For each field of a filter form, the values a walk tries: a dropdown's options but the empty
    one, `searches` for a text field. Of the school years (a dozen or more are seeded), last year,
    this year and next: earlier years list nobody, as next year does."""
    now = school_year_current().pk
    tried = {name: [v for v in values if v] or searches for name, values in form.fields.items()}
    if "year" in tried:
        tried["year"] = [y for y in tried["year"] if abs(int(y) - now) <= 1]
    return tried


def export_href(html: str) -> str | None:
    """The href of the page's (or fragment's) export link, `#export-link`, if it has one."""
    return next((href for id_, href in links(html) if id_ == "export-link"), None)


def query_of(href: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(unescape(href)).query, keep_blank_values=True))


def export_table(content: bytes) -> tuple[list[str], list[list[Any]]]:
    """Header and data rows of a workbook written by core.exporters (title, subtitle, a blank row,
    the header, then the rows)."""
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    return [str(c) for c in rows[3]], [row for row in rows[4:] if any(c != "" for c in row)]


def column(header: list[str], rows: list[list[Any]], title: str) -> list[Any]:
    """The cells of the column headed `title` (an English source string, found in either language)."""
    with translation.override("vi"):
        vietnamese = translation.gettext(title)
    i = header.index(vietnamese) if vietnamese in header else header.index(title)
    return [row[i] for row in rows]
