"""ID numbers are no identity oracle and never travel in an address; every read of ethnicity or ID
numbers on the staff pages is logged; names are clean; transfers have their page."""

import unicodedata

import pytest
from django.urls import reverse

from bdtx.core.models import AuditLog
from bdtx.core.selectors import school_year_current
from bdtx.people.models import Employment, Person

pytestmark = pytest.mark.django_db


def _reads() -> list[AuditLog]:
    return list(AuditLog.objects.filter(action="sensitive.read").order_by("pk"))


# --- ID numbers ---------------------------------------------------------------------------------


def test_the_ministry_cannot_find_a_person_by_id_number_on_the_staff_list_or_the_api(world, login):
    """The ministry may list people but not see ID numbers: an ID search must find nobody."""
    pid = world.people["teacher_a1"].personal_id
    c = login(world.users["ministry"])
    r = c.get(reverse("people:list"), {"q": pid})
    assert r.status_code == 200 and r.context["page_obj"].paginator.count == 0
    r = c.get(reverse("api:staff"), {"q": pid})
    assert r.status_code == 200 and r.json()["count"] == 0
    assert c.get(reverse("people:find")).status_code == 403
    assert c.post(reverse("people:find"), {"personal_id": pid}).status_code == 403


def test_the_staff_list_never_matches_id_numbers_and_says_where_to_search_them(world, login):
    pid = world.people["teacher_a1"].personal_id
    r = login(world.users["principal_a1"]).get(reverse("people:list"), {"q": pid})
    assert r.context["page_obj"].paginator.count == 0 and 'id="id-search-hint"' in r.text
    assert reverse("people:find") in r.text


def test_a_search_by_id_number_is_posted_answers_with_an_address_without_it_and_is_logged(world, login):
    teacher = world.people["teacher_a1"]
    c = login(world.users["principal_a1"])
    page = c.get(reverse("people:find"))
    assert page.status_code == 200 and 'method="post"' in page.text
    r = c.post(reverse("people:find"), {"personal_id": f" {teacher.personal_id} "})
    assert r.status_code == 302 and teacher.personal_id not in r["Location"]
    assert r["Location"] == f"{reverse('people:detail', args=[teacher.uuid])}?year={school_year_current().pk}"
    [entry] = _reads()
    assert (entry.note, entry.object_uuid, entry.actor) == (
        "ID number search",
        teacher.uuid,
        world.users["principal_a1"],
    )


def test_an_id_number_outside_the_scope_is_not_found_and_the_answer_does_not_tell_it_exists(world, login):
    c = login(world.users["principal_a1"])
    elsewhere = c.post(reverse("people:find"), {"personal_id": world.people["teacher_b1"].personal_id})
    nobody = c.post(reverse("people:find"), {"personal_id": "001190999999"})
    assert elsewhere.status_code == nobody.status_code == 200
    assert elsewhere.context["form"].errors == nobody.context["form"].errors
    assert [e.note for e in _reads()] == ["ID number search: nobody found"] * 2


def test_no_page_puts_an_id_number_in_a_link_or_a_get_form(world, login):
    """Links and GET forms of the staff pages, for a role that sees ID numbers: none carries one."""
    teacher = world.people["teacher_a1"]
    c = login(world.users["principal_a1"])
    pages = [
        reverse("people:list"),
        reverse("people:detail", args=[teacher.uuid]),
        reverse("people:edit", args=[teacher.uuid]),
        reverse("people:find"),
    ]
    for url in pages:
        text = c.get(url).text
        assert teacher.personal_id not in " ".join(_hrefs(text)), url
    assert 'name="personal_id"' not in c.get(reverse("people:list")).text  # the ID search form is not the GET filter


def _hrefs(html: str) -> list[str]:
    import re

    return re.findall(r'(?:href|action|hx-get)="([^"]*)"', html)


# --- every read logged ----------------------------------------------------------------------------


def test_the_edit_form_shows_ethnicity_and_id_and_logs_the_read(world, login):
    teacher = world.people["teacher_a1"]
    r = login(world.users["principal_a1"]).get(reverse("people:edit", args=[teacher.uuid]))
    assert r.status_code == 200 and teacher.personal_id in r.text
    [entry] = _reads()
    assert entry.object_uuid == teacher.uuid and entry.note == "person edit form: ethnicity, personal ID"


def test_filtering_the_staff_list_by_ethnicity_is_a_logged_read(world, login):
    c = login(world.users["principal_a1"])
    c.get(reverse("people:list"))
    assert _reads() == []
    r = c.get(reverse("people:list"), {"minority": "1"})
    assert r.status_code == 200
    [entry] = _reads()
    assert entry.note == "staff list: ethnic-minority filter" and entry.unit_path == world.u("th_a1").path
    c.get(reverse("people:export"), {"minority": "0"})
    assert _reads()[-1].note == "staff list export (.xlsx), ethnic-minority filter"


