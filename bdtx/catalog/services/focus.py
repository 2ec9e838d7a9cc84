"""Writes of focus modules: the programme 03 modules a Sở recommends first for a year (seed 003)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bdtx.catalog.models import FocusModule, Module
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.organisations.models import SchoolLevel, Unit, UnitKind
from bdtx.people.models import Audience


@transaction.atomic
def focus_module_add(
    *,
    scope: Scope,
    unit: Unit,
    school_year: SchoolYear,
    module: Module,
    school_level: str = "",
    priority: int = 0,
) -> FocusModule:
    """A module the province wants its people of a level (or of every level) to take in programme 03."""
    if unit.kind != UnitKind.DEPARTMENT:
        raise ValidationError(_("Focus modules are chosen by a provincial department."))
    if not scope.holds_at(Perm.CONTENT_MANAGE, unit):
        raise PermissionDenied
    year = school_year.pk
    if not Module.objects.in_force(school_year).filter(pk=module.pk).exists():
        raise ValidationError(
            {
                "module": _("This module is not offered in the school year %(y)s-%(z)s.")
                % {
                    "y": year,
                    "z": year + 1,
                }
            }
        )
    if school_level and school_level not in SchoolLevel.values:
        raise ValidationError({"school_level": _("Unknown school level.")})
    if school_level and module.level_list and school_level not in module.level_list:
        raise ValidationError({"school_level": _("This module is not for that school level.")})
    if not Audience.fits_level(module.audience, school_level):
        raise ValidationError({"school_level": _("This module is not for that school level.")})
    if FocusModule.objects.filter(unit=unit, school_year_id=year, module=module, school_level=school_level).exists():
        raise ValidationError({"module": _("This module is already a focus module for that level and year.")})
    try:
        with transaction.atomic():
            focus = FocusModule.objects.create(
                unit=unit, school_year_id=year, module=module, school_level=school_level, priority=priority
            )
    except IntegrityError:
        raise ValidationError({"module": _("This module is already a focus module for that level and year.")})
    audit_record(
        actor_id=scope.user_id,
        action="focus_module.add",
        obj=focus,
        object_repr=f"{unit.name} {year}-{year + 1}: {module.code} {school_level}".strip(),
        unit_path=unit.path,
        changes={"module": [None, str(module)], "school_level": [None, school_level], "priority": [None, priority]},
    )
    return focus


@transaction.atomic
def focus_module_remove(*, scope: Scope, focus: FocusModule) -> None:
    if not scope.holds_at(Perm.CONTENT_MANAGE, focus.unit):
        raise PermissionDenied
    audit_record(
        actor_id=scope.user_id,
        action="focus_module.remove",
        obj=focus,
        object_repr=f"{focus.unit.name}: {focus.module.code} {focus.school_level}".strip(),
        unit_path=focus.unit.path,
        changes={"module": [str(focus.module), None]},
    )
    focus.delete()
