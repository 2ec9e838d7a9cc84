from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bdtx.bieu3 import services
from bdtx.bieu3.models import Audience, Bieu3Report
from bdtx.bieu3.tests.world import PERIOD, build
from bdtx.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _create(world, w, scope, unit="xa_a2", **kw):  # type: ignore[no-untyped-def]
    return services.bieu3_create(
        scope=scope,
        unit=world.u(unit),
        school_year=w.year,
        period_from=kw.pop("period_from", PERIOD[0]),
        period_to=kw.pop("period_to", PERIOD[1]),
        modules=kw.pop("modules", [w.gv4, w.gv5]),
        **kw,
    )


def test_an_office_creates_its_report_and_the_entry_is_audited(world, office_scope):
    w = build(world)
    report = _create(world, w, office_scope, audience=Audience.PRESCHOOL)
    assert set(report.modules.all()) == {w.gv4, w.gv5} and report.preschool
    entry = AuditLog.objects.get(action="bieu3.create", object_uuid=report.uuid)
    assert entry.changes["modules"] == [None, "GV4, GV5"] and entry.unit_path == world.u("xa_a2").path


def test_outside_the_subtree_or_without_the_permission_no_report(world, scope_of):
    w = build(world)
    with pytest.raises(PermissionDenied):
        _create(world, w, scope_of("so_a"))  # the Sở reads the commune's reports, files its own
    with pytest.raises(PermissionDenied):
        _create(world, w, scope_of("so_b"))
    with pytest.raises(PermissionDenied):
        _create(world, w, scope_of("ministry"))  # sees reports, does not file them
    with pytest.raises(PermissionDenied):
        _create(world, w, scope_of("xa_a1"))  # another commune


def test_only_offices_and_the_so_file_it_and_the_period_and_modules_are_checked(world, scope_of, office_scope):
    w = build(world)
    before = Bieu3Report.objects.count()
    with pytest.raises(ValidationError):
        _create(world, w, scope_of("principal_a2"), unit="thcs_a2")
    with pytest.raises(ValidationError):
        _create(world, w, office_scope, period_from=date(2027, 1, 1))
    with pytest.raises(ValidationError):
        _create(world, w, office_scope, modules=[])
    _create(world, w, scope_of("so_a"), unit="so_a")  # the Sở's own report
    assert Bieu3Report.objects.count() == before + 1


def test_texts_are_saved_many_times_and_the_entry_names_the_sections(world, scope_of, office_scope):
    w = build(world)
    scope = office_scope
    report = _create(world, w, scope)
    services.bieu3_update_texts(
        scope=scope, report=report, texts={"assess_general": "Tốt", "proposals": "Thêm  video.\r\n\r\n Sửa  lịch. "}
    )
    services.bieu3_update_texts(
        scope=scope,
        report=report,
        texts={"assess_general": "Tốt", "recommendations": "Không"},
        particulars={"number": "12/BC-UBND", "report_date": date(2026, 12, 20)},
    )
    report.refresh_from_db()
    assert (report.assess_general, report.recommendations) == ("Tốt", "Không")
    assert report.proposals == "Thêm video.\nSửa lịch."  # each paragraph kept, its spaces tidied
    first, second = AuditLog.objects.filter(action="bieu3.update").order_by("pk")
    assert first.changes == {"sections": [None, "4.1, VI"]}
    assert second.changes == {
        "number": [None, "12/BC-UBND"],
        "report_date": [None, "20/12/2026"],
        "sections": [None, "VIII"],
    }
    with pytest.raises(ValidationError):
        services.bieu3_update_texts(scope=scope, report=report, texts={"created_by": "x"})
    for reader in ("ministry", "so_a"):  # both see the report; only the commune office writes it
        with pytest.raises(PermissionDenied):
            services.bieu3_update_texts(scope=scope_of(reader), report=report, texts={"proposals": "x"})


def test_a_report_is_deleted_by_who_files_it(world, scope_of, office_scope):
    w = build(world)
    report = _create(world, w, office_scope)
    for reader in ("ministry", "so_a"):
        with pytest.raises(PermissionDenied):
            services.bieu3_delete(scope=scope_of(reader), report=report)
    services.bieu3_delete(scope=office_scope, report=report)
    assert (
        not Bieu3Report.objects.filter(pk=report.pk).exists()
        and AuditLog.objects.filter(action="bieu3.delete").count() == 1
    )