# --- names are clean ------------------------------------------------------------------------------

HIDDEN = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u202e\u202a\u202c\u2066\u2067\u2069\u200e\u200f\u061c\x00\x07"


def test_zero_width_and_bidirectional_controls_are_stripped_from_a_persons_text_in_the_form(world, login):
    teacher = world.people["teacher_a1"]
    data = {
        "family_name": f"Ng{HIDDEN}uyễn",
        "middle_name": "\u202eThị",
        "given_name": unicodedata.normalize("NFD", "Đ\u200bào\u2066"),
        "gender": teacher.gender,
        "date_of_birth": teacher.date_of_birth.strftime("%d/%m/%Y"),
        "ethnicity": teacher.ethnicity_id,
        "personal_id": f"{teacher.personal_id}\u200b",
        "phone": "0912\u200b345678",
        "email": "dao\u200b@example.edu.vn",
    }
    r = login(world.users["principal_a1"]).post(reverse("people:edit", args=[teacher.uuid]), data)
    assert r.status_code == 302, r.context["form"].errors
    teacher.refresh_from_db()
    assert (teacher.family_name, teacher.middle_name, teacher.given_name) == ("Nguyễn", "Thị", "Đào")
    assert (teacher.phone, teacher.email) == ("0912345678", "dao@example.edu.vn")


def test_names_written_through_the_services_are_clean(world):
    from bdtx.core.scope import SYSTEM
    from bdtx.people.services import StaffRow, person_create, staff_bulk_upsert

    year = school_year_current()
    created = person_create(
        scope=SYSTEM,
        unit=world.u("th_a1"),
        school_year=year,
        employment={},
        family_name="Hà\u200b",
        given_name="\u202eAn",
        gender="M",
        phone="\u200e0912345678",
    )
    row = StaffRow(
        family_name="Vi\u2067",
        middle_name="Văn\u00ad",
        given_name="Bình\ufeff",
        gender="M",
        unit_id=world.u("th_a1").pk,
        email="binh\u200b@example.edu.vn",
    )
    staff_bulk_upsert(scope=SYSTEM, school_year=year, rows=[row])
    bulk = Person.objects.get(email="binh@example.edu.vn")
    created.refresh_from_db()
    assert (created.full_name, created.phone, bulk.full_name) == ("Hà An", "0912345678", "Vi Văn Bình")


def test_names_written_through_the_import_are_clean(world):
    from bdtx.core.tests.xlsx import build_xlsx
    from bdtx.imports.tests.jobs import run_upload

    rows = [
        ["Họ và tên", "Giới tính", "Ngày sinh", "Số định danh"],
        ["Lò\u200b Thị\u202e Xu\u2066ân", "Nữ", "01/01/1995", "014195012347"],
    ]
    job = run_upload(kind="staff", content=build_xlsx(rows), user=world.users["principal_a1"], unit=world.u("th_a1"))
    assert job.status == "done", job.problems
    person = Person.objects.get(personal_id="014195012347")
    assert (person.family_name, person.middle_name, person.given_name) == ("Lò", "Thị", "Xuân")
    assert person.search_text.startswith("lo thi xuan")


# --- the transfer page ------------------------------------------------------------------------------


def test_an_office_transfers_a_teacher_from_the_persons_page(world, login):
    teacher = world.people["teacher_a1"]
    year = school_year_current()
    c = login(world.users["so_a"])
    page = c.get(reverse("people:detail", args=[teacher.uuid]))
    assert 'id="transfer-link"' in page.text
    url = reverse("people:transfer", args=[teacher.uuid])
    form = c.get(url)
    assert form.status_code == 200 and world.u("thcs_a2").code in form.text
    r = c.post(f"{url}?year={year.pk}", {"unit": world.u("thcs_a2").code, "school_year": year.pk})
    assert r.status_code == 302
    assert Employment.objects.get(person=teacher).unit == world.u("thcs_a2")


def test_a_school_cannot_transfer_to_a_unit_outside_its_authority(world, login):
    teacher = world.people["teacher_a1"]
    c = login(world.users["principal_a1"])
    url = reverse("people:transfer", args=[teacher.uuid])
    r = c.get(url)
    assert r.status_code == 200 and 'id="no-transfer-target"' in r.text
    r = c.post(url, {"unit": world.u("th_b1").code, "school_year": school_year_current().pk})
    assert r.status_code == 200 and r.context["form"].errors
    assert Employment.objects.get(person=teacher).unit == world.u("th_a1")
    assert login(world.users["ministry"]).get(url).status_code == 403
    assert login(world.users["principal_b1"]).get(url).status_code == 404
