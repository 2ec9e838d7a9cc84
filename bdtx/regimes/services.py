"""Writes of the regimes: a province's split of programmes 01 and 02, and regimes added or changed
by an administrator (checked against what the grading in `regimes.grading` understands)."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record, diff, snapshot
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.selectors import require_national
from bdtx.regimes.grading import AGGREGATES, MINIMUM_OVER, TEN, ZERO
from bdtx.regimes.models import HoursShift, Programme, Regime

# --- a province's split of programmes 01 and 02 ------------------------------------------------

SHIFT_FIELDS = ["bd01_hours", "bd02_hours", "decision"]


@transaction.atomic
def hours_shift_set(
    *,
    scope: Scope,
    unit: Unit,
    school_year: SchoolYear,
    bd01_hours: int,
    bd02_hours: int,
    decision: str = "",
) -> HoursShift:
    """A province's split of programme 01 and 02 periods for its subtree and one school year.

    Only a provincial department's own staff (content management held at the department) may set
    it, only where the regime of the year allows shifting, and only so that 01 + 02 stays what the
    regime gives them together; programme 03 never changes.
    """
    if unit.kind != UnitKind.DEPARTMENT:
        raise ValidationError(_("Only a provincial Department of Education sets the split of its province."))
    if not scope.holds_at(Perm.CONTENT_MANAGE, unit):
        raise PermissionDenied
    year = school_year.pk
    try:
        regime = Regime.objects.for_year(school_year)
    except Regime.DoesNotExist:
        raise ValidationError(_("No regime covers the school year %(y)s-%(z)s.") % {"y": year, "z": year + 1}) from None
    if not regime.shiftable_01_02:
        raise ValidationError(
            _("%(regime)s does not allow shifting periods between programmes 01 and 02.") % {"regime": regime.name}
        )
    if bd01_hours < 0 or bd02_hours < 0:
        raise ValidationError(_("Periods cannot be negative."))
    together = regime.bd01_hours + regime.bd02_hours
    if bd01_hours + bd02_hours != together:
        raise ValidationError(
            _(
                "Programmes 01 and 02 must add up to %(n)s periods together (%(regime)s); "
                "%(a)s + %(b)s = %(s)s. Programme 03 stays %(c)s periods."
            )
            % {
                "n": together,
                "regime": regime.name,
                "a": bd01_hours,
                "b": bd02_hours,
                "s": bd01_hours + bd02_hours,
                "c": regime.bd03_hours,
            }
        )
    shift = HoursShift.objects.select_for_update().filter(unit=unit, school_year_id=year).first()
    before = snapshot(shift, SHIFT_FIELDS) if shift else {}
    if shift is None:
        shift = HoursShift(unit=unit, school_year_id=year)
    shift.bd01_hours, shift.bd02_hours, shift.decision = bd01_hours, bd02_hours, decision.strip()
    shift.save()
    audit_record(
        actor_id=scope.user_id,
        action="hours_shift.set",
        obj=shift,
        object_repr=f"{unit.name} {year}-{year + 1}: {bd01_hours}/{bd02_hours}/{regime.bd03_hours}",
        unit_path=unit.path,
        changes=diff(before, snapshot(shift, SHIFT_FIELDS)),
    )
    return shift


# --- regimes -----------------------------------------------------------------------------------

REGIME_FIELDS = [
    "code",
    "name",
    "legal_source",
    "first_year",
    "last_year",
    "total_hours",
    "bd01_hours",
    "bd02_hours",
    "bd03_hours",
    "shiftable_01_02",
    "pass_mark",
    "result_categories",
    "grading",
    "notes",
]


def regime_require_manage(scope: Scope) -> Unit:
    """Regimes are national: only catalog management held over the ministry may change them."""
    return require_national(scope, Perm.CATALOG_MANAGE)


def _decimal_in_scale(value: Any) -> bool:
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return False
    return d.is_finite() and ZERO <= d <= TEN


def _check_categories(categories: Any) -> tuple[list[str], set[str]]:
    errors: list[str] = []
    if not isinstance(categories, list) or not categories:
        message = _('Give the result categories as a list: [{"code": …, "label": …, "completed": true}, …].')
        return [message], set()
    codes: set[str] = set()
    for i, c in enumerate(categories, start=1):
        if not isinstance(c, dict) or not str(c.get("code", "")).strip() or not str(c.get("label", "")).strip():
            errors.append(_("Result category %(i)s needs a code and a label.") % {"i": i})
            continue
        if c["code"] in codes:
            errors.append(_("The result category code “%(c)s” appears twice.") % {"c": c["code"]})
        codes.add(c["code"])
        if not isinstance(c.get("completed", False), bool):
            errors.append(_("“completed” of result category %(i)s is true or false.") % {"i": i})
    flags = {bool(c.get("completed")) for c in categories if isinstance(c, dict)}
    if flags != {True, False}:
        errors.append(_("At least one result category completes the plan and at least one does not."))
    return errors, codes


def _check_grading(grading: Any, codes: set[str]) -> list[str]:
    if grading in (None, ""):
        return []
    if not isinstance(grading, dict):
        return [_("The grading formula is an object ({…}), or empty for a pass/fail regime.")]
    errors: list[str] = []

    def known(key: str) -> None:
        if key in grading and grading[key] not in codes:
            errors.append(_("“%(k)s” names an unknown result category: %(c)s.") % {"k": key, "c": grading[key]})

    thresholds = grading.get("thresholds") or []
    if not thresholds:
        known("pass_category")
        known("fail_category")
        return errors
    if not isinstance(thresholds, list):
        return [_("“thresholds” is a list.")]
    components = grading.get("components")
    if not isinstance(components, list) or not components:
        errors.append(_("A graded regime lists its score components in “components”."))
    else:
        for i, comp in enumerate(components, start=1):
            if not isinstance(comp, dict) or not str(comp.get("code", "")).strip():
                errors.append(_("Score component %(i)s needs a code.") % {"i": i})
            elif comp.get("aggregate", "single") not in AGGREGATES:
                errors.append(_("Score component %(i)s: “aggregate” is “single” or “mean”.") % {"i": i})
            elif comp.get("programmes") is not None and (
                not isinstance(comp["programmes"], list) or not set(comp["programmes"]) <= set(Programme.values)
            ):
                errors.append(
                    _("Score component %(i)s: “programmes” lists programme codes (%(codes)s).")
                    % {"i": i, "codes": ", ".join(Programme.values)}
                )
    for i, t in enumerate(thresholds, start=1):
        if not isinstance(t, dict) or t.get("category") not in codes:
            errors.append(_("Threshold %(i)s names no known result category.") % {"i": i})
        elif not (_decimal_in_scale(t.get("min_average")) and _decimal_in_scale(t.get("min_score"))):
            errors.append(_("Threshold %(i)s: “min_average” and “min_score” are numbers from 0 to 10.") % {"i": i})
    if grading.get("otherwise") not in codes:
        errors.append(_("“otherwise” names the category given when no threshold is met."))
    decimals = grading.get("average_decimals")
    if decimals is not None and (not isinstance(decimals, int) or not 0 <= decimals <= 4):
        errors.append(_("“average_decimals” is a whole number from 0 to 4, or null (no rounding)."))
    if grading.get("minimum_over", "each_score") not in MINIMUM_OVER:
        errors.append(_("“minimum_over” is “each_score” or “components”."))
    return errors


def regime_validate(data: Mapping[str, Any], *, exclude_pk: int | None = None) -> None:
    """Raise ValidationError (messages by field) unless the regime's rules are consistent.

    Periods add up; years run forward and do not overlap another regime; the pass mark is on the
    10-point scale; categories and grading data are well formed.
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    hours = [data.get(k) for k in ("bd01_hours", "bd02_hours", "bd03_hours")]
    known = [int(h) for h in hours if h is not None]
    if len(known) == 3 and data.get("total_hours") is not None and sum(known) != data["total_hours"]:
        add(
            "total_hours",
            _("Programmes 01, 02 and 03 add up to %(s)s periods, not %(t)s.")
            % {"s": sum(known), "t": data["total_hours"]},
        )
    first, last = data.get("first_year"), data.get("last_year")
    if first is not None and last is not None and last < first:
        add("last_year", _("The last school year cannot come before the first."))
    if first is not None:
        others = Regime.objects.exclude(pk=exclude_pk) if exclude_pk else Regime.objects.all()
        for other in others:
            if (last is None or other.first_year <= last) and (other.last_year is None or first <= other.last_year):
                add(
                    "first_year",
                    _(
                        "These school years overlap %(name)s (%(span)s). Set the last school year of that regime "
                        "first, or choose other years."
                    )
                    % {"name": other.name, "span": other.years_label},
                )
    pass_mark = data.get("pass_mark")
    if pass_mark is not None and not _decimal_in_scale(pass_mark):
        add("pass_mark", _("The pass mark is between 0 and 10."))
    cat_errors, codes = _check_categories(data.get("result_categories"))
    for e in cat_errors:
        add("result_categories", e)
    for e in _check_grading(data.get("grading"), codes):
        add("grading", e)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def regime_create(*, scope: Scope, close_previous: bool = False, **fields: Any) -> Regime:
    """Add a regime (e.g. the one of the Law on Teachers 2025) as data.

    With `close_previous`, the open-ended regime that began before it ends the school year before
    it begins, in the same transaction; otherwise overlapping years are an error.
    """
    unit = regime_require_manage(scope)
    if close_previous and fields.get("first_year") is not None:
        open_one = (
            Regime.objects.select_for_update()
            .filter(last_year__isnull=True, first_year__lt=fields["first_year"])
            .first()
        )
        if open_one is not None:
            before = snapshot(open_one, ["last_year"])
            open_one.last_year = fields["first_year"] - 1
            open_one.save(update_fields=["last_year", "updated_at"])
            audit_record(
                actor_id=scope.user_id,
                action="regime.update",
                obj=open_one,
                unit_path=unit.path,
                changes=diff(before, snapshot(open_one, ["last_year"])),
            )
    regime_validate(fields)
    regime = Regime.objects.create(**fields)
    audit_record(
        actor_id=scope.user_id,
        action="regime.create",
        obj=regime,
        unit_path=unit.path,
        changes={k: [None, v] for k, v in snapshot(regime, REGIME_FIELDS).items()},
    )
    return regime


@transaction.atomic
def regime_update(*, scope: Scope, regime: Regime, **fields: Any) -> Regime:
    """Change a regime's rules (validated as a whole, audited field by field)."""
    unit = regime_require_manage(scope)
    regime = Regime.objects.select_for_update().get(pk=regime.pk)
    before = snapshot(regime, REGIME_FIELDS)
    data = {**before, **fields}
    regime_validate(data, exclude_pk=regime.pk)
    for k, v in fields.items():
        setattr(regime, k, v)
    regime.save()
    changes = diff(before, snapshot(regime, REGIME_FIELDS))
    if changes:
        audit_record(actor_id=scope.user_id, action="regime.update", obj=regime, unit_path=unit.path, changes=changes)
    return regime
