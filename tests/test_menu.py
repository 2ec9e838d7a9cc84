"""The main menu shows each role exactly the pages it may open: grouping the entries into dropdowns
(base.html) changed where they sit, not who sees them. The layout itself (one line at 1366 px, the
toggler on a phone) is checked in a browser: tests/browser/test_menu_layout.py."""

import re

import pytest
from django.urls import reverse

from bdtx.people.models import Person

pytestmark = pytest.mark.django_db

EVERYONE = {"home:home", "accounts:password_change", "catalog:content", "catalog:modules", "notifications:list"}
MINE = {"standards:mine", "plans:mine"}
REVIEW = {"plans:list", "plans:board", "standards:list"}
# cohorts and their learner surveys: organisers manage them, the ministry and an institution view them
TRAINING = {"training:list", "surveys:list"}
DASHBOARDS = {"dashboards:home"}  # REPORTS_VIEW: school admins, offices, the Sở, the ministry
OFFICE = (
    EVERYONE
    | REVIEW
    | TRAINING
    | DASHBOARDS
    | {"organisations:list", "people:list", "imports:list", "accounts:users", "core:audit"}
)
EVIDENCE = {"training:evidence"}  # organisers record that completed modules are applied (TT 17/2022)
APPROVE = {"training:completion_lists"}  # managing offices approve completion lists (not a school)
RESULTS = {"results:school"}  # a school proposes its year results (PLANS_APPROVE)
RECOGNISE = {"results:recognise"}  # the managing authority recognises them (RESULTS_RECOGNISE)
REPORTS = {"yearreports:board"}  # the yearly results reports up the tree (REPORTS_VIEW)
BIEU3 = {"bieu3:list"}  # the levels that receive reports file Biểu 3 (offices, the Sở) or read it (the ministry)
CATALOG = {"catalog:catalogs", "standards:frameworks", "regimes:list", "home:data_sources"}

# What each role's menu held before the entries were grouped (the permissions of the role).
MENU = {
    "sysadmin": OFFICE | CATALOG | EVIDENCE | APPROVE | RESULTS | RECOGNISE | REPORTS | BIEU3,
    "ministry": (OFFICE - {"imports:list", "accounts:users"}) | CATALOG | RESULTS | REPORTS | BIEU3,
    "so_a": OFFICE | CATALOG | EVIDENCE | APPROVE | RESULTS | RECOGNISE | REPORTS | BIEU3,
    "xa_a1": OFFICE | EVIDENCE | APPROVE | RESULTS | RECOGNISE | REPORTS | BIEU3,
    "principal_a1": OFFICE | EVIDENCE | RESULTS | REPORTS,
    "teacher_a1": EVERYONE | MINE,
    "mentor_a1": EVERYONE | MINE,
    "institution": EVERYONE | TRAINING | {"organisations:list"},
    "norole": EVERYONE,
}


def _menu_links(client) -> set[str]:  # type: ignore[no-untyped-def]
    page = client.get(reverse("home:home")).content.decode()
    nav = page[page.index('<nav class="navbar') : page.index("</nav>")]
    return set(re.findall(r'href="([^"#]+)"', nav))


@pytest.mark.parametrize("username", sorted(MENU))
def test_the_menu_shows_a_role_exactly_the_pages_it_may_open(world, client, username):
    client.force_login(world.users[username])
    links = _menu_links(client)
    assert links == {reverse(name) for name in MENU[username]}
    for link in links - {reverse("accounts:password_change")}:
        assert client.get(link).status_code == 200, link


def test_a_principal_with_a_staff_record_finds_her_own_plan_and_self_assessment_in_the_menu(world, client):
    """As the demo's principal (hieutruong): the school's pages and her own."""
    Person.objects.filter(pk=world.people["principal_a1"].pk).update(user=world.users["principal_a1"])
    client.force_login(world.users["principal_a1"])
    links = _menu_links(client)
    assert links == {reverse(name) for name in OFFICE | EVIDENCE | RESULTS | REPORTS | MINE}
    for name in MINE:
        assert client.get(reverse(name)).status_code == 200
