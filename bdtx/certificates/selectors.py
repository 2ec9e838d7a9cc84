"""Reads of the certificates app. Each takes the viewer's scope (the public verification page
excepted: it looks a certificate up by its unguessable token only)."""

from django.db.models import Q, QuerySet

from bdtx.certificates.models import Certificate, CertificateStatus, IssueJob, Issuer, IssuerKey
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.text import fold
from bdtx.organisations.models import Unit
from bdtx.results.models import ResultStatus, YearResult


def certificate_get(*, scope: Scope, uuid: str) -> Certificate:
    """A certificate the scope sees (its unit's subtree, or the person's own); DoesNotExist otherwise."""
    return (
        Certificate.objects.visible_to(scope)
        .select_related("issuer__unit", "unit", "person", "school_year", "issued_by", "revoked_by")
        .get(uuid=uuid)
    )


def certificate_list(
    *, scope: Scope, unit: Unit, school_year: SchoolYear, status: str = "", query: str = ""
) -> QuerySet[Certificate]:
    """The certificates of a unit's subtree in a year, where the scope may issue them."""
    qs = (
        Certificate.objects.visible_to(scope, Perm.CERTIFICATES_ISSUE)
        .within(unit.path)
        .filter(school_year=school_year)
        .select_related("unit", "issuer__unit")
        .order_by("issuer_id", "sequence")
    )
    if status in CertificateStatus.values:
        qs = qs.filter(status=status)
    if folded := fold(query).strip():
        qs = qs.filter(search_text__contains=folded)
    return qs


def certificate_own_list(*, scope: Scope) -> QuerySet[Certificate]:
    """The signed-in person's own certificates, every year."""
    if scope.person_id is None:
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(person_id=scope.person_id)
        .select_related("issuer__unit", "unit", "school_year")
        .order_by("-school_year_id")
    )


def certificate_by_token(*, token: str) -> Certificate | None:
    """The certificate of a verification link, or None. Public: by the random token only, never by number."""
    if not token or len(token) > 32:
        return None
    return (
        Certificate.objects.select_related("issuer__unit", "school_year", "revoked_by")
        .filter(verify_token=token)
        .first()
    )


def issuer_get(*, scope: Scope, uuid: str) -> Issuer:
    return Issuer.objects.visible_to(scope).select_related("unit").get(uuid=uuid)


def issuer_public_keys(*, issuer: Issuer) -> list[str]:
    """Every public key the issuer ever signed with (retired ones too: old credentials still verify)."""
    return list(IssuerKey.objects.filter(issuer=issuer).values_list("public_key", flat=True))


def issuable_results(*, scope: Scope, unit: Unit, school_year: SchoolYear) -> QuerySet[YearResult]:
    """Recognised, completed results of the unit's subtree in the year, recognised by an authority the
    scope issues for (its own staff hold `CERTIFICATES_ISSUE` there), that have no certificate yet."""
    qs = (
        YearResult.objects.visible_to(scope, Perm.CERTIFICATES_ISSUE)
        .within(unit.path)
        .filter(school_year=school_year, status=ResultStatus.RECOGNISED, completed=True, certificate__isnull=True)
        .exclude(recognised_unit__isnull=True)
    )
    if not scope.is_system:
        qs = qs.filter(recognised_unit_id__in=scope.units_with(Perm.CERTIFICATES_ISSUE))
    return qs.order_by("recognised_unit_id", "person__sort_key", "id")


def issue_job_get(*, scope: Scope, uuid: str) -> IssueJob:
    return IssueJob.objects.visible_to(scope).select_related("unit", "school_year", "created_by").get(uuid=uuid)


def issue_job_list(*, scope: Scope, unit: Unit, school_year: SchoolYear) -> QuerySet[IssueJob]:
    return (
        IssueJob.objects.visible_to(scope, Perm.CERTIFICATES_ISSUE)
        .filter(Q(unit=unit), school_year=school_year)
        .select_related("created_by")
    )
