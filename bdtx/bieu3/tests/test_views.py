import io
import os
import re
from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from bdtx.bieu3 import services
from bdtx.bieu3.models import Bieu3Report
from bdtx.bieu3.tests.world import PERIOD, build
from bdtx.core.scope import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world, office_scope):  # type: ignore[no-untyped-def]
    w = build(world)
    r = services.bieu3_create(
        scope=office_scope,
        unit=world.u("xa_a2"),
        school_year=w.year,
        period_from=PERIOD[0],
        period_to=PERIOD[1],
        modules=[w.gv4, w.gv5],
    )
    r.w = w  # type: ignore[attr-defined]
    return r


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_the_office_fills_the_text_sections_and_downloads_the_document(world, report, login, client, office):
    login(office)
    url = reverse("bieu3:detail", args=[report.uuid])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="figure-2.1"' in html and "66,7%" in html and "Rất bổ ích" in html
    data = {
        "assess_general": "Đợt bồi dưỡng đạt yêu cầu <b>&",
        "proposals": "Bổ sung video minh họa.\nTăng thời lượng thực hành.",
        "recommendations": "Không",
        "number": "45/BC-UBND",
        "report_date": "20/12/2026",
        "signer_title": "Phó Chủ tịch",
        "signer_name": "Nông Văn Bình",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assess_general == "Đợt bồi dưỡng đạt yêu cầu <b>&" and report.report_date == date(2026, 12, 20)
    assert "Đợt bồi dưỡng đạt yêu cầu &lt;b&gt;&amp;" in client.get(url).content.decode()
    doc = client.get(reverse("bieu3:docx", args=[report.uuid]))
    assert doc.status_code == 200 and doc["Content-Disposition"].endswith('.docx"')
    if out := os.environ.get("BDTX_BIEU3_DOCX"):  # to render and look at it
        with open(out, "wb") as f:
            f.write(doc.content)
    text = _docx_text(doc.content)
    assert "Đợt bồi dưỡng đạt yêu cầu <b>&" in text  # autoescaped: the text comes out as typed
    paragraphs = [p.text for p in Document(io.BytesIO(doc.content)).paragraphs]
    assert "Bổ sung video minh họa." in paragraphs and "Tăng thời lượng thực hành." in paragraphs
    assert "Số: 45/BC-UBND" in text and "ngày 20 tháng 12 năm 2026" in text
    assert "PHÓ CHỦ TỊCH" in text and "Nông Văn Bình" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Sở GDĐT: Sở GD&ĐT Tỉnh An" in text
    assert "GV4: Mô đun 4" in text and "66,7%" in text and "16,7%" in text  # 2.1 of GV4
    assert "5/9 học viên trả lời phiếu hỏi (55,6%" in text and "60,0% (3/5" in text
    assert "Cần thêm ví dụ <b>&" in text  # an open answer, as written


def test_an_office_creates_a_report_from_the_list(world, login, client, office):
    w = build(world)
    login(office)
    unit = world.u("xa_a2")
    listing = client.get(reverse("bieu3:list"), {"unit": unit.uuid, "year": w.year.pk})
    assert listing.status_code == 200 and 'id="bieu3-new"' in listing.content.decode()
    form = client.get(reverse("bieu3:create"), {"unit": unit.uuid, "year": w.year.pk})
    assert "GV4: Mô đun 4" in form.content.decode() and "GV5: Mô đun 5" in form.content.decode()
    response = client.post(
        reverse("bieu3:create"),
        {
            "unit": unit.uuid,
            "year": w.year.pk,
            "period_from": "01/09/2026",
            "period_to": "31/12/2026",
            "audience": "pt",
            "modules": [w.gv4.pk],
        },
    )
    report = Bieu3Report.objects.get(modules=w.gv4)
    assert response.status_code == 302 and response["Location"] == reverse("bieu3:detail", args=[report.uuid])
    assert list(report.modules.all()) == [w.gv4] and report.unit == unit


@pytest.mark.parametrize("name", ["detail", "docx"])
def test_another_province_gets_404(world, report, login, client, name):
    login(world.users["so_b"])
    assert client.get(reverse(f"bieu3:{name}", args=[report.uuid])).status_code == 404
    login(world.users["xa_a1"])  # a commune beside it
    assert client.get(reverse(f"bieu3:{name}", args=[report.uuid])).status_code == 404


def test_lists_and_the_new_report_form_outside_the_scope_are_404(world, report, login, client):
    login(world.users["so_b"])
    unit = world.u("xa_a2").uuid
    assert client.get(reverse("bieu3:list"), {"unit": unit}).status_code == 404
    assert client.get(reverse("bieu3:create"), {"unit": unit}).status_code == 404


def test_the_ministry_sees_the_report_but_does_not_edit_it(world, report, login, client):
    login(world.users["ministry"])
    url = reverse("bieu3:detail", args=[report.uuid])
    page = client.get(url)
    assert page.status_code == 200 and 'id="bieu3-save"' not in page.content.decode()
    assert client.post(url, {"assess_general": "x"}).status_code == 403
    assert client.get(reverse("bieu3:docx", args=[report.uuid])).status_code == 200
    unit = world.u("xa_a2").uuid
    assert client.get(reverse("bieu3:create"), {"unit": unit}).status_code == 403


def test_the_so_reads_a_communes_report_but_neither_writes_nor_deletes_it(world, report, login, client):
    """Each level files its own reports: the Sở sees the commune office's draft and its figures, and
    files its own Biểu 3; it does not type, sign or delete the commune's (403, nothing changed)."""
    login(world.users["so_a"])
    url = reverse("bieu3:detail", args=[report.uuid])
    page = client.get(url).content.decode()
    assert 'id="figure-2.1"' in page and 'id="bieu3-save"' not in page and 'id="bieu3-delete"' not in page
    assert client.post(url, {"proposals": "x"}).status_code == 403
    delete = reverse("bieu3:delete", args=[report.uuid])
    assert client.get(delete).status_code == 403 and client.post(delete).status_code == 403
    commune = {"unit": world.u("xa_a2").uuid, "year": report.school_year.pk}
    assert client.get(reverse("bieu3:create"), commune).status_code == 403
    assert 'id="bieu3-new"' not in client.get(reverse("bieu3:list"), commune).content.decode()
    own = {"unit": world.u("so_a").uuid, "year": report.school_year.pk}
    assert 'id="bieu3-new"' in client.get(reverse("bieu3:list"), own).content.decode()
    report.refresh_from_db()
    assert report.proposals == "" and Bieu3Report.objects.filter(pk=report.pk).exists()


@pytest.mark.parametrize("user", ["principal_a2", "teacher_a1", "institution"])
def test_who_may_not_see_reports_gets_403_or_404(world, report, login, client, user):
    login(world.users[user])
    assert client.get(reverse("bieu3:detail", args=[report.uuid])).status_code == 404
    assert client.get(reverse("bieu3:list")).status_code == 403


def test_a_school_is_not_a_reporting_unit(world, login, client):
    login(world.users["so_a"])
    assert client.get(reverse("bieu3:list"), {"unit": world.u("thcs_a2").uuid}).status_code == 403


def _queries(client, url):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bdtx.summaries.services import refresh_all

    refresh_all()  # the units' summaries current: what a page costs then
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_query_counts_do_not_grow_with_reports_or_learners(world, report, login, client):
    from bdtx.core.tests.factories import EmploymentFactory
    from bdtx.training.models import Enrolment

    login(world.users["so_a"])
    detail = reverse("bieu3:detail", args=[report.uuid])
    listing = reverse("bieu3:list") + f"?unit={world.u('xa_a2').uuid}&year={report.school_year.pk}"
    before = (_queries(client, detail), _queries(client, listing))
    w = report.w
    for _ in range(5):
        person = EmploymentFactory(unit=world.u("thcs_a2"), school_year=w.year, school_level="THCS").person
        Enrolment.objects.create(
            cohort=w.cohort_a, person=person, unit=world.u("thcs_a2"), school_year=w.year, module=w.gv4
        )
    services.bieu3_create(
        scope=SYSTEM,
        unit=world.u("xa_a2"),
        school_year=w.year,
        period_from=PERIOD[0],
        period_to=PERIOD[1],
        modules=[w.gv5],
    )
    assert (_queries(client, detail), _queries(client, listing)) == before


def test_the_new_report_offers_preschool_modules_unchosen(world, login, client, office):
    from bdtx.catalog.models import Module
    from bdtx.people.models import Audience
    from bdtx.plans.models import PlanItem
    from bdtx.regimes.models import Programme

    w = build(world)
    mn = Module.objects.create(catalog=w.gv4.catalog, code="MN9", title="Mô đun mầm non", audience=Audience.GVMN)
    plan = w.people["P8"].plans.get()
    PlanItem.objects.create(plan=plan, programme=Programme.BD03, module=mn, title=mn.title, hours=20)
    login(office)
    html = client.get(reverse("bieu3:create"), {"unit": world.u("xa_a2").uuid, "year": w.year.pk}).content.decode()
    assert f'value="{mn.pk}"' in html and f'value="{w.gv4.pk}"' in html
    checked = re.findall(r'<input type="checkbox" name="modules" value="(\d+)"[^>]*checked', html)
    assert sorted(checked) == sorted([str(w.gv4.pk), str(w.gv5.pk)])


def test_the_text_sections_save_in_place_with_htmx_and_answer_the_time(world, report, login, client, office):
    from django.utils import timezone

    login(office)
    url = reverse("bieu3:detail", args=[report.uuid])
    html = client.get(url).content.decode()
    assert 'hx-post="' + url + '"' in html and "htmx.min.js" in html and 'id="bieu3-save-status"' in html
    response = client.post(url, {"proposals": "Thêm video.", "report_date": "20/12/2026"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # no redirect: the page stays, with what is typed
    report.refresh_from_db()
    assert report.proposals == "Thêm video." and report.report_date == date(2026, 12, 20)
    saved_at = timezone.localtime(report.updated_at).strftime("%H:%M")
    body = response.content.decode()
    assert f"Đã lưu lúc {saved_at}" in body and "<html" not in body and "<form" not in body
    # the page's "last saved" line follows, out of band
    assert 'id="bieu3-last-saved" hx-swap-oob="true"' in body and office.username in body


def test_a_save_in_place_that_fails_says_why_and_changes_nothing(world, report, login, client, office):
    login(office)
    url = reverse("bieu3:detail", args=[report.uuid])
    response = client.post(url, {"proposals": "Thêm video.", "report_date": "31/02/2026"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "Chưa lưu được" in body and "Ngày báo cáo" in body
    report.refresh_from_db()
    assert report.proposals == "" and report.report_date is None


def test_without_javascript_the_save_still_redirects(world, report, login, client, office):
    login(office)
    url = reverse("bieu3:detail", args=[report.uuid])
    response = client.post(url, {"proposals": "Thêm video."})
    assert response.status_code == 302 and response["Location"] == url
    assert "Thêm video." in client.get(url).content.decode()


def test_a_reader_gets_no_htmx(world, report, login, client):
    login(world.users["ministry"])
    html = client.get(reverse("bieu3:detail", args=[report.uuid])).content.decode()
    assert "hx-post" not in html and "htmx.min.js" not in html and 'id="bieu3-delete"' not in html


def test_the_office_deletes_a_report_after_confirming(world, report, login, client, office):
    from bdtx.core.models import AuditLog

    login(office)
    detail = client.get(reverse("bieu3:detail", args=[report.uuid])).content.decode()
    url = reverse("bieu3:delete", args=[report.uuid])
    assert f'href="{url}"' in detail
    confirm = client.get(url)
    assert confirm.status_code == 200 and 'id="bieu3-delete-confirm"' in confirm.content.decode()
    assert Bieu3Report.objects.filter(pk=report.pk).exists()  # asking deletes nothing
    response = client.post(url)
    listing = reverse("bieu3:list") + f"?unit={report.unit.uuid}&year={report.school_year.pk}"
    assert response.status_code == 302 and response["Location"] == listing
    assert not Bieu3Report.objects.filter(pk=report.pk).exists()
    assert AuditLog.objects.filter(action="bieu3.delete", object_uuid=report.uuid).count() == 1
    assert "Đã xóa báo cáo Biểu 3." in client.get(listing).content.decode()


@pytest.mark.parametrize("user", ["so_b", "xa_a1"])
def test_deleting_a_report_outside_the_scope_is_404(world, report, login, client, user):
    login(world.users[user])
    url = reverse("bieu3:delete", args=[report.uuid])
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    assert Bieu3Report.objects.filter(pk=report.pk).exists()


def test_who_sees_the_report_but_may_not_file_it_cannot_delete_it(world, report, login, client):
    login(world.users["ministry"])
    url = reverse("bieu3:delete", args=[report.uuid])
    assert client.get(url).status_code == 403 and client.post(url).status_code == 403
    assert Bieu3Report.objects.filter(pk=report.pk).exists()


def test_many_changed_units_are_computed_in_the_background(world, report, login, settings, monkeypatch):  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from bdtx.summaries import tasks
    from bdtx.summaries.models import Change, RefreshJob

    settings.SUMMARIES_INLINE_LIMIT = 0
    held: list[int] = []
    monkeypatch.setattr(tasks, "summaries_refresh_task", SimpleNamespace(enqueue=held.append))
    assert Change.objects.filter(unit_id=world.u("thcs_a2").pk).exists()  # built just now: changed
    client = login(world.users["so_a"])
    page = client.get(reverse("bieu3:detail", args=[report.uuid]))
    job = RefreshJob.objects.get(pk=held[0])
    assert page.status_code == 200 and reverse("summaries:progress", args=[job.uuid]).encode() in page.content
    assert b"figure-2" not in page.content  # no figures until they are computed
    docx = client.get(reverse("bieu3:docx", args=[report.uuid]))  # a download waits for them
    assert docx.status_code == 200 and not Change.objects.filter(unit_id=world.u("thcs_a2").pk).exists()
