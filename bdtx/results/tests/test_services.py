"""The year results' workflow (issue 10): the school proposes, the authority the province's rule names
(the managing unit by default, or the Sở) recognises or returns with a comment; a recognised result is
frozen under recomputation and corrected only by that authority, with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM
from bdtx.results.compute import results_compute
from bdtx.results.models import Recogniser, RecognitionRule, ResultStatus, YearResult
from bdtx.results.selectors import recogniser_of, recognisers_of
from bdtx.results.services import result_correct, results_propose, results_recognise, results_return
from bdtx.training.tests.conftest import approve, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(world, mods):  # type: ignore[no-untyped-def]
    """Two teachers of th_a1 with approved plans (GV4 not taken: not completed), results computed."""
    people = staff(world.u("th_a1"), 2)
    for p in people:
        approve(p, world.u("th_a1"), mods.gv)
    results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    return people


def _statuses(mods) -> set[str]:  # type: ignore[no-untyped-def]
    return set(YearResult.objects.filter(school_year=mods.year).values_list("status", flat=True))


def _rule(world, recogniser: str, first_year: int = 2020) -> RecognitionRule:  # type: ignore[no-untyped-def]
    return RecognitionRule.objects.create(
        province=world.u("so_a"), recogniser=recogniser, first_year=first_year, source="Quyết định thử"
    )


# --- who recognises -----------------------------------------------------------------------------------


def test_without_a_rule_the_managing_unit_recognises(world, mods):
    assert recogniser_of(school=world.u("th_a1"), school_year=mods.year) == world.u("xa_a1")
    assert recogniser_of(school=world.u("thpt_a"), school_year=mods.year) == world.u("so_a")  # managed by the Sở


def test_the_managing_unit_is_the_one_of_that_school_year(world, mods):
    """2024-2025: th_a1 was still under the district office (abolished on 01/07/2025)."""
    from bdtx.core.models import SchoolYear

    assert recogniser_of(school=world.u("th_a1"), school_year=SchoolYear.of(2024)) == world.u("phong_a")


def test_a_province_rule_names_the_so_for_all_its_schools(world, mods):
    _rule(world, Recogniser.PROVINCE)
    found = recognisers_of(school_ids=[world.u(k).pk for k in ("th_a1", "thcs_a2", "th_b1")], school_year=mods.year)
    assert found == {
        world.u("th_a1").pk: world.u("so_a"),
        world.u("thcs_a2").pk: world.u("so_a"),
        world.u("th_b1").pk: world.u("xa_b1"),  # another province, no rule: its managing unit
    }


def test_a_managing_rule_and_a_rule_not_in_force_leave_the_managing_unit(world, mods):
    _rule(world, Recogniser.MANAGING)
    assert recogniser_of(school=world.u("th_a1"), school_year=mods.year) == world.u("xa_a1")
    RecognitionRule.objects.all().delete()
    _rule(world, Recogniser.PROVINCE, first_year=mods.year.start_year + 1)  # from next year only
    assert recogniser_of(school=world.u("th_a1"), school_year=mods.year) == world.u("xa_a1")


def test_recognisers_of_many_schools_take_two_queries(world, mods, django_assert_num_queries):
    _rule(world, Recogniser.PROVINCE)
    ids = [world.u(k).pk for k in ("th_a1", "thcs_a2", "thpt_a", "th_b1")]
    with django_assert_num_queries(2):
        assert len(recognisers_of(school_ids=ids, school_year=mods.year)) == 4


# --- propose ----------------------------------------------------------------------------------------------


def test_the_school_proposes_its_computed_results(world, mods, school, scope_of):
    n = results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)
    assert n == 2 and _statuses(mods) == {ResultStatus.PROPOSED}
    r = YearResult.objects.filter(school_year=mods.year).first()
    assert r is not None and r.proposed_by_id == world.users["principal_a1"].pk and r.proposed_at
    entry = AuditLog.objects.get(action="results.propose")
    assert entry.changes["people"] == [None, 2] and entry.unit_path == world.u("th_a1").path


def test_another_school_or_a_teacher_cannot_propose(world, mods, school, scope_of):
    for user in ("principal_a2", "teacher_a1"):
        with pytest.raises(PermissionDenied):
            results_propose(scope=scope_of(user), school=world.u("th_a1"), school_year=mods.year)
    assert _statuses(mods) == {ResultStatus.COMPUTED}


def test_proposing_with_nothing_computed_is_refused_in_words(world, mods, scope_of):
    with pytest.raises(ValidationError, match="Không có kết quả nào đã tính"):
        results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)


def test_proposing_recomputes_first(world, mods, scope_of):
    """A plan approved after the last computation is in the proposed list."""
    person = staff(world.u("th_a1"), 1)[0]
    approve(person, world.u("th_a1"), mods.gv)
    assert not YearResult.objects.filter(person=person).exists()
    results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)
    assert YearResult.objects.get(person=person).status == ResultStatus.PROPOSED


# --- recognise, return ------------------------------------------------------------------------------------


def test_the_managing_office_recognises_the_proposed_results(world, mods, school, scope_of):
    results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)
    n = results_recognise(scope=scope_of("xa_a1"), school=world.u("th_a1"), school_year=mods.year)
    assert n == 2 and _statuses(mods) == {ResultStatus.RECOGNISED}
    r = YearResult.objects.filter(school_year=mods.year).first()
    assert r is not None and r.recognised_unit == world.u("xa_a1") and r.recognised_by == world.users["xa_a1"]
    entry = AuditLog.objects.get(action="results.recognise")
    assert entry.changes["recogniser"] == [None, world.u("xa_a1").name]


def test_the_school_and_another_province_cannot_recognise(world, mods, school, scope_of):
    results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)
    for user in ("principal_a1", "so_b"):
        with pytest.raises(PermissionDenied):
            results_recognise(scope=scope_of(user), school=world.u("th_a1"), school_year=mods.year)
    assert _statuses(mods) == {ResultStatus.PROPOSED}


def test_under_a_province_rule_only_the_so_recognises(world, mods, school, scope_of):
    _rule(world, Recogniser.PROVINCE)
    results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)
    with pytest.raises(PermissionDenied):
        results_recognise(scope=scope_of("xa_a1"), school=world.u("th_a1"), school_year=mods.year)
    results_recognise(scope=scope_of("so_a"), school=world.u("th_a1"), school_year=mods.year)
    assert set(YearResult.objects.values_list("recognised_unit", flat=True)) == {world.u("so_a").pk}


def test_recognising_with_nothing_proposed_is_refused(world, mods, school, scope_of):
    with pytest.raises(ValidationError):
        results_recognise(scope=scope_of("xa_a1"), school=world.u("th_a1"), school_year=mods.year)


def test_return_needs_a_comment_and_the_school_proposes_again(world, mods, school, scope_of):
    th = world.u("th_a1")
    results_propose(scope=scope_of("principal_a1"), school=th, school_year=mods.year)
    with pytest.raises(ValidationError):
        results_return(scope=scope_of("xa_a1"), school=th, school_year=mods.year, comment="  ")
    with pytest.raises(PermissionDenied):
        results_return(scope=scope_of("principal_a1"), school=th, school_year=mods.year, comment="Thiếu điểm")
    assert results_return(scope=scope_of("xa_a1"), school=th, school_year=mods.year, comment="Thiếu điểm") == 2
    assert _statuses(mods) == {ResultStatus.COMPUTED}
    assert set(YearResult.objects.values_list("return_comment", flat=True)) == {"Thiếu điểm"}
    assert AuditLog.objects.get(action="results.return").note == "Thiếu điểm"
    # the school corrects its data and proposes again; the authority recognises
    results_propose(scope=scope_of("principal_a1"), school=th, school_year=mods.year)
    assert set(YearResult.objects.values_list("return_comment", flat=True)) == {""}
    results_recognise(scope=scope_of("xa_a1"), school=th, school_year=mods.year)
    assert _statuses(mods) == {ResultStatus.RECOGNISED}


def test_the_principal_is_told_of_a_return_with_its_reason_and_of_the_recognition(world, mods, school, scope_of):
    from bdtx.notifications.models import Notification

    th = world.u("th_a1")
    principal = world.users["principal_a1"]
    results_propose(scope=scope_of("principal_a1"), school=th, school_year=mods.year)
    results_return(scope=scope_of("xa_a1"), school=th, school_year=mods.year, comment="Thiếu điểm bài thu hoạch")
    returned = Notification.objects.get(user=principal, kind="results.returned")
    assert "Trường Tiểu học Đông" in returned.title and "Thiếu điểm bài thu hoạch" in returned.body
    assert not Notification.objects.filter(kind="results.returned").exclude(user=principal).exists()
    results_propose(scope=scope_of("principal_a1"), school=th, school_year=mods.year)
    results_recognise(scope=scope_of("xa_a1"), school=th, school_year=mods.year)
    recognised = Notification.objects.get(user=principal, kind="results.recognised")
    assert recognised.title.startswith("2 kết quả") and str(mods.year) in recognised.title


# --- recognised: frozen, corrected with a reason -----------------------------------------------------------


@pytest.fixture
def recognised(world, mods, school, scope_of):  # type: ignore[no-untyped-def]
    results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)
    results_recognise(scope=scope_of("xa_a1"), school=world.u("th_a1"), school_year=mods.year)
    return YearResult.objects.get(person=school[0], school_year=mods.year)


def test_recognised_results_are_not_recomputed(world, mods, recognised):
    YearResult.objects.filter(pk=recognised.pk).update(label="Giữ nguyên")
    summary = results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    assert summary.kept == 2
    assert YearResult.objects.get(pk=recognised.pk).label == "Giữ nguyên"


def test_the_authority_corrects_a_recognised_result_with_a_reason(world, mods, recognised, scope_of):
    assert not recognised.completed
    r = result_correct(scope=scope_of("xa_a1"), result=recognised, category="hoan_thanh", reason="Chấm phúc khảo")
    assert (r.category, r.label, r.completed, r.note) == (
        "hoan_thanh",
        "Hoàn thành kế hoạch BDTX",
        True,
        "Chấm phúc khảo",
    )
    entry = AuditLog.objects.get(action="results.correct")
    assert entry.object_uuid == r.uuid and entry.note == "Chấm phúc khảo"
    assert entry.changes == {
        "label": ["Không hoàn thành kế hoạch BDTX", "Hoàn thành kế hoạch BDTX"],
        "completed": [False, True],
    }


def test_a_correction_needs_a_reason_and_a_category_of_the_regime(world, mods, recognised, scope_of):
    with pytest.raises(ValidationError):
        result_correct(scope=scope_of("xa_a1"), result=recognised, category="hoan_thanh", reason=" ")
    with pytest.raises(ValidationError):
        result_correct(scope=scope_of("xa_a1"), result=recognised, category="gioi", reason="Sai")  # TT 26 only
    assert not AuditLog.objects.filter(action="results.correct").exists()


def test_only_the_recognising_authority_corrects(world, mods, recognised, scope_of):
    for user in ("principal_a1", "so_b"):
        with pytest.raises(PermissionDenied):
            result_correct(scope=scope_of(user), result=recognised, category="hoan_thanh", reason="Sai")


def test_a_result_not_recognised_is_not_corrected_by_hand(world, mods, school, scope_of):
    r = YearResult.objects.get(person=school[0], school_year=mods.year)
    with pytest.raises(ValidationError):
        result_correct(scope=SYSTEM, result=r, category="hoan_thanh", reason="Sai")


def test_a_person_outside_the_school_is_untouched(world, mods, school, scope_of):
    """Proposing th_a1 leaves another school's computed results as they are."""
    other = staff(world.u("thcs_a2"), 1)[0]
    approve(other, world.u("thcs_a2"), mods.gv)
    results_compute(scope=SYSTEM, unit=world.u("thcs_a2"), school_year=mods.year)
    results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)
    assert YearResult.objects.get(person=other).status == ResultStatus.COMPUTED
