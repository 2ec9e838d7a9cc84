"""The Vietnamese catalog is complete and compiled; pages come out in Vietnamese by default."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO = Path(settings.BASE_DIR) / "bdtx" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _po_entries() -> list[tuple[str, str, bool]]:
    """(msgid, first msgstr, fuzzy) for each live entry of the .po file."""
    entries: list[tuple[str, str, bool]] = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln and not ln.startswith("#~")]
        fuzzy = any(ln.startswith("#,") and "fuzzy" in ln for ln in lines)
        parts: dict[str, str] = {}
        key = None
        for ln in lines:
            if ln.startswith("#"):
                continue
            m = re.match(r'^(msgid|msgid_plural|msgstr|msgstr\[0\]) "(.*)"$', ln)
            if m:
                key = m.group(1).replace("[0]", "")
                parts.setdefault(key, "")
                parts[key] += m.group(2)
            elif ln.startswith('"') and key:
                parts[key] += ln[1:-1]
        if "msgid" in parts:
            entries.append((parts["msgid"], parts.get("msgstr", ""), fuzzy))
    return entries


def test_every_message_has_a_vietnamese_translation():
    assert len([mid for mid, _mstr, _fuzzy in _po_entries() if mid]) > 100  # the parser read the catalog
    missing = [mid for mid, mstr, fuzzy in _po_entries() if mid and (not mstr or fuzzy)]
    assert not missing, f"untranslated or fuzzy: {missing[:10]}"


def test_the_compiled_catalog_matches_the_source():
    with MO.open("rb") as f:
        catalog = gettext.GNUTranslations(f)
    checked = 0
    for mid, mstr, _fuzzy in _po_entries():
        if mid and "%" not in mid and "\\" not in mid:
            assert catalog.gettext(mid) == mstr, f"{mid!r}: run `make messages`"
            checked += 1
    assert checked > 100


@pytest.mark.django_db
def test_login_page_is_in_vietnamese_by_default(client):
    r = client.get(reverse("accounts:login"))
    assert "Đăng nhập" in r.text and 'lang="vi"' in r.text


@pytest.mark.django_db
def test_english_is_available(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = client.get(reverse("accounts:login"))
    assert "Sign in" in r.text and 'lang="en"' in r.text


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client):
    r = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in r.text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    r = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="vi")
    assert "Sign in" in r.text


def test_djangos_own_messages_shown_on_forms_are_in_vietnamese_too():
    """Django 6.1's empty choice of a select is new and missing from Django's Vietnamese catalog."""
    from django.db.models.fields import BLANK_CHOICE_LABEL
    from django.utils import translation

    with translation.override("vi"):
        assert str(BLANK_CHOICE_LABEL) == "- Chọn -"
