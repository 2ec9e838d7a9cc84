"""Certificates of completion (giấy chứng nhận hoàn thành BDTX, issue 10): the issuing authority
with its layout and signing keys, the gapless number series per issuer and year, each issued
certificate with the values it froze, and the background jobs that issue them in bulk.

The issuer of a result's certificate is the authority that recognised it (`YearResult.recognised_unit`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bdtx.certificates.render import CertificateLayout
from bdtx.core.models import BaseModel
from bdtx.core.scope import ScopedQuerySet

NUMBER_PLACEHOLDERS = ("{n}", "{year}")


def validate_number_format(value: str) -> None:
    """A number format holds "{n}" (the sequence) and may hold "{year}" (the school year's start)."""
    rest = value
    for placeholder in NUMBER_PLACEHOLDERS:
        rest = rest.replace(placeholder, "")
    if "{n}" not in value or "{" in rest or "}" in rest:
        raise ValidationError(_("The number format must hold {n} (the sequence) and may hold {year}; no other braces."))


def validate_layout(value: Any) -> None:
    CertificateLayout.from_dict(value)


class IssuerQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class Issuer(BaseModel):
    """An issuing authority (the Sở, a commune or district office): how its certificates look and
    how they are numbered. Created on its first issuance; an administrator adjusts it (admin)."""

    unit = models.OneToOneField("organisations.Unit", on_delete=models.PROTECT, related_name="certificate_issuer")
    layout = models.JSONField(
        _("layout"),
        default=dict,
        blank=True,
        validators=[validate_layout],
        help_text=_("issuer_lines, signer_title, signer_name, title, subtitle, page, sizes: see render.py."),
    )
    background = models.FileField(_("background image"), upload_to="certificates/backgrounds/", blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True, help_text=_("Written before the date."))
    number_format = models.CharField(
        _("number format"), max_length=60, default="{n}/GCN", validators=[validate_number_format]
    )

    objects = IssuerQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate issuer")
        verbose_name_plural = _("certificate issuers")

    def __str__(self) -> str:
        return str(self.unit)

    def clean(self) -> None:
        super().clean()
        validate_layout(self.layout)

    def number(self, sequence: int, start_year: int) -> str:
        return self.number_format.replace("{n}", str(sequence)).replace("{year}", str(start_year))


class IssuerKey(BaseModel):
    """One Ed25519 key of an issuer. The private key is kept encrypted (`keys.py`); a rotated key is
    retired, never deleted, so the credentials it signed still verify."""

    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="keys")
    public_key = models.CharField(max_length=64)  # Multikey multibase "z6Mk…"
    private_key_encrypted = models.TextField(editable=False)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer"], condition=models.Q(retired_at__isnull=True), name="one_active_key_per_issuer"
            )
        ]

    def __str__(self) -> str:
        return self.public_key


class NumberSeries(models.Model):
    """The next number of an issuer's certificates in a school year. Taken under a row lock in the
    transaction that inserts the certificate: a rollback gives the number back, no two share one."""

    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    next_value = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "school_year"], name="one_series_per_issuer_year")]

    def __str__(self) -> str:
        return f"{self.issuer_id} {self.school_year_id}: {self.next_value}"


class CertificateStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")


class CertificateQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"
    scope_person_field = "person_id"


class Certificate(BaseModel):
    """One issued certificate. `snapshot` is what was printed, frozen: renaming a person or a unit,
    or changing the layout's lines, never changes an issued certificate."""

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="certificates")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=80)
    result = models.OneToOneField("results.YearResult", on_delete=models.PROTECT, related_name="certificate")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="certificates")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")  # the result's unit
    # {full_name, unit_name, school_year_label, result_label, modules: [[title, hours]], place,
    #  issued_on, issuer_lines, signer_title, signer_name, verification_url, layout}
    snapshot = models.JSONField(default=dict)
    verify_token = models.CharField(max_length=32, unique=True, editable=False)
    credential = models.JSONField(default=dict, blank=True)  # the signed OpenBadgeCredential
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(
        _("status"), max_length=8, choices=CertificateStatus.choices, default=CertificateStatus.ISSUED
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)
    search_text = models.CharField(max_length=255, editable=False, blank=True)  # folded name, for search

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["issuer", "school_year", "sequence"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "school_year", "sequence"], name="certificate_sequence_unique"),
            models.UniqueConstraint(fields=["issuer", "school_year", "number"], name="certificate_number_unique"),
        ]
        indexes = [models.Index(fields=["school_year", "unit", "status"], name="certificate_year_unit_status")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("certificates:detail", kwargs={"uuid": self.uuid})

    @property
    def is_revoked(self) -> bool:
        return self.status == CertificateStatus.REVOKED

    @property
    def full_name(self) -> str:
        return str(self.snapshot.get("full_name", ""))


class IssueJobQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class IssueJob(BaseModel):
    """Issuing the certificates of a school or an office in the background, then drawing them into
    one PDF and a .zip of one PDF per person (kept under MEDIA_ROOT, served through a view)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        ISSUING = "issuing", _("Issuing")
        RENDERING = "rendering", _("Drawing the PDF files")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    RUNNING = frozenset({Status.QUEUED, Status.ISSUING, Status.RENDERING})

    unit = models.ForeignKey("organisations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=8, blank=True)
    base_url = models.CharField(max_length=200, blank=True)  # of the verification links, from the request
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)  # new certificates (the files hold every issued one)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    pdf = models.FileField(upload_to="certificates/jobs/", max_length=255, blank=True)
    archive = models.FileField(upload_to="certificates/jobs/", max_length=255, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = IssueJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("certificate issuance")
        verbose_name_plural = _("certificate issuances")

    def __str__(self) -> str:
        return f"{self.unit} {self.school_year_id}"

    def get_absolute_url(self) -> str:
        return reverse("certificates:job", kwargs={"uuid": self.uuid})

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING
