"""Every response that shows an ethnicity or an ID number writes a `sensitive.read` audit entry.

The test walks every URL of the project (and every page of Django's admin) as a role that may see
sensitive data, with every object of the province it can find, and looks in each response — HTML,
JSON, or the XML inside an .xlsx/.docx — for the ID number or the ethnic group of a person of the
world (their group is renamed to a word found nowhere else). A response that shows one without
having written a `sensitive.read` entry fails the test: a new view that shows them without logging
is caught here, without editing this test.
"""

import html
import io
import re
import zipfile

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import NoReverseMatch, get_resolver, reverse

from bdtx.core.models import AuditLog
from bdtx.core.scope import ScopedQuerySet
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import UserFactory
from bdtx.core.tests.xlsx import build_xlsx
from bdtx.imports.tests.jobs import run_upload
from bdtx.people.models import Ethnicity, Person
from bdtx.plans.models import PersonalPlan
from bdtx.plans.tests.unit_fixtures import make_catalogue, plan_for
from bdtx.standards.models import Assessment, Framework
from tests.test_url_walk import _patterns

pytestmark = pytest.mark.django_db

MARK = "Dântộcđánhdấu"  # the ethnic group of every person of the world, for this test
PER_MODEL = 3
QUERIES = ("", "?minority=1")
ZIP_TYPES = ("application/vnd.openxmlformats", "application/zip", "application/octet-stream")


def _world_with_sensitive_pages(world) -> list[str]:  # type: ignore[no-untyped-def]
    """Mark the world's people, and add what the sensitive pages need: an import whose problems show
    ID numbers, an approved plan (participant lists), an assessment. Returns the markers."""
    Ethnicity.objects.filter(code="54").update(name=MARK)
    Person.objects.filter(pk__in=[p.pk for p in world.people.values()]).update(ethnicity_id="54")
    teacher = world.people["teacher_a1"]
    rows = [["Họ và tên", "Giới tính", "Số định danh"], ["Ai Đó", "Nữ", teacher.personal_id]] * 1
    rows += [["Ai Khác", "Nữ", teacher.personal_id]]  # the same ID twice: a problem showing it
    run_upload(kind="staff", content=build_xlsx(rows), user=world.users["principal_a1"], unit=world.u("th_a1"))
    plan = plan_for(teacher, world.u("th_a1"), make_catalogue(world))
    PersonalPlan.objects.filter(pk=plan.pk).update(decided_by=world.users["principal_a1"])  # approved by someone
    Assessment.objects.create(
        person=teacher,
        unit=world.u("th_a1"),
        school_year=school_year_current(),
        framework=Framework.objects.get(code="tt20_2018_gvpt"),
    )
    return [MARK, *(p.personal_id for p in world.people.values() if p.personal_id)]


def _readable(response) -> str:  # type: ignore[no-untyped-def]
    """What the response shows: its text, or the XML of the files inside a workbook or a document."""
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if response.get("Content-Type", "").startswith(ZIP_TYPES) and body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            text = " ".join(z.read(n).decode(errors="replace") for n in z.namelist() if n.endswith(".xml"))
        return html.unescape(re.sub(r"<[^>]+>", "", text))
    text = body.decode(errors="replace")
    # a <select> lists every ethnic group: only the chosen one is the person's
    text = re.sub(r"<option(?![^>]*\bselected\b)[^>]*>.*?</option>", "", text, flags=re.S)
    return html.unescape(text)


def _shows(response, markers: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    if response.status_code != 200:
        return []
    text = _readable(response)
    return [m for m in markers if m in text]


def _objects(world) -> list[str]:  # type: ignore[no-untyped-def]
    """UUIDs of objects in the first province (a few of each scoped model, every person of the world)."""
    path = world.u("so_a").path
    found = [str(p.uuid) for p in world.people.values()]
    found += [str(world.u(key).uuid) for key in ("th_a1", "so_a")]  # where the sensitive pages' data is
    for model in apps.get_models():
        qs = model._default_manager.all()
        if "uuid" in {f.name for f in model._meta.get_fields()} and isinstance(qs, ScopedQuerySet):
            found += [str(u) for u in qs.within(path).order_by("-pk").values_list("uuid", flat=True)[:PER_MODEL]]
    return list(dict.fromkeys(found))


def _urls(world) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    year = school_year_current().pk
    uuids = _objects(world)
    out: list[tuple[str, str]] = []
    for name, converters in _patterns(get_resolver()):
        if name == "accounts:logout":
            continue
        if not converters:
            out += [(name, reverse(name) + q) for q in QUERIES]
            continue
        if "uuid" not in converters:
            continue
        for value in uuids:
            kwargs: dict[str, object] = {}
            for c in converters:
                kwargs[c] = value if c == "uuid" else (year if "year" in c else 1)
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            out.append((name, url))
    return out


def _reads() -> int:
    return AuditLog.objects.filter(action="sensitive.read").count()


def test_every_page_that_shows_ethnicity_or_id_numbers_logs_the_read(world, client):
    markers = _world_with_sensitive_pages(world)
    client.force_login(world.users["so_a"])
    unlogged, showing = [], set()
    for name, url in _urls(world):
        before = _reads()
        response = client.get(url)
        if shown := _shows(response, markers):
            showing.add(name)
            if _reads() == before:
                unlogged.append(f"{url} shows {shown[:2]} without a sensitive.read entry")
    assert not unlogged, "\n".join(unlogged)
    # the walk did reach the pages that show sensitive data (else it proves nothing)
    expected = {"people:detail", "people:edit", "people:export", "imports:detail", "imports:errors", "imports:file"}
    expected |= {"api:staff", "plans:unit_participants"}
    assert expected <= showing, expected - showing


def test_the_admin_pages_show_no_ethnicity_or_id_number(world, client):
    """The admin writes no sensitive-read entries: it shows none (`bdtx.core.admin`)."""
    markers = _world_with_sensitive_pages(world)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    walked, shown = 0, []
    for model, model_admin in admin.site._registry.items():
        if model is Ethnicity:
            continue  # the list of the 54 groups is reference data, not anybody's
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse("admin:{}_{}_changelist".format(*info))]
        for pk in model_admin.get_queryset(_admin_request(client)).order_by("-pk").values_list("pk", flat=True)[:5]:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[pk]))
        for url in urls:
            before = _reads()
            response = client.get(url)
            walked += 1
            assert response.status_code == 200, url
            if (found := _shows(response, markers)) and _reads() == before:
                shown.append(f"{url} shows {found[:2]}")
    assert walked > 30 and not shown, "\n".join(shown)


def _admin_request(client):  # type: ignore[no-untyped-def]
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = UserFactory(username="root")
    return request


def test_the_marker_would_be_found_if_a_page_showed_it(world, client):
    """The detection itself: a person page shows both markers to an allowed role."""
    markers = _world_with_sensitive_pages(world)
    client.force_login(world.users["principal_a1"])
    response = client.get(reverse("people:detail", args=[world.people["teacher_a1"].uuid]))
    assert set(_shows(response, markers)) == {MARK, world.people["teacher_a1"].personal_id}
    new = client.get(reverse("people:new"))  # every group is offered, none is a person's
    assert _shows(new, markers) == []
