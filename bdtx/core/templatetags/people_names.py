"""How a page names the user who did something: the person's full name, the account's name, its
user name — or "the system" when nobody did (a loader, a scheduled task). A template that wrote
`x.get_full_name|default:x.username` failed with a 500 when x was None."""

from django import template
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def who(user: AbstractBaseUser | None) -> str:
    if user is None:
        return _("the system")
    person = getattr(user, "person", None)
    full_name = getattr(person, "full_name", "") if person is not None else ""
    get_full_name = getattr(user, "get_full_name", None)
    return full_name or (get_full_name() if get_full_name else "") or user.get_username()
