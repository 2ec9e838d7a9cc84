"""Writes of the certificates app: issuing (one by one, or in bulk for a unit and year, the way the
background job does), revoking, replacing an issuer's signing key, and the bulk job itself.

Numbering is gapless per issuer and school year: each certificate takes its number under a row lock
on its `NumberSeries` in the same short transaction that inserts it, so a rollback gives the number
back and two processes issuing at once never share one.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.certificates import keys, selectors
from bdtx.certificates.credential import build_credential, generate_issuer_key, sign_credential
from bdtx.certificates.models import (
    Certificate,
    CertificateStatus,
    IssueJob,
    Issuer,
    IssuerKey,
    NumberSeries,
)
from bdtx.certificates.render import CertificateData, CertificateLayout, render_certificate, render_certificates
from bdtx.core.http import site_url
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.core.text import fold, nfc
from bdtx.organisations.letterhead import letterhead, place_of
from bdtx.organisations.models import Unit
from bdtx.plans.models import PlanItem
from bdtx.results.models import ResultStatus, YearResult

logger = logging.getLogger(__name__)

BATCH = 50  # results read at a time by a bulk issuance


def public_base_url(request_base: str = "") -> str:
    """Where the verification links point: the site's address (`SITE_URL`), else the request's."""
    return site_url(request_base)


# --------------------------------------------------------------------------------------------------
# Issuers and keys


def issuer_for(unit: Unit) -> Issuer:
    """The unit's issuer, created with its letterhead as the layout on first use."""
    issuer = Issuer.objects.select_related("unit").filter(unit=unit).first()
    if issuer is not None:
        return issuer
    head = letterhead(unit, parent=unit.parent)
    lines = [line for line in (head.governing_body, head.name) if line]
    title = "\n".join(line for line in (head.signer_prefix, head.signer_title) if line)
    layout = CertificateLayout(issuer_lines=tuple(lines), signer_title=title, signer_name=head.signer_name)
    try:
        with transaction.atomic():
            return Issuer.objects.create(
                unit=unit,
                layout=layout.to_dict(),
                place=place_of(unit.name),
                number_format=f"{{n}}/GCN-{head.abbr}" if head.abbr else "{n}/GCN",
            )
    except IntegrityError:  # created meanwhile by another process
        return Issuer.objects.select_related("unit").get(unit=unit)


def _active_key(issuer: Issuer) -> IssuerKey:
    """The issuer's signing key, created on its first issuance."""
    key = IssuerKey.objects.filter(issuer=issuer, retired_at__isnull=True).first()
    if key is not None:
        return key
    pem, public = generate_issuer_key()
    try:
        with transaction.atomic():
            return IssuerKey.objects.create(
                issuer=issuer, public_key=public, private_key_encrypted=keys.encrypt_private_key(pem)
            )
    except IntegrityError:  # another process made it first
        return IssuerKey.objects.get(issuer=issuer, retired_at__isnull=True)


def issuer_key_rotate(*, scope: Scope, issuer: Issuer) -> IssuerKey:
    """Retire the issuer's signing key and make a new one. The old public key is kept, so what it
    signed still verifies."""
    if not scope.holds_at(Perm.CERTIFICATES_ISSUE, issuer.unit):
        raise PermissionDenied
    pem, public = generate_issuer_key()
    with transaction.atomic():
        IssuerKey.objects.filter(issuer=issuer, retired_at__isnull=True).update(retired_at=timezone.now())
        key = IssuerKey.objects.create(
            issuer=issuer, public_key=public, private_key_encrypted=keys.encrypt_private_key(pem)
        )
        audit_record(actor_id=scope.user_id, action="issuer_key.rotate", obj=key, unit_path=issuer.unit.path)
    return key


def issuer_layout(issuer: Issuer) -> CertificateLayout:
    background = None
    if issuer.background:
        with issuer.background.open("rb") as f:
            background = f.read()
    return CertificateLayout.from_dict(issuer.layout, background=background)


def issuer_uri(issuer: Issuer) -> str:
    return f"urn:uuid:{issuer.uuid}"


# --------------------------------------------------------------------------------------------------
# What a certificate shows


