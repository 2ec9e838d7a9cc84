"""The data migration correcting the rules (0008) on a database loaded before it: rules corrected in
place, the missing criteria added, ratings already recorded computed again, all of it audited once."""

import importlib

import pytest
from django.apps import apps

from bdtx.core.models import AuditLog
from bdtx.core.selectors import school_year_current
from bdtx.people.models import Employment
from bdtx.standards.models import Assessment, Criterion, CriterionRating, Framework, Level, RatingRule, Standard
from bdtx.standards.rating import rating_explain

pytestmark = pytest.mark.django_db

T, K, D, CD = Level.EXCELLENT, Level.GOOD, Level.MET, Level.NOT_MET
migration = importlib.import_module("bdtx.standards.migrations.0008_rules_match_the_circulars")


def _as_loaded_by_0002() -> None:
    """The standards as the first data migration left them before issue 8."""
    Framework.objects.update(criteria_count=None)
    RatingRule.objects.filter(framework__code="tt14_2018_hieutruong", result=D).update(
        min_all=D, share_level=None, share_numerator=0, share_denominator=1, key_min=None
    )
    RatingRule.objects.filter(framework__code="tt26_2018_gvmn").update(key_min=None)
    tt26 = Criterion.objects.filter(standard__framework__code="tt26_2018_gvmn")
    for c in tt26:
        c.is_key = False
        c.source = c.source.removesuffix(migration.TT26_KEY_NOTE)
        c.save()
    tt26.filter(number__in=[11, 12]).delete()
    Standard.objects.filter(framework__code="tt26_2018_gvmn", number=4).delete()
    Criterion.objects.filter(standard__framework__code="tt25_2018_hieutruong_mn", number=16).delete()
    AuditLog.objects.all().delete()


def _recorded(person, fw_code: str, self_levels: dict[int, int], principal_levels: dict[int, int], **results):  # type: ignore[no-untyped-def]
    emp = Employment.objects.get(person=person, school_year=school_year_current())
    fw = Framework.objects.get(code=fw_code)
    a = Assessment.objects.create(
        person=person,
        unit=emp.unit,
        school_year=school_year_current(),
        framework=fw,
        status=Assessment.Status.EVALUATED,
        **results,
    )
    AuditLog.objects.create(action="assessment.evaluate", object_type="standards.assessment", object_uuid=a.uuid)
    for c in Criterion.objects.filter(standard__framework=fw):
        CriterionRating.objects.create(
            assessment=a,
            criterion=c,
            self_level=self_levels.get(c.number),
            principal_level=principal_levels.get(c.number),
        )
    return a


def test_0008_corrects_the_rules_adds_the_criteria_and_recomputes_what_was_recorded(world):
    _as_loaded_by_0002()
    # A principal at Đạt everywhere but one criterion that is not a key one: Chưa đạt under the old rule.
    principal = _recorded(
        world.people["principal_a1"],
        "tt14_2018_hieutruong",
        {n: CD if n == 18 else D for n in range(1, 19)},
        {n: CD if n == 7 else D for n in range(1, 19)},
        self_result=CD,
        principal_result=CD,
    )
    # A preschool teacher rated on the 13 criteria known then: Tốt everywhere but key criterion 4
    # at Khá gave Tốt without key criteria; with them, Khá.
    Employment.objects.filter(person=world.people["colleague_a1"]).update(school_level="MN")
    teacher = _recorded(
        world.people["colleague_a1"],
        "tt26_2018_gvmn",
        {n: K if n == 4 else T for n in range(1, 16)},
        {},
        self_result=T,
    )
    assert CriterionRating.objects.filter(assessment=teacher).count() == 13

    migration.forwards(apps, None)

    principal.refresh_from_db()
    teacher.refresh_from_db()
    assert (principal.self_result, principal.principal_result) == (D, D)
    assert teacher.self_result == K
    assert Framework.objects.get(code="tt26_2018_gvmn").criteria_count == 15
    assert sorted(
        Criterion.objects.filter(standard__framework__code="tt26_2018_gvmn", is_key=True).values_list(
            "number", flat=True
        )
    ) == [1, 3, 4, 5, 6, 7, 8, 9]
    assert Criterion.objects.filter(standard__framework__code="tt25_2018_hieutruong_mn").count() == 18
    rule = RatingRule.objects.get(framework__code="tt14_2018_hieutruong", result=D)
    assert (rule.min_all, rule.share_level, rule.key_min) == (CD, D, D)
    # the ids are kept: the rules are corrected in place
    assert RatingRule.objects.filter(framework__code="tt14_2018_hieutruong").count() == 4

    entries = list(AuditLog.objects.order_by("pk").values_list("action", "object_uuid", "changes"))
    recomputed = {uuid: changes for action, uuid, changes in entries if action == "assessment.recompute"}
    assert recomputed == {
        principal.uuid: {"self_result": [CD, D], "principal_result": [CD, D]},
        teacher.uuid: {"self_result": [T, K]},
    }
    assert sum(1 for action, *_ in entries if action == "criterion.add") == 3
    tt14_change = next(
        c
        for a, uuid, c in entries
        if a == "framework.update" and uuid == Framework.objects.get(code=rule.framework.code).uuid
    )
    assert tt14_change["rules"] == [["Đạt: mọi tiêu chí ≥ Đạt"], ["Đạt: ≥ 2/3 tiêu chí ≥ Đạt, tiêu chí bắt buộc ≥ Đạt"]]

    # again: nothing left to correct, nothing written
    migration.forwards(apps, None)
    assert AuditLog.objects.count() == len(entries)


@pytest.mark.parametrize(
    ("code", "levels"),
    [
        ("tt14_2018_hieutruong", {n: CD if n in (9, 11, 15, 16, 17, 18) else D for n in range(1, 19)}),
        ("tt14_2018_hieutruong", {n: CD if n in (7, 9, 11, 15, 16, 17, 18) else D for n in range(1, 19)}),
        ("tt26_2018_gvmn", {n: T if n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10) else K for n in range(1, 16)}),
        ("tt26_2018_gvmn", {n: K if n == 9 else T for n in range(1, 16)}),
        ("tt25_2018_hieutruong_mn", {n: CD if n == 18 else T for n in range(1, 19)}),
    ],
)
def test_the_migrations_own_computation_agrees_with_the_engine(code, levels):
    fw = Framework.objects.get(code=code)
    criteria = list(Criterion.objects.filter(standard__framework=fw))
    rules = list(RatingRule.objects.filter(framework=fw))
    by_id = {c.pk: levels[c.number] for c in criteria}
    expected = rating_explain(framework=fw, levels=by_id).level
    assert migration.rate(levels, [(c.number, c.is_key) for c in criteria], rules, fw.criteria_count) == expected


def test_0008_on_a_new_installation_loads_without_auditing(world):
    """No history yet: the standards are being loaded (as by 0002), not corrected."""
    AuditLog.objects.all().delete()
    Framework.objects.update(criteria_count=None)
    Criterion.objects.filter(standard__framework__code="tt25_2018_hieutruong_mn", number=16).delete()
    migration.forwards(apps, None)
    assert Criterion.objects.filter(standard__framework__code="tt25_2018_hieutruong_mn", number=16).exists()
    assert Framework.objects.get(code="tt14_2018_hieutruong").criteria_count == 18
    assert not AuditLog.objects.exists()
