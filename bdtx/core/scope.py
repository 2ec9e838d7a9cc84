"""Who may see what: the one mechanism every selector uses.

The organisation tree is the tenancy. A user's scope is the union of the subtrees of the units
where they hold a role (each with that role's permissions), plus their own person record. Every
model that belongs to a unit has a QuerySet deriving from `ScopedQuerySet` and is filtered with
`.visible_to(scope)`: a prefix match on the unit's materialised path, which an ordinary index
serves (a range on SQLite's binary collation, LIKE 'prefix%' with the varchar_pattern_ops index
Django adds for indexed CharFields on PostgreSQL).

Outside the scope an object answers 404, like a missing one; inside it without the permission,
403 (`Scope.require`).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, Self

from django.core.exceptions import PermissionDenied
from django.db import connections, models


def path_upper_bound(prefix: str) -> str:
    """Smallest string above every string that starts with `prefix` (paths use digits and '/')."""
    if not prefix.endswith("/"):
        raise ValueError(f"tree paths end with '/': {prefix!r}")
    return prefix[:-1] + "0"  # chr(ord('/') + 1) == '0'


def path_within_q(field_name: str, prefixes: Iterable[str], vendor: str) -> models.Q:
    """Q matching rows whose `field_name` lies in any of the subtrees `prefixes`."""
    q = models.Q(pk__in=[])
    for prefix in collapse_paths(prefixes):
        if vendor == "sqlite":
            q |= models.Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": path_upper_bound(prefix)})
        else:
            q |= models.Q(**{f"{field_name}__startswith": prefix})
    return q


def ancestor_paths(path: str) -> list[str]:
    """'/1/5/42/' → ['/1/', '/1/5/', '/1/5/42/'] (the unit itself last)."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def ancestor_ids(path: str) -> list[int]:
    """Ids of the units on a materialised path, the root first: '/1/5/42/' → [1, 5, 42]."""
    return [int(p) for p in path.strip("/").split("/") if p]


def collapse_paths(paths: Iterable[str]) -> list[str]:
    """Drop paths already covered by an ancestor in the list: ['/1/', '/1/5/'] → ['/1/']."""
    out: list[str] = []
    for p in sorted(set(paths)):
        if not any(p.startswith(kept) for kept in out):
            out.append(p)
    return out


class Perm:
    """Permission names. A role's grant gives them over the subtree of its unit."""

    UNITS_VIEW = "units.view"
    UNITS_MANAGE = "units.manage"
    PEOPLE_VIEW = "people.view"
    PEOPLE_MANAGE = "people.manage"
    PEOPLE_IMPORT = "people.import"
    PEOPLE_EXPORT = "people.export"
    SENSITIVE_VIEW = "people.view_sensitive"
    AUDIT_VIEW = "audit.view"
    ROLES_MANAGE = "roles.manage"
    # Give an account a one-time password (its holder has no e-mail to reset it): the principal, the
    # office, the Sở over their own staff, never over a higher authority (accounts.selectors).
    PASSWORDS_RESET = "accounts.reset_password"
    CONTENT_MANAGE = "content.manage"  # programme 01/02 content, focus modules, hours split
    CATALOG_MANAGE = "catalog.manage"  # module catalogs, materials, regimes
    PLANS_VIEW = "plans.view"
    PLANS_APPROVE = "plans.approve"  # personal plans at a school; children's unit plans at an office
    DEADLINES_MANAGE = "deadlines.manage"
    STANDARDS_VIEW = "standards.view"
    STANDARDS_EVALUATE = "standards.evaluate"  # the principal's evaluation against the standard
    TRAINING_VIEW = "training.view"  # cohorts organised in the subtree (and those its institution assesses)
    TRAINING_MANAGE = "training.manage"  # organise cohorts: schedule, trainers, enrolment, groups
    TRAINING_ASSESS = "training.assess"  # enter scores, mark a module passed for the training institution
    TRAINING_APPROVE = "training.approve"  # approve the completion lists of the schools an office manages
    # Recognise the year results a school proposes (seed 003: "để được công nhận hoàn thành BDTX"); which
    # authority recognises a school's results is set per province (`results.RecognitionRule`).
    RESULTS_RECOGNISE = "results.recognise"
    CERTIFICATES_ISSUE = "certificates.issue"  # issue and revoke the certificates of recognised results
    # Reports up the tree (issue 11): see the subtree's dashboards and reports; prepare and file the
    # unit's own (the yearly results report, Biểu 3 and its text sections); accept or return the
    # reports the units below filed to it.
    REPORTS_VIEW = "reports.view"
    REPORTS_FILE = "reports.file"
    REPORTS_DECIDE = "reports.decide"


class UnitLike(Protocol):
    """What the scope needs of a unit: its key and its materialised path."""

    pk: int
    path: str


