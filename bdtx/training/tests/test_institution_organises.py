"""A training institution acting for the authority it belongs to (issue 9: "an organiser (Sở, …, or a
training institution acting for one) creates a cohort"): its own staff create and organise the cohort,
enrol from the authority's approved plans and split the groups; without the delegation they only
assess; an authority elsewhere is not theirs to act for."""

import html
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bdtx.core.scope import SYSTEM
from bdtx.regimes.models import Programme
from bdtx.training.models import Cohort, Enrolment, ScheduleTemplate
from bdtx.training.phases import phase_add
from bdtx.training.services import cohort_create, cohort_update, enrolment_bulk_from_plans, groups_split

from .conftest import approve, cohort, staff

pytestmark = pytest.mark.django_db


def _create(world, mods, scope, organiser="so_a", **kw):  # type: ignore[no-untyped-def]
    return cohort_create(
        scope=scope,
        organiser=world.u(organiser),
        school_year=mods.year,
        name="Mô đun 4 — CĐSP tổ chức",
        programme=Programme.BD03,
        module=mods.gv,
        form="ban_tap_trung",
        capacity=100,
        institution=world.u("cs_dt"),
        template=ScheduleTemplate.objects.get(code="7-2-7"),
        starts_on=date(2026, 12, 1),
        **kw,
    )


def test_the_institution_creates_and_organises_a_cohort_for_its_authority(world, mods, scope_of):
    for p in [world.people["teacher_a1"], *staff(world.u("th_a1"), 2)]:
        approve(p, world.u("th_a1"), mods.gv)
    inst = scope_of("institution")
    c = _create(world, mods, inst, institution_organises=True)
    assert c.organiser == world.u("so_a") and c.managed_by(inst)
    assert enrolment_bulk_from_plans(scope=inst, cohort=c).enrolled == 3  # the Sở's approved plans
    groups_split(scope=inst, cohort=c)
    phase_add(scope=inst, cohort=c, kind="in_person", starts_on=date(2027, 1, 4), ends_on=date(2027, 1, 5))
    assert Enrolment.objects.filter(cohort=c, group__isnull=False).count() == 3


def test_without_the_delegation_the_institution_only_assesses(world, mods, scope_of):
    inst = scope_of("institution")
    with pytest.raises(PermissionDenied):
        _create(world, mods, inst)
    c = cohort(world, mods, institution=world.u("cs_dt"))
    assert not c.managed_by(inst)
    with pytest.raises(PermissionDenied):
        enrolment_bulk_from_plans(scope=inst, cohort=c)
    cohort_update(scope=scope_of("so_a"), cohort=c, institution_organises=True)
    assert Cohort.objects.get(pk=c.pk).managed_by(inst)


def test_an_institution_acts_only_for_the_authority_it_belongs_to(world, mods, scope_of):
    with pytest.raises(PermissionDenied):
        _create(world, mods, scope_of("institution"), organiser="so_b", institution_organises=True)


def test_the_sos_staff_do_not_become_the_institution(world, mods, scope_of):
    """The Sở delegates to the institution; it does not organise through it (it does as the organiser)."""
    c = _create(world, mods, SYSTEM, institution_organises=True)
    assert c.managed_by(scope_of("so_a"))  # as the organiser
    assert not c.managed_by(scope_of("so_b"))


def test_the_institution_sees_the_create_page_and_its_authority_as_organiser(world, client, login):
    login(world.users["institution"])
    r = client.get(reverse("training:new"))
    assert r.status_code == 200
    page = r.content.decode()
    assert html.escape(world.u("so_a").name) in page and 'name="institution_organises"' in page
    login(world.users["teacher_a1"])
    assert client.get(reverse("training:new")).status_code == 403


def test_the_institution_manages_a_delegated_cohorts_pages(world, mods, client, login, scope_of):
    for p in [world.people["teacher_a1"]]:
        approve(p, world.u("th_a1"), mods.gv)
    c = _create(world, mods, scope_of("institution"), institution_organises=True)
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=c)
    e = Enrolment.objects.get(cohort=c)
    login(world.users["institution"])
    assert client.get(reverse("training:enrol", args=[c.uuid])).status_code == 200
    r = client.post(reverse("training:enrolment_withdraw", args=[e.uuid]), {"reason": "Nghỉ ốm dài ngày"})
    assert r.status_code == 302
    assert Enrolment.objects.get(pk=e.pk).status == "withdrawn"
    other = cohort(world, mods, name="Lớp khác", institution=world.u("cs_dt"), module=mods.ql)
    assert client.get(reverse("training:enrol", args=[other.uuid])).status_code == 403