def certificate_data(certificate: Certificate) -> CertificateData:
    """The frozen values of an issued certificate, as the renderer and the credential take them."""
    s = certificate.snapshot
    return CertificateData(
        full_name=s["full_name"],
        unit_name=s["unit_name"],
        school_year_label=s["school_year_label"],
        result_label=s["result_label"],
        modules=[(str(t), h) for t, h in s["modules"]],
        number=certificate.number,
        issued_on=date.fromisoformat(s["issued_on"]),
        place=s["place"],
        verification_url=s["verification_url"],
        signer_title=s["signer_title"],
        signer_name=s["signer_name"],
    )


def certificate_layout(
    certificate: Certificate, layouts: dict[int, CertificateLayout] | None = None
) -> CertificateLayout:
    """The layout a certificate is drawn with: its issuer's look (and background), with the issuer's
    lines and the signer frozen at issue."""
    cache = layouts if layouts is not None else {}
    base = cache.get(certificate.issuer_id)
    if base is None:
        base = cache[certificate.issuer_id] = issuer_layout(certificate.issuer)
    s = certificate.snapshot
    return dataclasses.replace(base, issuer_lines=tuple(s["issuer_lines"]))


def certificate_pdf(certificate: Certificate) -> bytes:
    return render_certificate(certificate_data(certificate), certificate_layout(certificate))


def certificates_pdf(certificates: Iterable[Certificate]) -> bytes:
    layouts: dict[int, CertificateLayout] = {}
    return render_certificates((certificate_data(c), certificate_layout(c, layouts)) for c in certificates)


def certificate_filename(certificate: Certificate, ext: str = "pdf") -> str:
    """'12-GCN-SGDĐT Nguyễn Thị Đào.pdf': NFC, no character a file system refuses."""
    raw = nfc(f"{certificate.number} {certificate.full_name}")
    safe = "".join("-" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in raw).strip(" .")
    return f"{safe or 'giay-chung-nhan'}.{ext}"


def _snapshot(result: YearResult, issuer: Issuer, layout: CertificateLayout, url: str, today: date) -> dict[str, Any]:
    items = PlanItem.objects.filter(plan_id=result.plan_id).order_by("programme", "id") if result.plan_id else []
    return {
        "full_name": nfc(result.person.full_name),
        "unit_name": nfc(result.unit.name),
        "school_year_label": result.school_year.label,
        "result_label": nfc(result.label),
        "modules": [[nfc(i.title), i.hours] for i in items],
        "place": issuer.place or place_of(issuer.unit.name),
        "issued_on": today.isoformat(),
        "issuer_lines": list(layout.issuer_lines),
        "signer_title": layout.signer_title,
        "signer_name": layout.signer_name,
        "verification_url": url,
    }


# --------------------------------------------------------------------------------------------------
# Issuing


def _may_issue(scope: Scope, result: YearResult) -> bool:
    unit = result.recognised_unit
    return (
        unit is not None
        and scope.holds_at(Perm.CERTIFICATES_ISSUE, unit)
        and scope.has(Perm.CERTIFICATES_ISSUE, result.unit.path)
    )


def _ensure_series(issuer: Issuer, school_year: SchoolYear) -> None:
    if NumberSeries.objects.filter(issuer=issuer, school_year=school_year).exists():
        return
    try:
        with transaction.atomic():
            NumberSeries.objects.create(issuer=issuer, school_year=school_year)
    except IntegrityError:  # another process made it first
        pass


