"""A training institution: its staff's landing page says their role and what they can do; the Sở
that contracts it finds it under itself, with its accounts."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from bdtx.accounts.models import Role

pytestmark = pytest.mark.django_db

HOME = reverse("home:home")
NO_ROLE = "You have no role yet. Ask your school or office administrator to assign one."


def _unit(unit) -> str:  # type: ignore[no-untyped-def]
    return reverse("home:unit", args=[unit.uuid])


def test_the_institutions_landing_page_says_its_role_what_it_does_and_who_contracts_it(world, login):
    r = login(world.users["institution"]).get(HOME)
    assert r.status_code == 200
    assert [ra.unit for ra in r.context["institutions"]] == [world.u("cs_dt")]
    text = r.content.decode()
    assert _(NO_ROLE) not in text and 'id="no-role"' not in text
    assert str(Role.INSTITUTION_STAFF.label) in text
    assert _("What a training institution does in BDTX") in text and _("Coming later") in text
    assert (_("Contracted by %(authority)s") % {"authority": "Sở GD&amp;ĐT Tỉnh An"}) in text
    for url in (reverse("catalog:modules"), reverse("catalog:content"), _unit(world.u("cs_dt"))):
        assert f'href="{url}"' in text
    assert reverse("people:list") not in text  # a staff list it may not open


def test_only_someone_without_any_role_is_told_they_have_none(world, login):
    assert _(NO_ROLE) in login(world.users["norole"]).get(HOME).content.decode()


def test_the_institutions_own_page_has_no_button_it_may_not_press(world, login):
    r = login(world.users["institution"]).get(_unit(world.u("cs_dt")))
    assert r.status_code == 200
    assert r.context["staff"] is None and r.context["accounts"] is None
    assert reverse("people:list") not in r.text and reverse("accounts:users") not in r.text


def test_the_department_finds_its_institution_in_its_tree_and_lists(world, login):
    c = login(world.users["so_a"])
    r = c.get(_unit(world.u("so_a")))
    assert world.u("cs_dt") in list(r.context["children"])
    r = c.get(reverse("organisations:list"), {"kind": "institution"})
    assert [u.code for u in r.context["page_obj"]] == ["CDSP"]
    r = login(world.users["sysadmin"]).get(reverse("organisations:list"), {"kind": "institution"})
    assert [u.code for u in r.context["page_obj"]] == ["CDSP"]


def test_the_departments_view_of_its_institution_leads_to_its_accounts(world, login):
    r = login(world.users["so_a"]).get(_unit(world.u("cs_dt")))
    assert r.status_code == 200
    assert r.context["staff"] is None  # an institution keeps no staff records
    assert r.context["accounts"] == 1 and r.context["accounts_here"]
    assert reverse("accounts:unit_account_new", args=[world.u("cs_dt").uuid]) in r.text
    assert f"{reverse('accounts:users')}?unit={world.u('cs_dt').uuid}" in r.text
    assert 'id="authority"' in r.text and _unit(world.u("so_a")) in r.text


def test_another_province_gets_404_for_the_institution(world, login):
    c = login(world.users["so_b"])
    assert c.get(_unit(world.u("cs_dt"))).status_code == 404
    r = c.get(reverse("organisations:list"), {"kind": "institution"})
    assert list(r.context["page_obj"]) == []


def test_a_school_page_lists_accounts_but_creates_them_from_staff_records(world, login):
    r = login(world.users["so_a"]).get(_unit(world.u("th_a1")))
    assert r.context["staff"] is not None and r.context["accounts"] == 3 and not r.context["accounts_here"]
    assert reverse("accounts:unit_account_new", args=[world.u("th_a1").uuid]) not in r.text


def test_the_content_page_of_an_institution_counts_the_periods_of_the_province_it_teaches(world, login):
    r = login(world.users["institution"]).get(reverse("catalog:content"))
    assert r.status_code == 200 and r.context["anchor"] == world.u("so_a")
