from django import template
from django.utils.translation import gettext_lazy as _

from bdtx.standards.models import Level, RatingRule
from bdtx.standards.rating import rule_conditions

register = template.Library()

_CLASSES = {
    Level.EXCELLENT: "text-bg-success",
    Level.GOOD: "text-bg-primary",
    Level.MET: "text-bg-info",
    Level.NOT_MET: "text-bg-danger",
}


@register.filter
def level_class(level: int | None) -> str:
    """Bootstrap badge colours of a level (grey when there is none)."""
    return _CLASSES.get(level, "text-bg-secondary") if level else "text-bg-secondary"  # type: ignore[call-overload]


@register.filter
def level_label(level: int | None) -> str:
    return str(Level(level).label) if level else ""


@register.inclusion_tag("standards/_level.html")
def level_badge(level: int | None, empty: str = "—") -> dict[str, object]:
    return {"level": level, "empty": empty}


@register.filter
def rule_text(rule: RatingRule) -> str:
    """What a rating rule needs, in words."""
    if rule.result == Level.NOT_MET:
        return str(_("when no rule above holds"))
    return "; ".join(rule_conditions(rule)) or "—"
