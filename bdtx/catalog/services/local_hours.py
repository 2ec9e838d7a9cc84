"""Writes of the periods a province gives the modules its ministry's catalog gives none.

A Sở sets them for its province from a school year on, naming the document that decided them; a
later decision starts a new version from its year, so the periods of past years stay as they were
(`VersionedByYear`). The ministry's periods always win: a module the catalog gives periods to takes
no province's periods.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.catalog.models import Module, ModuleLocalHours
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.core.text import nfc
from bdtx.organisations.models import Unit, UnitKind

MAX_MODULE_HOURS = 120  # a module is 20 or 40 periods in every known catalog; 120 is a whole year


def _rights(scope: Scope, unit: Unit) -> None:
    """Only a provincial department's own staff (catalog management held at the Sở) set its periods."""
    if unit.kind != UnitKind.DEPARTMENT:
        raise ValidationError(_("The periods of a module are set for a province by its Department of Education."))
    if not scope.holds_at(Perm.CATALOG_MANAGE, unit):
        raise PermissionDenied


def _years(first: int, last: int | None) -> str:
    return f"{first}-{first + 1} → {f'{last}-{last + 1}' if last is not None else '…'}"


def _state(row: ModuleLocalHours | None) -> dict[str, object]:
    """What the audit entry compares: the periods, their document and the years they hold."""
    if row is None:
        return {}
    return {"hours": row.hours, "source": row.source, "years": _years(row.first_year, row.last_year)}


@transaction.atomic
def module_local_hours_set(
    *,
    scope: Scope,
    module: Module,
    unit: Unit,
    school_year: SchoolYear,
    hours: int | None,
    source: str,
) -> ModuleLocalHours:
    """The periods of `module` for the province of `unit` (a Sở) from `school_year` on.

    Refused when the ministry's catalog gives the module periods, when the module is not offered
    that year, for periods outside 1–120 and without the document that decided them. A version
    of the province's periods that began before the year ends the year before; one that begins
    that year is corrected.
    """
    _rights(scope, unit)
    module = Module.objects.select_for_update().select_related("catalog").get(pk=module.pk)
    year = school_year.start_year
    if module.hours_total is not None:
        raise ValidationError(
            {
                "hours": _(
                    "The ministry's catalog gives module %(code)s %(n)s periods: they count everywhere, "
                    "a province cannot change them."
                )
                % {"code": module.code, "n": module.hours_total}
            }
        )
    if not Module.objects.in_force(school_year).filter(pk=module.pk).exists():
        raise ValidationError(
            _("Module %(code)s is not offered in the school year %(y)s-%(z)s.")
            % {"code": module.code, "y": year, "z": year + 1}
        )
    if hours is None or not 0 < hours <= MAX_MODULE_HOURS:
        raise ValidationError({"hours": _("A module has from 1 to %(n)s periods.") % {"n": MAX_MODULE_HOURS}})
    source = nfc(source)
    if not source:
        raise ValidationError(
            {"source": _("Name the document that sets these periods (its number and date), e.g. a letter of the Sở.")}
        )
    versions = ModuleLocalHours.objects.select_for_update().filter(module=module, unit=unit)
    current = versions.in_force(school_year).first()
    before = _state(current)
    now = timezone.now()
    if current is not None and current.first_year == year:
        row = current
        row.hours, row.source, row.set_by_id, row.set_at = hours, source, scope.user_id, now
        row.save()
    else:
        if current is not None:
            last = current.last_year
            current.last_year = year - 1
            current.save(update_fields=["last_year", "updated_at"])
        else:
            later = versions.filter(first_year__gt=year).order_by("first_year").first()
            last = later.first_year - 1 if later is not None else None
        row = ModuleLocalHours.objects.create(
            module=module,
            unit=unit,
            first_year=year,
            last_year=last,
            hours=hours,
            source=source,
            set_by_id=scope.user_id,
            set_at=now,
        )
    after = _state(row)
    audit_record(
        actor_id=scope.user_id,
        action="module_local_hours.set",
        obj=row,
        object_repr=f"{unit.name}: {module.code}",
        unit_path=unit.path,
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
        note=f"{module.catalog.code} {module.code}",
    )
    return row


@transaction.atomic
def module_local_hours_clear(*, scope: Scope, module: Module, unit: Unit, school_year: SchoolYear) -> None:
    """The province's periods of `module` no longer hold from `school_year` on (the years before keep
    them); its people then find the module without periods until the ministry or the Sở gives some."""
    _rights(scope, unit)
    year = school_year.start_year
    current = (
        ModuleLocalHours.objects.select_for_update().filter(module=module, unit=unit).in_force(school_year).first()
    )
    if current is None:
        raise ValidationError(
            _("The province has set no periods for module %(code)s in the school year %(y)s-%(z)s.")
            % {"code": module.code, "y": year, "z": year + 1}
        )
    before = _state(current)
    audit_record(
        actor_id=scope.user_id,
        action="module_local_hours.clear",
        obj=current,
        object_repr=f"{unit.name}: {module.code}",
        unit_path=unit.path,
        changes=(
            {k: [v, None] for k, v in before.items()}
            if current.first_year == year
            else {"years": [before["years"], _years(current.first_year, year - 1)]}
        ),
        note=f"{module.catalog.code} {module.code}",
    )
    if current.first_year == year:
        current.delete()
    else:
        current.last_year = year - 1
        current.save(update_fields=["last_year", "updated_at"])