@dataclass(frozen=True)
class Grant:
    """One role held at one unit: the subtree under `path` with these permissions."""

    role: str
    unit_id: int
    path: str
    permissions: frozenset[str]
    subtree: bool = True  # False: the role sees only the holder's own records (learners)


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    person_id: int | None = None
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and not self.grants

    def paths(self, permission: str | None = None) -> list[str]:
        """Subtree paths visible (or, with `permission`, where it is held)."""
        return collapse_paths(
            g.path for g in self.grants if g.subtree and (permission is None or permission in g.permissions)
        )

    @property
    def is_system(self) -> bool:
        """The system itself (`SYSTEM`): loaders and data migrations, never a request."""
        return any(g.path == "/" for g in self.grants)

    def is_person(self, person_id: int | None) -> bool:
        """True when the scope is this person's own (the signed-in user's staff record)."""
        return person_id is not None and self.person_id == person_id

    def acts_for(self, person_id: int | None) -> bool:
        """True when the scope may write this person's own records (their plan, their self-assessment):
        the person themself, or the system loading data."""
        return self.is_system or self.is_person(person_id)

    def covers(self, path: str) -> bool:
        return any(path.startswith(p) for p in self.paths())

    def has(self, permission: str, path: str | None = None) -> bool:
        """True if a grant gives `permission` (over `path`, when given)."""
        for g in self.grants:
            if permission not in g.permissions:
                continue
            if path is None or (g.subtree and path.startswith(g.path)):
                return True
        return False

    def permissions_at(self, path: str) -> frozenset[str]:
        """Every permission the scope holds over the unit at `path`."""
        held: set[str] = set()
        for g in self.grants:
            if g.subtree and path.startswith(g.path):
                held |= g.permissions
        return frozenset(held)

    def has_anywhere(self, permission: str) -> bool:
        """True if any grant gives `permission`, over any subtree (or over the holder's own records)."""
        return any(permission in g.permissions for g in self.grants)

    def holds_at(self, permission: str, unit: "UnitLike") -> bool:
        """True if a grant held AT `unit` itself (not above it) gives `permission`: the unit's own staff."""
        return any(
            g.subtree and (g.unit_id == unit.pk or g.path == "/") and permission in g.permissions for g in self.grants
        )

    def units_with(self, permission: str | None = None) -> list[int]:
        """Ids of the units where a subtree grant gives `permission` (without one: where any role is
        held, learners' included), the highest in the tree first."""
        held = (g for g in self.grants if permission is None or (g.subtree and permission in g.permissions))
        return list(dict.fromkeys(g.unit_id for g in sorted(held, key=lambda g: len(g.path))))

    def ancestor_paths(self) -> list[str]:
        """Paths of every unit on the way from the root to each of the scope's units (their own included)."""
        return sorted({p for g in self.grants for p in ancestor_paths(g.path)})

    def sees_sensitive(self, path: str | None = None) -> bool:
        """Sensitive personal data (ethnicity, ID numbers; Law 91/2025) over the unit at `path`, or,
        without a path, over every subtree where the scope sees people (no part of a list may leak)."""
        if path is not None:
            return self.has(Perm.SENSITIVE_VIEW, path)
        people = self.paths(Perm.PEOPLE_VIEW)
        return bool(people) and all(self.has(Perm.SENSITIVE_VIEW, p) for p in people)

    def require(self, permission: str, path: str | None = None) -> None:
        """Raise 403 unless the permission is held (over `path`)."""
        if not self.has(permission, path):
            raise PermissionDenied


ANONYMOUS = Scope()


def _every_permission() -> frozenset[str]:
    return frozenset(v for k, v in vars(Perm).items() if k.isupper() and isinstance(v, str))


# The system itself (data migrations, the demo loader, management commands): every permission over
# the whole tree, no user. Only code can hold it; no request ever does.
SYSTEM = Scope(grants=(Grant(role="system", unit_id=0, path="/", permissions=_every_permission()),))


class ScopedQuerySet(models.QuerySet):
    """Base QuerySet for unit-owned models. Subclasses name the path (and person) fields."""

    scope_path_field: str = "path"
    scope_person_field: str | None = None

    def _vendor(self) -> str:
        return connections[self.db].vendor

    def within(self, *prefixes: str) -> Self:
        """Rows under any of these subtree paths (regardless of who asks)."""
        return self.filter(path_within_q(self.scope_path_field, prefixes, self._vendor()))

    def visible_to(self, scope: Scope, permission: str | None = None) -> Self:
        """Rows the scope may see (or, with `permission`, where it holds that permission)."""
        q = path_within_q(self.scope_path_field, scope.paths(permission), self._vendor())
        if permission is None and self.scope_person_field and scope.person_id:
            q |= models.Q(**{self.scope_person_field: scope.person_id})
        return self.filter(q)