def certificate_issue(*, scope: Scope, result: YearResult, base_url: str = "") -> Certificate | None:
    """Issue the certificate of one recognised, completed result (None when it has one already).
    One short transaction: the number, the certificate, its signed credential and the audit entry."""
    if result.status != ResultStatus.RECOGNISED or not result.completed:
        raise ValidationError(_("Only a recognised, completed result gets a certificate."))
    if not _may_issue(scope, result):
        raise PermissionDenied
    assert result.recognised_unit is not None
    issuer = issuer_for(result.recognised_unit)
    layout = CertificateLayout.from_dict(issuer.layout)
    key = _active_key(issuer)
    _ensure_series(issuer, result.school_year)
    now = timezone.now()
    token = secrets.token_urlsafe(16)
    url = public_base_url(base_url) + reverse("certificates:verify", kwargs={"token": token})
    snapshot = _snapshot(result, issuer, layout, url, timezone.localdate(now))
    with transaction.atomic():
        series = NumberSeries.objects.select_for_update().get(issuer=issuer, school_year=result.school_year)
        if Certificate.objects.filter(result=result).exists():  # issued meanwhile, under the same lock
            return None
        sequence = series.next_value
        series.next_value = sequence + 1
        series.save(update_fields=["next_value"])
        certificate = Certificate(
            issuer=issuer,
            school_year=result.school_year,
            sequence=sequence,
            number=issuer.number(sequence, result.school_year.start_year),
            result=result,
            person=result.person,
            unit=result.unit,
            snapshot=snapshot,
            verify_token=token,
            issued_at=now,
            issued_by_id=scope.user_id,
            search_text=fold(snapshot["full_name"])[:255],
        )
        data = dataclasses.replace(
            certificate_data(certificate), issuer_name=snapshot["issuer_lines"][-1] if snapshot["issuer_lines"] else ""
        )
        unsigned = build_credential(
            data, issuer_id=issuer_uri(issuer), achievement_id=f"{issuer_uri(issuer)}/bdtx/{result.school_year_id}"
        )
        certificate.credential = sign_credential(
            unsigned,
            keys.decrypt_private_key(key.private_key_encrypted),
            f"{issuer_uri(issuer)}#{key.uuid}",
            created=now,
        )
        certificate.save()
        audit_record(
            actor_id=scope.user_id,
            action="certificate.issue",
            obj=certificate,
            object_repr=f"{certificate.number} {snapshot['full_name']}",
            unit_path=result.unit.path,
            changes={"number": certificate.number, "result": result.label, "school_year": result.school_year.label},
        )
    return certificate


