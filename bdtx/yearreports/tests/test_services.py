"""Filing, accepting and returning results reports; snapshots; the sum of the children."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM
from bdtx.notifications.models import Notification
from bdtx.yearreports import services as svc
from bdtx.yearreports.figures import ReportFigures
from bdtx.yearreports.models import ReportStatus, YearReport
from bdtx.yearreports.selectors import board_get, live_figures

from .conftest import enrol, result

pytestmark = pytest.mark.django_db


def scope(tree, key):  # type: ignore[no-untyped-def]
    return scope_for_user(tree.users[key])


def file_up(tree) -> None:  # type: ignore[no-untyped-def]
    """Every school files, each office accepts and files, the Sở accepts."""
    for school, office in (("s1", "xa_t1"), ("s2", "xa_t1"), ("s3", "xa_t2")):
        report = svc.year_report_file(
            scope=scope(tree, f"hieutruong_{school}"), unit=tree.u(school), school_year=tree.year
        )
        svc.year_report_accept(scope=scope(tree, office), report=report)
    for office in ("xa_t1", "xa_t2"):
        report = svc.year_report_file(scope=scope(tree, office), unit=tree.u(office), school_year=tree.year)
        svc.year_report_accept(scope=scope(tree, "so_t"), report=report)


def test_every_level_equals_the_sum_of_the_level_below(tree) -> None:  # type: ignore[no-untyped-def]
    file_up(tree)
    so = svc.year_report_file(scope=scope(tree, "so_t"), unit=tree.u("so_t"), school_year=tree.year)
    reports = {r.unit_id: r.figures for r in YearReport.objects.filter(school_year=tree.year)}
    f = {k: reports[tree.u(k).pk] for k in ("s1", "s2", "s3", "xa_t1", "xa_t2", "so_t")}
    assert f["xa_t1"] == f["s1"] + f["s2"]
    assert f["xa_t2"] == f["s3"] + ReportFigures()
    assert f["so_t"] == f["xa_t1"] + f["xa_t2"]
    assert so.figures.reports == 3
    # nothing changed since: the Sở's filed figures are its live figures
    assert so.figures.core == live_figures(unit=tree.u("so_t"), school_year=tree.year).core
    assert so.figures.overall.people.total == 7


def test_a_filed_report_is_a_snapshot_that_later_data_do_not_change(tree) -> None:  # type: ignore[no-untyped-def]
    report = svc.year_report_file(scope=scope(tree, "hieutruong_s1"), unit=tree.u("s1"), school_year=tree.year)
    filed = report.snapshot
    # later: p3 gets a result and completes a module
    result(tree, "p3", True)
    enrol(tree, "p3", "m1", completed=True)
    report.refresh_from_db()
    assert report.snapshot == filed
    live = live_figures(unit=tree.u("s1"), school_year=tree.year)
    assert live.overall.completed.total == report.figures.overall.completed.total + 1
    # returned and filed again: a new snapshot with today's figures
    svc.year_report_return(scope=scope(tree, "xa_t1"), report=report, comment="Thiếu kết quả của CBQL.")
    again = svc.year_report_file(scope=scope(tree, "hieutruong_s1"), unit=tree.u("s1"), school_year=tree.year)
    assert again.pk == report.pk
    assert again.figures.core == live.core
    assert [e.action for e in again.events.all()] == ["year_report.file", "year_report.return", "year_report.file"]


def test_an_office_sums_only_what_was_filed_and_says_so(tree) -> None:  # type: ignore[no-untyped-def]
    svc.year_report_file(scope=scope(tree, "hieutruong_s1"), unit=tree.u("s1"), school_year=tree.year)
    with pytest.raises(ValidationError):
        svc.year_report_file(scope=scope(tree, "xa_t1"), unit=tree.u("xa_t1"), school_year=tree.year)
    office = svc.year_report_file(
        scope=scope(tree, "xa_t1"), unit=tree.u("xa_t1"), school_year=tree.year, incomplete_ok=True
    )
    s1 = live_figures(unit=tree.u("s1"), school_year=tree.year)
    assert office.figures.core == s1.core
    assert office.figures.reports == 1


def test_only_the_units_own_staff_file_and_only_the_parent_decides(tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        svc.year_report_file(scope=scope(tree, "hieutruong_s2"), unit=tree.u("s1"), school_year=tree.year)
    with pytest.raises(PermissionDenied):  # the office does not file a school's report for it
        svc.year_report_file(scope=scope(tree, "xa_t1"), unit=tree.u("s1"), school_year=tree.year)
    report = svc.year_report_file(scope=scope(tree, "hieutruong_s1"), unit=tree.u("s1"), school_year=tree.year)
    for who in ("hieutruong_s1", "xa_t2"):
        with pytest.raises(PermissionDenied):
            svc.year_report_accept(scope=scope(tree, who), report=report)
    with pytest.raises(ValidationError):  # a return needs a comment
        svc.year_report_return(scope=scope(tree, "xa_t1"), report=report, comment=" ")
    with pytest.raises(ValidationError):  # filed already
        svc.year_report_file(scope=scope(tree, "hieutruong_s1"), unit=tree.u("s1"), school_year=tree.year)
    with pytest.raises(PermissionDenied):  # the Sở, above the office the report is filed to, does not decide it
        svc.year_report_accept(scope=scope(tree, "so_t"), report=report)
    assert svc.year_report_accept(scope=scope(tree, "xa_t1"), report=report).status == ReportStatus.ACCEPTED


def test_each_step_is_audited_and_a_decision_tells_the_school(tree) -> None:  # type: ignore[no-untyped-def]
    report = svc.year_report_file(scope=scope(tree, "hieutruong_s1"), unit=tree.u("s1"), school_year=tree.year)
    svc.year_report_return(scope=scope(tree, "xa_t1"), report=report, comment="Bổ sung số liệu.")
    report = svc.year_report_file(scope=scope(tree, "hieutruong_s1"), unit=tree.u("s1"), school_year=tree.year)
    svc.year_report_accept(scope=scope(tree, "xa_t1"), report=report)
    assert list(AuditLog.objects.filter(object_uuid=report.uuid).order_by("pk").values_list("action", flat=True)) == [
        "year_report.file",
        "year_report.return",
        "year_report.file",
        "year_report.accept",
    ]
    told = Notification.objects.filter(user=tree.users["hieutruong_s1"]).order_by("pk")
    assert [n.kind for n in told] == ["year_report.returned", "year_report.accepted"]
    assert "Bổ sung số liệu." in told[0].body


def test_an_accepted_report_cannot_be_returned_once_the_parent_filed(tree) -> None:  # type: ignore[no-untyped-def]
    file_up(tree)
    svc.year_report_file(scope=SYSTEM, unit=tree.u("so_t"), school_year=tree.year)
    office = YearReport.objects.get(unit=tree.u("xa_t1"), school_year=tree.year)
    with pytest.raises(ValidationError):
        svc.year_report_return(scope=scope(tree, "so_t"), report=office, comment="Sai số liệu.")


def test_the_board_shows_each_childs_status(tree) -> None:  # type: ignore[no-untyped-def]
    r1 = svc.year_report_file(scope=scope(tree, "hieutruong_s1"), unit=tree.u("s1"), school_year=tree.year)
    svc.year_report_file(scope=scope(tree, "hieutruong_s2"), unit=tree.u("s2"), school_year=tree.year)
    svc.year_report_accept(scope=scope(tree, "xa_t1"), report=r1)
    board = board_get(scope=scope(tree, "xa_t1"), unit=tree.u("xa_t1"), school_year=tree.year)
    assert {r.unit.code: r.status for r in board.rows} == {"TH-T1": "accepted", "THCS-T2": "filed"}
    so_board = board_get(scope=scope(tree, "so_t"), unit=tree.u("so_t"), school_year=tree.year)
    assert {r.unit.code: (r.status, r.live_people, r.live_completed) for r in so_board.rows} == {
        "07701": ("missing", 5, 2),
        "07702": ("missing", 2, 1),
    }
    assert so_board.counts["missing"] == 2
