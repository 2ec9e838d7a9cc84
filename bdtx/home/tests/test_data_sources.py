"""Notes for the people who maintain the data stay on their own page (issue 8: "(verify)", "(mặc
định, cần đối chiếu văn bản)", "dịch lại từ bản tiếng Anh" were shown next to every deadline and on
every self-assessment)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bdtx.plans.models import DeadlineDefault
from bdtx.regimes.models import Regime
from bdtx.standards.models import Confidence, Criterion, Framework

pytestmark = pytest.mark.django_db

PANEL = reverse("home:data_sources")
DEVELOPER_NOTES = re.compile(
    r"\(verify\)|cần đối chiếu văn bản\)|dịch lại từ bản tiếng Anh|giả định|secondary source", re.I
)


def test_the_panel_lists_every_data_set_with_what_is_still_to_be_checked(world, login):
    framework = Framework.objects.first()
    framework.completeness_note = "Tiêu chí 14, 15 dịch lại từ bản tiếng Anh"
    framework.save()
    r = login(world.users["so_a"]).get(PANEL)
    assert r.status_code == 200
    assert "Tiêu chí 14, 15 dịch lại từ bản tiếng Anh" in r.text
    for regime in Regime.objects.all():
        assert regime.name in r.text
    assert "cần đối chiếu với văn bản Thông tư 19/2019" in r.text  # the default deadlines' note
    assert r.context["sources"].to_check >= 2
    # the training rules: their sources, and what is still to be checked, for the maintainers only
    assert "Thông tư 17/2022" in r.text and "Công văn 1395/SGDĐT-ĐTBD" in r.text
    assert "Cần đối chiếu văn bản: điều khoản của Thông tư 17/2022" in r.text


def test_the_panel_costs_a_constant_number_of_queries(world, login):
    c = login(world.users["so_a"])
    with CaptureQueriesContext(connection) as few:
        c.get(PANEL)
    Regime.objects.update(verification_note="x")
    with CaptureQueriesContext(connection) as more:
        c.get(PANEL)
    assert len(more) == len(few)


def test_the_panel_is_refused_to_whoever_does_not_maintain_data(world, login):
    assert login(world.users["principal_a1"]).get(PANEL).status_code == 403
    assert login(world.users["teacher_a1"]).get(PANEL).status_code == 403


def test_default_deadlines_cite_the_circular_and_keep_the_note_apart():
    # the four plan deadlines, and the two of the yearly results report (plans migration 0011)
    assert DeadlineDefault.objects.count() == 6
    for d in DeadlineDefault.objects.all():
        assert "đối chiếu" not in d.source
        assert d.source in ("Thông tư 19/2019/TT-BGDĐT", "Thông tư 19/2020/TT-BGDĐT") and d.verification_note


def test_regimes_keep_their_notes_for_users_clean():
    for regime in Regime.objects.all():
        assert not DEVELOPER_NOTES.search(regime.notes), regime.code
        assert not DEVELOPER_NOTES.search(str(regime.grading.get("source", ""))), regime.code
    assert Regime.objects.exclude(verification_note="").exists()


def test_a_self_assessment_shows_no_notes_about_the_data(world, login):
    Criterion.objects.update(confidence=Confidence.UNVERIFIED)
    Framework.objects.update(completeness_note="Tên tiêu chí dịch lại từ bản tiếng Anh")
    c = login(world.users["teacher_a1"])
    r = c.get(reverse("standards:mine"))
    assert r.status_code == 200
    assert not DEVELOPER_NOTES.search(r.text)
    assert "chưa được đối chiếu" not in r.text and "Về dữ liệu này" not in r.text
    # …while the page that maintains the standard shows them
    f = Framework.objects.first()
    r = login(world.users["so_a"]).get(reverse("standards:framework", args=[f.uuid]))
    assert "dịch lại từ bản tiếng Anh" in r.text and "chưa được đối chiếu" in r.text


def test_the_plans_list_shows_the_deadline_without_a_note_about_the_data(world, login):
    r = login(world.users["principal_a1"]).get(reverse("plans:list"), {"unit": str(world.u("th_a1").uuid)})
    assert r.status_code == 200 and "Thông tư 19/2019/TT-BGDĐT" in r.text
    assert not DEVELOPER_NOTES.search(r.text)
