"""A staff import never reaches outside the importer's scope, whatever school year is chosen; and a
file without the ID column is written only once the user has read why that is a problem."""

import pytest
from django.urls import reverse

from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.xlsx import build_xlsx
from bdtx.imports.models import ImportJob
from bdtx.imports.tests.jobs import run_confirm, run_upload
from bdtx.people.models import Employment, Person

pytestmark = pytest.mark.django_db

PERSON_FIELDS = [
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "date_of_birth",
    "ethnicity_id",
    "personal_id",
    "phone",
    "email",
]


def _offered_years(client, kind: str = "staff") -> list[SchoolYear]:  # type: ignore[no-untyped-def]
    r = client.get(reverse("imports:new", args=[kind]))
    assert r.status_code == 200
    return list(r.context["form"].fields["school_year"].queryset.order_by("start_year"))


def _state(person: Person) -> tuple[object, ...]:
    person.refresh_from_db()
    jobs = sorted(Employment.objects.filter(person=person).values_list("school_year_id", "unit_id", "position"))
    people_entries = AuditLog.objects.filter(object_type="people.person").count()
    return (*(getattr(person, f) for f in PERSON_FIELDS), tuple(jobs), people_entries)


def test_the_upload_form_offers_only_the_years_the_user_has_authority_over(world, login):
    current = school_year_current().pk
    years = [y.pk for y in _offered_years(login(world.users["principal_a1"]))]
    assert current in years and current + 1 in years
    assert max(years) == current + 1 and 2035 not in years
    form = login(world.users["principal_a1"]).get(reverse("imports:new", args=["staff"])).context["form"]
    assert form.fields["school_year"].initial.pk == current


def test_a_year_outside_the_users_authority_is_refused_on_upload(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bdtx.people.tests.staff_files import clean_staff_file

    upload = SimpleUploadedFile("a.xlsx", clean_staff_file(), content_type="application/octet-stream")
    r = login(world.users["principal_a1"]).post(
        reverse("imports:new", args=["staff"]),
        {"unit": world.u("th_a1").uuid, "school_year": school_year_current().pk + 5, "file": upload},
    )
    assert r.status_code == 200 and "school_year" in r.context["form"].errors
    assert not ImportJob.objects.exists()


def test_a_job_for_a_year_outside_the_authority_fails_before_reading_a_row(world):
    from bdtx.people.tests.staff_files import clean_staff_file

    far = SchoolYear.of(school_year_current().pk + 5)
    job = run_upload(
        kind="staff",
        content=clean_staff_file(),
        user=world.users["principal_a1"],
        unit=world.u("th_a1"),
        school_year=far,
    )
    assert job.status == ImportJob.Status.FAILED and far.label in job.message
    assert not Person.objects.filter(personal_id="001185012345").exists()


def test_a_row_with_another_schools_teacher_is_refused_in_every_year_the_form_offers(world, login):
    """The probe: one row with a teacher of another school's ID number, for a year in which that teacher
    has no employment. In every year offered, the row is refused and nothing changes."""
    teacher_b1 = world.people["teacher_b1"]
    principal = world.users["principal_a1"]
    years = _offered_years(login(principal))
    assert len(years) >= 3
    rows = [
        ["Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Số định danh", "Điện thoại"],
        [
            "Giả Mạo Tên",
            teacher_b1.get_gender_display(),
            teacher_b1.date_of_birth,
            "Mường",
            teacher_b1.personal_id,
            "0999999999",
        ],
    ]
    content = build_xlsx(rows)
    before = _state(teacher_b1)
    for year in years:
        job = run_upload(kind="staff", content=content, user=principal, unit=world.u("th_a1"), school_year=year)
        problems = [(p["row"], p["code"]) for p in job.problems]
        assert (2, "person.outside_scope") in problems, (year, problems)
        assert job.status == ImportJob.Status.VALIDATED and job.valid_rows == 0 and not job.can_confirm, year
        assert _state(teacher_b1) == before, year
    r = login(principal).get(job.get_absolute_url())
    assert "ngoài phạm vi" in r.text  # the refusal is explained in Vietnamese


def test_a_row_with_a_teacher_who_left_the_school_is_refused_too(world):
    """Someone who worked here last year and elsewhere this year belongs to their new school now."""
    year = school_year_current()
    teacher = world.people["colleague_a1"]
    Employment.objects.filter(person=teacher).update(school_year_id=year.pk - 1)
    Employment.objects.create(person=teacher, school_year=year, unit=world.u("th_b1"))
    rows = [["Họ và tên", "Giới tính", "Số định danh"], ["Lê Thị Hồng Đổi", "Nữ", teacher.personal_id]]
    before = _state(teacher)
    job = run_upload(
        kind="staff",
        content=build_xlsx(rows),
        user=world.users["principal_a1"],
        unit=world.u("th_a1"),
        school_year=year,
    )
    assert [p["code"] for p in job.problems] == ["person.outside_scope"]
    assert _state(teacher) == before


# --- a file without the ID column ---------------------------------------------------------------------


NO_ID = [
    ["Họ và tên", "Giới tính", "Ngày sinh"],
    ["Mai Văn Tư", "Nam", "01/01/1980"],
    ["Đinh Thị Năm", "Nữ", "02/02/1982"],
]


def test_a_file_without_the_id_column_is_written_only_after_the_user_confirms(world):
    principal = world.users["principal_a1"]
    people = Person.objects.count()
    job = run_upload(kind="staff", content=build_xlsx(NO_ID), user=principal, unit=world.u("th_a1"))
    assert job.status == ImportJob.Status.VALIDATED and job.can_confirm
    [warning] = job.problems
    assert (warning["code"], warning["severity"], warning["row"]) == ("column.no_personal_id", "warning", 1)
    assert Person.objects.count() == people
    job = run_confirm(job, user=principal, only_valid=False)
    assert job.status == ImportJob.Status.DONE and Person.objects.count() == people + 2


def test_the_warning_says_the_next_import_may_create_the_same_people_again(world, login):
    principal = world.users["principal_a1"]
    job = run_upload(kind="staff", content=build_xlsx(NO_ID), user=principal, unit=world.u("th_a1"))
    r = login(principal).get(job.get_absolute_url())
    assert 'id="import-all"' in r.text and 'data-code="column.no_personal_id"' in r.text
    assert "tạo lại" in r.text  # "…may create them again", in Vietnamese


def test_a_file_with_the_id_column_is_written_at_once(world):
    from bdtx.people.tests.staff_files import clean_staff_file

    job = run_upload(kind="staff", content=clean_staff_file(), user=world.users["principal_a1"], unit=world.u("th_a1"))
    assert job.status == ImportJob.Status.DONE and not job.problems
