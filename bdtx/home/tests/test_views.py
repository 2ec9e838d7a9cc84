import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

pytestmark = pytest.mark.django_db


def test_landing_page_shows_the_principal_their_school_and_its_counts(world, login):
    r = login(world.users["principal_a1"]).get(reverse("home:home"))
    assert r.status_code == 200
    card = r.context["cards"][0]
    assert card["assignment"].unit == world.u("th_a1")
    assert card["staff"].total == 4 and card["staff"].mentors == 1


def test_landing_page_of_the_department_counts_units_under_it(world, login):
    r = login(world.users["so_a"]).get(reverse("home:home"))
    summary = {row.kind: row.n for row in r.context["cards"][0]["units"]}
    # the dissolved district is not counted; 3 schools, 2 communes, the training institution it contracts
    assert summary == {"commune": 2, "school": 3, "institution": 1}
    assert r.context["cards"][0]["staff"].total == 5


def test_landing_page_of_a_teacher_shows_only_their_own_record(world, login):
    r = login(world.users["teacher_a1"]).get(reverse("home:home"))
    assert r.status_code == 200 and r.context["cards"] == []
    assert r.context["me"] == world.people["teacher_a1"]


def test_unit_detail_shows_history_of_placements(world, login):
    r = login(world.users["so_a"]).get(reverse("home:unit", args=[world.u("th_a1").uuid]))
    assert r.status_code == 200
    assert "Phòng GD&amp;ĐT huyện Cũ" in r.text and "01/07/2025" in r.text


def test_principal_sees_parent_name_without_a_link_to_it(world, login):
    r = login(world.users["principal_a1"]).get(reverse("home:unit", args=[world.u("th_a1").uuid]))
    assert r.status_code == 200 and not r.context["parent_visible"]
    assert reverse("home:unit", args=[world.u("xa_a1").uuid]) not in r.text


def test_unit_of_another_province_is_404(world, login):
    r = login(world.users["so_a"]).get(reverse("home:unit", args=[world.u("th_b1").uuid]))
    assert r.status_code == 404


def test_teacher_cannot_browse_units(world, login):
    c = login(world.users["teacher_a1"])
    assert c.get(reverse("organisations:list")).status_code == 403
    assert c.get(reverse("home:unit", args=[world.u("th_a1").uuid])).status_code == 404


def test_unit_detail_query_count_is_constant(world, login, django_assert_max_num_queries):
    c = login(world.users["sysadmin"])
    with django_assert_max_num_queries(14):
        c.get(reverse("home:unit", args=[world.u("so_a").uuid]))


def test_dissolved_district_page_shows_its_schools_and_staff_for_2024_but_not_2025(world, login):
    c = login(world.users["so_a"])
    url = reverse("home:unit", args=[world.u("phong_a").uuid])
    r = c.get(url, {"year": 2024})
    assert [u.code for u in r.context["children"]] == ["TH-A1"]
    r = c.get(url, {"year": 2025})
    assert list(r.context["children"]) == []


def test_the_landing_page_starts_with_what_waits_for_each_person(world, login):
    from bdtx.core.selectors import school_year_current
    from bdtx.plans.models import PersonalPlan, PlanStatus, UnitPlan
    from bdtx.regimes.models import Regime

    year = school_year_current()
    regime = Regime.objects.for_year(year)
    teacher, colleague = world.people["teacher_a1"], world.people["colleague_a1"]
    school = world.u("th_a1")
    PersonalPlan.objects.create(
        person=teacher, unit=school, school_year=year, regime=regime, status=PlanStatus.RETURNED
    )
    PersonalPlan.objects.create(
        person=colleague, unit=school, school_year=year, regime=regime, status=PlanStatus.SUBMITTED
    )
    UnitPlan.objects.create(unit=school, school_year=year, status=PlanStatus.SUBMITTED, totals={})

    mine = login(world.users["teacher_a1"]).get(reverse("home:home"))
    texts = [w.text for w in mine.context["waiting"]]
    assert texts[0].startswith(_("Your plan for %(y)s was sent back to you: see the comment and change it.")[:10])
    assert mine.context["waiting"][0].tone == "danger" and 'id="waiting"' in mine.text

    principal = login(world.users["principal_a1"]).get(reverse("home:home")).context["waiting"]
    assert any(w.tone == "primary" and "status=submitted" in w.url and str(school.uuid) in w.url for w in principal)

    commune = login(world.users["xa_a1"]).get(reverse("home:home")).context["waiting"]
    assert any("plans/board" in w.url and "status=submitted" in w.url for w in commune)

    outsider = login(world.users["so_b"]).get(reverse("home:home")).context["waiting"]
    assert outsider == []


def test_what_waits_costs_the_same_queries_whatever_the_number_of_plans(world, login):
    from bdtx.core.selectors import school_year_current
    from bdtx.core.tests.factories import EmploymentFactory
    from bdtx.plans.models import PersonalPlan, PlanStatus
    from bdtx.regimes.models import Regime

    year = school_year_current()
    c = login(world.users["principal_a1"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("home:home")).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for _i in range(5):
        person = EmploymentFactory(unit=world.u("th_a1")).person
        PersonalPlan.objects.create(
            person=person,
            unit=world.u("th_a1"),
            school_year=year,
            regime=Regime.objects.for_year(year),
            status=PlanStatus.SUBMITTED,
        )
    assert queries() == before
