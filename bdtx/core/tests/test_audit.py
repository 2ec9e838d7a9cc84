"""The audit vocabulary's registry and how entries read (bdtx/core/audit.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import (
    AuditAction,
    AuditActionRegistry,
    ChangeRow,
    NotePattern,
    audit_actions,
    readable,
    school_year_label,
)
from bdtx.core.models import AuditLog


def test_an_unknown_code_reads_as_itself_with_its_raw_values_and_never_fails():
    entry = AuditLog(
        action="legacy.thing",
        object_type="nowhere.model",
        changes={"colour": ["red", "blue"], "count": 3, "tags": [["a", "b"], None], "extra": {"k": [1, 2]}},
        note="old note",
    )
    assert entry.action_label == "legacy.thing"
    assert entry.change_rows() == [
        ("colour", "red", "blue"),
        ("count", None, 3),
        ("tags", "a, b", None),
        ("extra", None, "k: 1, 2"),
    ]
    assert [r.is_change for r in entry.change_rows()] == [True, False, True, False]
    assert entry.note_text == "old note"


@pytest.mark.parametrize("changes", [[], ["a", "b"], "text", None, {}])
def test_changes_that_are_not_a_mapping_do_not_fail(changes):
    rows = AuditLog(action="unit.update", object_type="organisations.unit", changes=changes).change_rows()
    assert all(isinstance(r, ChangeRow) for r in rows)


def test_values_read_as_words():
    with translation.override("vi"):
        assert readable(True) == "Có" and readable(False) == "Không"
        assert readable("2025-05-31") == "31/05/2025"
        assert readable([1, None, 3]) == "1, 3"
        assert readable("", [("x", "X")]) is None and readable(None) is None
        assert readable("x", [("x", _("Draft"))]) == "Bản nháp"
        assert readable("y", [("x", "X")]) == "y"
        assert readable({"a": True}) == "a: Có"
    assert school_year_label(2024) == "2024-2025" and school_year_label("n/a") == "n/a"


def test_a_namespace_belongs_to_the_app_that_registered_it():
    registry = AuditActionRegistry()
    registry.register(AuditAction("plan.submit", "Submitted"), app="plans")
    registry.register(AuditAction("plan.submit", "Submitted"), app="plans")  # ready() again: same action
    with pytest.raises(ImproperlyConfigured, match="belongs to the app 'plans'"):
        registry.register(AuditAction("plan.hijack", "Mine now"), app="catalog")
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry.register(AuditAction("plan.submit", "Sent"), app="plans")
    assert registry.owner("plan.anything") == "plans" and registry.label("plan.submit") == "Submitted"


@pytest.mark.parametrize("code", ["submit", "Plan.submit", "plan.sub mit", "plan.submit.now", "p." + "x" * 70])
def test_a_code_is_a_lower_case_namespace_and_verb(code):
    with pytest.raises(ImproperlyConfigured):
        AuditAction(code, "x")


def test_an_action_reads_its_own_keys_values_and_notes():
    action = AuditAction(
        "thing.count",
        "Counted",
        fields={"n": _("rows written")},
        values={"year": school_year_label},
        notes=(NotePattern(r"only valid rows", _("only the valid rows")),),
    )
    entry = AuditLog(action="thing.count", changes={"n": 4, "year": [2023, 2024]}, note="only valid rows")
    with translation.override("vi"):
        assert action.rows(entry) == [("số dòng đã ghi", None, 4), ("year", "2023-2024", "2024-2025")]
        assert action.note(entry) == "chỉ các dòng hợp lệ"
    assert action.note(AuditLog(note="something else")) == "something else"


def test_every_app_that_writes_audit_entries_registered_its_actions():
    owners = {a.code: audit_actions.owner(a.code) for a in audit_actions}
    # Each importer's app registers its upload, confirm and write actions; imports only its own retry and abandon.
    apps_ = {"organisations", "people", "accounts", "imports", "regimes", "standards", "catalog", "plans", "training"}
    apps_ |= {"results", "certificates", "surveys", "yearreports", "bieu3"}
    assert apps_ == set(owners.values())
    assert {c for c, app in owners.items() if app == "imports"} == {"import_job.retry", "import_job.abandon"}