def certificates_issue(
    *,
    scope: Scope,
    unit: Unit,
    school_year: SchoolYear,
    job: IssueJob | None = None,
    base_url: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Issue a certificate for every recognised, completed result of the unit's subtree in the year
    that the scope may issue and that has none yet. Each certificate in its own short transaction;
    `progress(done, total)` after each batch. Returns how many were issued."""
    scope.require(Perm.CERTIFICATES_ISSUE, unit.path)
    ids = list(selectors.issuable_results(scope=scope, unit=unit, school_year=school_year).values_list("id", flat=True))
    total, issued = len(ids), 0
    position = {pk: i for i, pk in enumerate(ids)}
    if progress:
        progress(0, total)
    for start in range(0, total, BATCH):
        batch = YearResult.objects.filter(id__in=ids[start : start + BATCH]).select_related(
            "person", "unit", "school_year", "recognised_unit__parent"
        )
        for result in sorted(batch, key=lambda r: position[r.id]):
            if certificate_issue(scope=scope, result=result, base_url=base_url or (job.base_url if job else "")):
                issued += 1
        if progress:
            progress(min(start + BATCH, total), total)
    return issued


def certificate_revoke(*, scope: Scope, certificate: Certificate, reason: str) -> Certificate:
    """Revoke an issued certificate: its verification page says so, with the date."""
    if not (
        scope.holds_at(Perm.CERTIFICATES_ISSUE, certificate.issuer.unit)
        and scope.has(Perm.CERTIFICATES_ISSUE, certificate.unit.path)
    ):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    if certificate.is_revoked:
        raise ValidationError(_("The certificate is revoked already."))
    with transaction.atomic():
        certificate.status = CertificateStatus.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revoked_by_id = scope.user_id
        certificate.revoke_reason = reason
        certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason", "updated_at"])
        audit_record(
            actor_id=scope.user_id,
            action="certificate.revoke",
            obj=certificate,
            unit_path=certificate.unit.path,
            changes={"status": [CertificateStatus.ISSUED, CertificateStatus.REVOKED]},
            note=reason,
        )
    return certificate


# --------------------------------------------------------------------------------------------------
# The bulk job


def issue_job_start(
    *, scope: Scope, unit: Unit, school_year: SchoolYear, base_url: str = "", language: str = ""
) -> IssueJob:
    """Queue the issuance of a unit's certificates for the year (the worker runs `issue_job_run`)."""
    scope.require(Perm.CERTIFICATES_ISSUE, unit.path)
    from bdtx.certificates.tasks import certificates_issue_task

    with transaction.atomic():
        job = IssueJob.objects.create(
            unit=unit,
            school_year=school_year,
            created_by_id=scope.user_id,
            base_url=public_base_url(base_url),
            language=language,
        )
        audit_record(
            actor_id=scope.user_id,
            action="certificate_job.start",
            obj=job,
            unit_path=unit.path,
            changes={"school_year": school_year.label},
        )
        transaction.on_commit(lambda: certificates_issue_task.enqueue(job.pk))
    return job


def _files(certificates: list[Certificate], job: IssueJob, archive: IO[bytes]) -> bytes:
    """The combined PDF, and a .zip of one PDF per person written to `archive`, drawn in one pass
    (each certificate's QR code is encoded once for both)."""
    layouts: dict[int, CertificateLayout] = {}
    used: set[str] = set()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:

        def pages() -> Iterator[tuple[CertificateData, CertificateLayout]]:
            for i, c in enumerate(certificates):
                data, layout = certificate_data(c), certificate_layout(c, layouts)
                name = certificate_filename(c)
                if name in used:
                    name = f"{name.removesuffix('.pdf')} ({c.uuid.hex[:6]}).pdf"
                used.add(name)
                z.writestr(name, render_certificate(data, layout))
                if i % 25 == 24:
                    job.progress = 80 + int(19 * (i + 1) / len(certificates))
                    job.save(update_fields=["progress", "updated_at"])
                yield data, layout

        pdf = render_certificates(pages())
    archive.seek(0)
    return pdf


STALLED_AFTER = timedelta(minutes=10)  # a working job saves its progress every few seconds


def issue_job_expire(*, job: IssueJob) -> bool:
    """Mark failed a job whose worker stopped (no progress for `STALLED_AFTER` while issuing or
    drawing). What it issued stays issued; issuing again continues with the rest."""
    if job.status not in (IssueJob.Status.ISSUING, IssueJob.Status.RENDERING):
        return False
    stalled = IssueJob.objects.filter(
        pk=job.pk, status=job.status, updated_at__lt=timezone.now() - STALLED_AFTER
    ).update(status=IssueJob.Status.FAILED, error="stalled", finished_at=timezone.now())
    if stalled:
        job.refresh_from_db()
    return bool(stalled)


def issue_job_run(*, job_id: int, scope: Scope) -> IssueJob:
    """Issue, then draw every issued certificate of the job's unit and year into one PDF and a .zip."""
    job = IssueJob.objects.select_related("unit", "school_year").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total
        job.progress = int(80 * done / total) if total else 80
        job.save(update_fields=["done", "total", "progress", "updated_at"])

    try:
        job.status = IssueJob.Status.ISSUING
        job.save(update_fields=["status", "updated_at"])
        job.issued = certificates_issue(
            scope=scope, unit=job.unit, school_year=job.school_year, job=job, progress=progress
        )
        job.status = IssueJob.Status.RENDERING
        job.save(update_fields=["status", "issued", "updated_at"])
        certificates = list(
            selectors.certificate_list(scope=scope, unit=job.unit, school_year=job.school_year, status="issued")
            .select_related("issuer__unit")
            .order_by("unit__path", "search_text", "id")
        )
        stem = f"giay-chung-nhan-{job.school_year_id}-{job.uuid.hex[:8]}"
        if certificates:
            with tempfile.TemporaryFile() as archive:  # on disk: one PDF per person adds up
                pdf = _files(certificates, job, archive)
                job.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
                job.archive.save(f"{stem}.zip", File(archive), save=False)
        job.status, job.progress, job.finished_at = IssueJob.Status.DONE, 100, timezone.now()
        job.save(update_fields=["pdf", "archive", "status", "progress", "finished_at", "updated_at"])
    except Exception as e:  # the job page says it failed; what was issued stays issued, gapless
        logger.exception("certificate issuance job %s failed", job.pk)
        job.status, job.error, job.finished_at = IssueJob.Status.FAILED, str(e)[:1000], timezone.now()
        job.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return job
