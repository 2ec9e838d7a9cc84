"""The one way a view reads the school year from a request, and the one way it turns a selector's
miss into a 404."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from bdtx.core.http import get_in_scope_or_404, year_from_request
from bdtx.core.models import SchoolYear
from bdtx.core.selectors import school_year_current
from bdtx.organisations.selectors import unit_get

pytestmark = pytest.mark.django_db


def test_the_year_comes_from_the_query_string_then_the_form(db):
    rf = RequestFactory()
    assert year_from_request(rf.get("/", {"year": "2024"})) == SchoolYear.objects.get(pk=2024)
    assert year_from_request(rf.post("/", {"year": "2023"})) == SchoolYear.objects.get(pk=2023)


@pytest.mark.parametrize("raw", ["", "abc", "1999", "2024-2025", "99999999999999999999"])
def test_a_missing_or_unknown_year_is_the_current_one(raw):
    assert year_from_request(RequestFactory().get("/", {"year": raw})) == school_year_current()


def test_a_unit_outside_the_scope_answers_like_a_missing_one(world, scope_of):
    scope = scope_of("so_a")
    assert get_in_scope_or_404(unit_get, scope=scope, uuid=str(world.u("th_a1").uuid)) == world.u("th_a1")
    for uuid in (str(world.u("th_b1").uuid), "00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        with pytest.raises(Http404):
            get_in_scope_or_404(unit_get, scope=scope, uuid=uuid)


def test_a_school_year_knows_the_next_one_even_beyond_the_seeded_years():
    assert SchoolYear.of(2025).next == SchoolYear.objects.get(pk=2026)
    far = SchoolYear.of(2090)
    assert far.pk == 2090 and far.label == "2090-2091" and far._state.adding
