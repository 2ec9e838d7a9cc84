"""How a year result's reasons read (`YearResult.reasons`, written by `results_compute`)."""

from typing import Any

from django import template
from django.utils import translation
from django.utils.translation import gettext as _

register = template.Library()


def _decimal(text: Any) -> str:
    """A stored decimal ("4.99") as Vietnamese writes it ("4,99")."""
    return str(text).replace(".", ",") if translation.get_language() == "vi" else str(text)


def reason_text(reason: dict[str, Any]) -> str:
    """One reason why a result is not completed, in words."""
    code = reason.get("code")
    if code == "item":
        return _("Not completed: %(title)s") % {"title": reason.get("title", "")}
    if code == "score":
        return _("%(what)s: %(value)s below the pass mark") % {
            "what": reason.get("what", ""),
            "value": _decimal(reason.get("value", "")),
        }
    if code == "empty_plan":
        return _("The approved plan has no item")
    if code == "no_scores":
        return _("No graded score this school year")
    if code == "mentor_hours":
        return _("Core teacher's converted periods: %(hours)s of the %(needed)s periods still needed") % {
            "hours": _decimal(reason.get("hours", "")),
            "needed": reason.get("needed", ""),
        }
    if code == "component_missing":
        return _("No score for: %(what)s") % {"what": reason.get("what", "")}
    return str(code or "")


@register.filter
def reason_texts(reasons: Any) -> list[str]:
    """The reasons of a result, each in words."""
    return [reason_text(r) for r in reasons or [] if isinstance(r, dict)]
