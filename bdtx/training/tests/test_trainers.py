"""A cohort's trainers linked to a staff record (found by a search in the organiser's subtree, refused
outside it) and a trainer's own page of sessions, with its link on the landing page."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.people.models import EmploymentStatus
from bdtx.training.models import Cohort, CohortSession, Degree, Trainer, TrainerRole
from bdtx.training.services import trainer_add

from .conftest import cohort

pytestmark = pytest.mark.django_db

QUALIFIED = {"role": TrainerRole.LECTURER, "degree": Degree.MASTER, "years_experience": 3, "it_skills": True}
POSTED = {"role": "lecturer", "degree": "master", "years_experience": 3, "it_skills": "on"}


def _search(client, c: Cohort, q: str):  # type: ignore[no-untyped-def]
    return client.get(reverse("training:trainer_people", kwargs={"uuid": c.uuid}), {"person_q": q})


def _session(c: Cohort, start: datetime, venue: str = "Hội trường Sở") -> CohortSession:
    return CohortSession.objects.create(cohort=c, venue=venue, starts_at=start, ends_at=start + timedelta(hours=3))


# --- linking a trainer to a staff record ---------------------------------------------------------


def test_the_organiser_finds_a_colleague_by_name_and_links_them_as_trainer(world, mods, login):
    c = cohort(world, mods)
    client = login(world.users["so_a"])
    detail = client.get(reverse("training:detail", kwargs={"uuid": c.uuid})).content.decode()
    assert 'id="trainer-person-q"' in detail and "htmx.min.js" in detail
    colleague = world.people["colleague_a1"]
    found = _search(client, c, "hong").content.decode()  # diacritics need not be typed
    assert f'value="{colleague.uuid}"' in found and "Trường Tiểu học Đông" in found
    # the staff code: the account's user name
    assert f'value="{world.people["mentor_a1"].uuid}"' in _search(client, c, "mentor_a1").content.decode()
    r = client.post(reverse("training:trainer_add", kwargs={"uuid": c.uuid}), {"person": str(colleague.uuid), **POSTED})
    assert r.status_code == 302
    t = Trainer.objects.get(cohort=c)
    assert t.person == colleague and t.full_name == "Lê Thị Hồng"  # the name comes from the record
    entry = AuditLog.objects.get(action="trainer.add", object_uuid=t.uuid)
    assert entry.changes["person"] == [None, "Lê Thị Hồng"]
    page = client.get(reverse("training:detail", kwargs={"uuid": c.uuid})).content.decode()
    assert "data-linked" in page


def test_the_search_shows_at_most_twenty_people_and_only_under_the_organiser(world, mods, login):
    c = cohort(world, mods)
    for _ in range(25):
        EmploymentFactory(unit=world.u("thcs_a2"), person__family_name="Mạc")
    retired = EmploymentFactory(
        unit=world.u("th_a1"), person__family_name="Ma", person__given_name="Xuyến", status=EmploymentStatus.RETIRED
    ).person
    client = login(world.users["so_a"])
    r = _search(client, c, "mac")
    assert r.status_code == 200
    assert r.content.decode().count("data-person=") == 20 and 'id="trainer-people-more"' in r.content.decode()
    # teacher_b1 works in the other province, the retired teacher no longer works: nobody found
    for q in ("vu thi ngoc", "ma xuyen"):
        found = _search(client, c, q).content.decode()
        assert 'id="trainer-people-none"' in found and "data-person=" not in found, q
    assert str(retired.uuid) not in _search(client, c, "xuyen").content.decode()
    # an empty search lists nobody
    assert "data-person=" not in _search(client, c, "").content.decode()


def test_the_search_answers_404_outside_and_403_without_the_right_to_manage(world, mods, login):
    c = cohort(world, mods)
    assert _search(login(world.users["so_b"]), c, "hong").status_code == 404
    assert _search(login(world.users["ministry"]), c, "hong").status_code == 403


def test_the_service_refuses_a_person_outside_the_organisers_subtree_in_vietnamese(world, mods, scope_of):
    c = cohort(world, mods, organiser="xa_a1")
    with translation.override("vi"), pytest.raises(ValidationError) as e:
        trainer_add(scope=scope_of("xa_a1"), cohort=c, person=world.people["teacher_a2"], **QUALIFIED)
    assert "không làm việc" in e.value.messages[0] and "Hoàng Thị Lan" in e.value.messages[0]
    with pytest.raises(ValidationError):  # the other province, even for a scope that sees everything
        trainer_add(scope=SYSTEM, cohort=c, person=world.people["teacher_b1"], **QUALIFIED)
    assert not Trainer.objects.filter(cohort=c).exists()
    t, _q = trainer_add(scope=scope_of("xa_a1"), cohort=c, person=world.people["colleague_a1"], **QUALIFIED)
    assert t.person == world.people["colleague_a1"]
    with pytest.raises(ValidationError):  # once per cohort
        trainer_add(scope=scope_of("xa_a1"), cohort=c, person=world.people["colleague_a1"], **QUALIFIED)


def test_the_service_refuses_someone_who_worked_there_only_in_another_year(world, mods):
    c = cohort(world, mods)
    person = EmploymentFactory(unit=world.u("th_a1"), school_year=SchoolYear.of(2025)).person
    with pytest.raises(ValidationError):
        trainer_add(scope=SYSTEM, cohort=c, person=person, **QUALIFIED)


def test_the_form_refuses_a_person_of_another_province(world, mods, login):
    c = cohort(world, mods)
    client = login(world.users["so_a"])
    r = client.post(
        reverse("training:trainer_add", kwargs={"uuid": c.uuid}),
        {"person": str(world.people["teacher_b1"].uuid), **POSTED},
    )
    assert r.status_code == 200 and not Trainer.objects.filter(cohort=c).exists()
    assert "Vũ Thị Ngọc" not in r.content.decode()


def test_a_training_institutions_trainer_is_added_by_name_without_a_staff_record(world, mods, login):
    c = cohort(world, mods)
    client = login(world.users["so_a"])
    url = reverse("training:trainer_add", kwargs={"uuid": c.uuid})
    r = client.post(url, {"person": "", "full_name": "", **POSTED})
    assert r.status_code == 200 and not Trainer.objects.filter(cohort=c).exists()  # neither name nor record
    assert client.post(url, {"person": "", "full_name": "Lò Văn An", **POSTED}).status_code == 302
    t = Trainer.objects.get(cohort=c)
    assert t.person is None and t.full_name == "Lò Văn An"


# --- My sessions ---------------------------------------------------------------------------------


@pytest.fixture
def trains(world, mods):  # type: ignore[no-untyped-def]
    """mentor_a1 linked as trainer to a cohort of the Sở with a session tomorrow and one last month."""
    c = cohort(world, mods, name="Lớp có báo cáo viên")
    trainer_add(scope=SYSTEM, cohort=c, person=world.people["mentor_a1"], **QUALIFIED)
    now = timezone.now()
    return c, _session(c, now + timedelta(days=1), "Phòng họp A"), _session(c, now - timedelta(days=30), "Phòng họp B")


def test_a_linked_trainer_sees_their_cohort_and_sessions_with_the_links_that_open(world, login, trains):
    c, upcoming, past = trains
    client = login(world.users["mentor_a1"])
    r = client.get(reverse("training:my_sessions"))
    page = r.content.decode()
    assert r.status_code == 200 and "Lớp có báo cáo viên" in page
    assert "Phòng họp A" in page and "Phòng họp B" not in page
    links = [
        reverse("training:attendance", kwargs={"uuid": upcoming.uuid}),
        reverse("training:attendance_qr", kwargs={"uuid": upcoming.uuid}),
        reverse("training:questions", kwargs={"uuid": c.uuid}),
    ]
    for url in links:
        assert url in page
        assert client.get(url).status_code == 200, url
    past_page = client.get(reverse("training:my_sessions"), {"show": "past"}).content.decode()
    assert "Phòng họp B" in past_page and "Phòng họp A" not in past_page
    assert reverse("training:attendance", kwargs={"uuid": past.uuid}) in past_page
    assert reverse("training:attendance_qr", kwargs={"uuid": past.uuid}) not in past_page


def test_the_page_follows_the_chosen_school_year(world, login, trains):
    client = login(world.users["mentor_a1"])
    other = SchoolYear.of(2025)
    r = client.get(reverse("training:my_sessions"), {"year": other.pk})
    assert r.status_code == 200 and 'id="no-sessions"' in r.content.decode()


@pytest.mark.parametrize("username", ["teacher_a1", "norole", "so_a"])
def test_someone_who_trains_nowhere_gets_an_empty_page(world, login, username):
    r = login(world.users[username]).get(reverse("training:my_sessions"))
    assert r.status_code == 200 and 'id="no-sessions"' in r.content.decode()


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_takes_the_same_queries_for_two_sessions_and_for_sixty(world, mods, login, trains):
    client = login(world.users["mentor_a1"])
    url = reverse("training:my_sessions")
    few = _queries(client, url)
    start = datetime(2027, 1, 4, 1, 0, tzinfo=UTC)
    for i in range(3):
        c = cohort(world, mods, name=f"Lớp {i}")
        trainer_add(scope=SYSTEM, cohort=c, person=world.people["mentor_a1"], **QUALIFIED)
        for d in range(20):
            _session(c, start + timedelta(days=d, hours=i))
    many = _queries(client, url)
    assert few == many
    page = client.get(url).content.decode()
    assert page.count("data-session=") == 50  # a page of 50, sorted by start time
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count("data-session=") == 11


# --- the landing page ----------------------------------------------------------------------------


def test_the_landing_page_links_a_trainer_to_their_sessions_at_a_constant_cost(world, mods, login, trains):
    home = reverse("home:home")
    assert 'id="my-sessions-link"' not in login(world.users["teacher_a1"]).get(home).content.decode()
    client = login(world.users["mentor_a1"])
    page = client.get(home).content.decode()
    assert 'id="my-sessions-link"' in page and reverse("training:my_sessions") in page
    before = _queries(client, home)
    for i in range(3):
        c = cohort(world, mods, name=f"Lớp {i}")
        trainer_add(scope=SYSTEM, cohort=c, person=world.people["mentor_a1"], **QUALIFIED)
    assert _queries(client, home) == before
