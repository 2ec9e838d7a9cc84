"""What the apps above `people` keep about a person in a school year, as links for the pages below
them: the person page (in `people`) links to the person's self-assessment (`standards`) and personal
plan (`plans`), and the self-assessment's page to the plan it leads to, without importing upwards.

Each app registers one function per kind of record from its `AppConfig.ready()`. The function
answers for the viewer: a link only to a page the viewer may open (the permission check of that
page), a status without a link when the viewer may know the record's state but not open it, or
None. Each costs a fixed number of queries, whatever the person has.
"""

from collections.abc import Callable
from dataclasses import dataclass

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Scope


@dataclass(frozen=True)
class PersonLink:
    """One record of a person in a school year, as the viewer may see it."""

    key: str  # "standards.assessment", "plans.personal_plan"
    label: str  # what the record is
    status: str  # where it stands ("Submitted", "No plan yet")
    url: str = ""  # the page to open it; empty: the viewer may not open it, or there is nothing to open
    action: str = ""  # the words of the link when they are not "Open" (the person's own next step)
    todo: bool = False  # the person has still to act on it: none yet, a draft, returned to them


# The kinds of record registered today: a page asks for one by its key.
ASSESSMENT = "standards.assessment"
PERSONAL_PLAN = "plans.personal_plan"

PersonLinkFinder = Callable[..., PersonLink | None]  # (*, scope, person_id, school_year) → link or None

_FINDERS: dict[str, tuple[int, PersonLinkFinder]] = {}


def register_person_link(key: str, finder: PersonLinkFinder, *, order: int) -> None:
    """Register the finder of one kind of record; pages list the kinds by `order` (the year's steps)."""
    _FINDERS[key] = (order, finder)


def person_links(*, scope: Scope, person_id: int, school_year: SchoolYear) -> list[PersonLink]:
    """Every registered kind of record of the person in that school year the viewer may know of."""
    found = (finder(scope=scope, person_id=person_id, school_year=school_year) for _o, finder in _ordered())
    return [link for link in found if link is not None]


def person_link(key: str, *, scope: Scope, person_id: int, school_year: SchoolYear) -> PersonLink | None:
    """One kind of record (None when no app registered it, or the viewer may not know of it)."""
    if key not in _FINDERS:
        return None
    return _FINDERS[key][1](scope=scope, person_id=person_id, school_year=school_year)


def _ordered() -> list[tuple[int, PersonLinkFinder]]:
    return sorted(_FINDERS.values(), key=lambda item: item[0])
