"""Issuing certificates (issue 10): who may issue which results, gapless numbering per issuer and
year (a rolled-back issuance gives its number back), the frozen snapshot, revoking, the signed
credential, the issuer's encrypted key and its rotation, and the bulk job with its files."""

import io
import subprocess
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bdtx.certificates import keys, selectors, services
from bdtx.certificates.credential import verify_credential
from bdtx.certificates.models import Certificate, CertificateStatus, IssueJob, IssuerKey
from bdtx.certificates.tests.conftest import recognised, teachers
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.people.models import Person

pytestmark = pytest.mark.django_db


def _sequences(issuer_unit) -> list[int]:  # type: ignore[no-untyped-def]
    return list(
        Certificate.objects.filter(issuer__unit=issuer_unit).order_by("sequence").values_list("sequence", flat=True)
    )


def test_the_office_issues_numbered_certificates_for_the_results_it_recognised(world, scope_of, year):
    results = teachers(world.u("th_a1"), 3, by=world.u("xa_a1"))
    n = services.certificates_issue(scope=scope_of("xa_a1"), unit=world.u("xa_a1"), school_year=year)
    assert n == 3
    certificates = list(Certificate.objects.filter(result__in=results).order_by("sequence"))
    assert [c.sequence for c in certificates] == [1, 2, 3]
    assert certificates[0].number == "1/GCN-UBND"
    assert {c.issuer.unit_id for c in certificates} == {world.u("xa_a1").pk}
    assert AuditLog.objects.filter(action="certificate.issue").count() == 3
    # nothing more to issue: a second run issues none and takes no number
    assert services.certificates_issue(scope=scope_of("xa_a1"), unit=world.u("xa_a1"), school_year=year) == 0
    assert _sequences(world.u("xa_a1")) == [1, 2, 3]


def test_only_recognised_completed_results_get_a_certificate(world, scope_of, year):
    done = recognised(world.people["teacher_a1"], world.u("th_a1"), by=world.u("xa_a1"))
    recognised(world.people["colleague_a1"], world.u("th_a1"), by=world.u("xa_a1"), completed=False)
    proposed = recognised(world.people["mentor_a1"], world.u("th_a1"), by=world.u("xa_a1"))
    proposed.status = "proposed"
    proposed.save()
    services.certificates_issue(scope=scope_of("xa_a1"), unit=world.u("th_a1"), school_year=year)
    assert list(Certificate.objects.values_list("result_id", flat=True)) == [done.pk]
    with pytest.raises(ValidationError):
        services.certificate_issue(scope=scope_of("xa_a1"), result=proposed)


def test_an_authority_issues_only_the_results_it_recognised(world, scope_of, year):
    teachers(world.u("th_a1"), 2, by=world.u("xa_a1"))
    # the Sở sees the school, but the commune recognised these results: the commune issues them
    assert services.certificates_issue(scope=scope_of("so_a"), unit=world.u("so_a"), school_year=year) == 0
    result = _first_result()
    with pytest.raises(PermissionDenied):
        services.certificate_issue(scope=scope_of("so_a"), result=result)


def _first_result():  # type: ignore[no-untyped-def]
    from bdtx.results.models import YearResult

    return YearResult.objects.select_related("unit", "recognised_unit", "person", "school_year").first()


def test_who_may_not_issue_is_refused(world, scope_of, year):
    teachers(world.u("th_a1"), 1, by=world.u("xa_a1"))
    for user in ("principal_a1", "teacher_a1", "so_b"):
        with pytest.raises(PermissionDenied):
            services.certificates_issue(scope=scope_of(user), unit=world.u("th_a1"), school_year=year)
    assert not Certificate.objects.exists()


def test_a_failed_issuance_rolls_back_and_leaves_no_gap(world, scope_of, year):
    results = teachers(world.u("th_a1"), 3, by=world.u("xa_a1"))
    scope = scope_of("xa_a1")
    services.certificate_issue(scope=scope, result=results[0])
    failing = mock.patch("bdtx.certificates.services.audit_record", side_effect=RuntimeError("disk full"))
    with failing, pytest.raises(RuntimeError):
        services.certificate_issue(scope=scope, result=results[1])
    assert not Certificate.objects.filter(result=results[1]).exists()
    services.certificates_issue(scope=scope, unit=world.u("th_a1"), school_year=year)
    assert _sequences(world.u("xa_a1")) == [1, 2, 3]


def test_numbers_restart_each_school_year_and_per_issuer(world, scope_of, year):
    teachers(world.u("th_a1"), 2, by=world.u("xa_a1"))
    teachers(world.u("th_a1"), 1, by=world.u("xa_a1"), year=2024)
    teachers(world.u("thpt_a"), 1, by=world.u("so_a"))
    services.certificates_issue(scope=SYSTEM, unit=world.u("bo"), school_year=year)
    services.certificates_issue(scope=SYSTEM, unit=world.u("bo"), school_year=SchoolYear.objects.get(pk=2024))
    rows = set(Certificate.objects.values_list("issuer__unit__code", "school_year_id", "sequence"))
    assert rows == {("01270", 2025, 1), ("01270", 2025, 2), ("01270", 2024, 1), ("04", 2025, 1)}
    assert Certificate.objects.get(issuer__unit=world.u("so_a")).number == "1/GCN-SGDĐT"


def test_the_certificate_freezes_what_was_printed(world, scope_of, year):
    person = world.people["teacher_a1"]
    recognised(person, world.u("th_a1"), by=world.u("xa_a1"))
    services.certificates_issue(scope=scope_of("xa_a1"), unit=world.u("th_a1"), school_year=year)
    c = Certificate.objects.get()
    Person.objects.filter(pk=person.pk).update(given_name="Đổi")
    c.refresh_from_db()
    s = c.snapshot
    assert s["full_name"] == "Nguyễn Thị Đào"
    assert s["unit_name"] == "Trường Tiểu học Đông"
    assert s["school_year_label"] == "2025-2026"
    assert s["result_label"] == "Hoàn thành"
    assert [h for _t, h in s["modules"]] == [40, 40, 40]
    assert s["issuer_lines"] == ["ỦY BAN NHÂN DÂN XÃ ĐÔNG"]
    assert s["verification_url"] == f"http://127.0.0.1:8000/certificates/verify/{c.verify_token}/"
    assert len(c.verify_token) >= 22


def test_the_credential_verifies_with_the_issuers_key_and_fails_after_tampering(world, scope_of, year):
    recognised(world.people["teacher_a1"], world.u("th_a1"), by=world.u("xa_a1"))
    services.certificates_issue(scope=scope_of("xa_a1"), unit=world.u("th_a1"), school_year=year)
    c = Certificate.objects.get()
    [public] = selectors.issuer_public_keys(issuer=c.issuer)
    assert verify_credential(c.credential, public)
    assert c.credential["credentialSubject"]["identifier"][0]["identityHash"] == "Nguyễn Thị Đào"
    tampered = {
        **c.credential,
        "credentialSubject": {**c.credential["credentialSubject"], "result": [{"type": ["Result"], "value": "Giỏi"}]},
    }
    assert not verify_credential(tampered, public)


def test_the_private_key_is_stored_encrypted_and_rotation_keeps_old_credentials_verifiable(
    world, scope_of, year, settings
):
    results = teachers(world.u("th_a1"), 2, by=world.u("xa_a1"))
    scope = scope_of("xa_a1")
    first = services.certificate_issue(scope=scope, result=results[0])
    assert first is not None
    key = IssuerKey.objects.get()
    assert "PRIVATE KEY" not in key.private_key_encrypted
    assert "PRIVATE KEY" in keys.decrypt_private_key(key.private_key_encrypted)
    settings.BDTX_CERTIFICATE_KEY_SECRET = "another secret"
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidToken
        keys.decrypt_private_key(key.private_key_encrypted)
    services.issuer_key_rotate(scope=scope, issuer=first.issuer)
    second = services.certificate_issue(scope=scope, result=results[1])
    assert second is not None
    public_keys = selectors.issuer_public_keys(issuer=first.issuer)
    assert len(public_keys) == 2
    assert any(verify_credential(first.credential, k) for k in public_keys)
    assert any(verify_credential(second.credential, k) for k in public_keys)
    assert IssuerKey.objects.filter(retired_at__isnull=True).count() == 1
    with pytest.raises(PermissionDenied):
        services.issuer_key_rotate(scope=scope_of("so_a"), issuer=first.issuer)


def test_revoking_needs_a_reason_and_the_issuer(world, scope_of, year):
    recognised(world.people["teacher_a1"], world.u("th_a1"), by=world.u("xa_a1"))
    services.certificates_issue(scope=scope_of("xa_a1"), unit=world.u("th_a1"), school_year=year)
    c = Certificate.objects.select_related("issuer__unit", "unit").get()
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(scope=scope_of("principal_a1"), certificate=c, reason="Sai tên")
    with pytest.raises(ValidationError):
        services.certificate_revoke(scope=scope_of("xa_a1"), certificate=c, reason="  ")
    services.certificate_revoke(scope=scope_of("xa_a1"), certificate=c, reason="Cấp nhầm người")
    c.refresh_from_db()
    assert (c.status, c.revoke_reason) == (CertificateStatus.REVOKED, "Cấp nhầm người")
    assert c.revoked_at is not None
    assert AuditLog.objects.filter(action="certificate.revoke", note="Cấp nhầm người").exists()
    with pytest.raises(ValidationError):
        services.certificate_revoke(scope=scope_of("xa_a1"), certificate=c, reason="lần nữa")


def _pdf_pages(data: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def test_the_bulk_job_issues_reaches_100_and_keeps_one_pdf_and_a_zip(
    world, scope_of, year, django_capture_on_commit_callbacks
):
    teachers(world.u("th_a1"), 4, by=world.u("xa_a1"))
    recognised(world.people["teacher_a1"], world.u("th_a1"), by=world.u("xa_a1"))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.issue_job_start(scope=scope_of("xa_a1"), unit=world.u("xa_a1"), school_year=year)
    job.refresh_from_db()
    assert (job.status, job.progress, job.total, job.done, job.issued) == (IssueJob.Status.DONE, 100, 5, 5, 5)
    assert _pdf_pages(job.pdf.read()) == 5
    with zipfile.ZipFile(io.BytesIO(job.archive.read())) as z:
        names = z.namelist()
        assert len(names) == 5
        assert "2-GCN-UBND Nguyễn Thị Đào.pdf" in names or any("Nguyễn Thị Đào" in n for n in names)
        assert all(_pdf_pages(z.read(n)) == 1 for n in names)
    assert AuditLog.objects.filter(action="certificate_job.start").count() == 1


def test_a_job_whose_worker_stopped_shows_as_failed_and_issuing_again_continues(world, scope_of, year):
    results = teachers(world.u("th_a1"), 3, by=world.u("xa_a1"))
    services.certificate_issue(scope=scope_of("xa_a1"), result=results[0])
    job = IssueJob.objects.create(unit=world.u("th_a1"), school_year=year, status=IssueJob.Status.ISSUING)
    assert not services.issue_job_expire(job=job)  # working
    IssueJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=11))
    assert services.issue_job_expire(job=job)
    assert job.status == IssueJob.Status.FAILED
    assert services.certificates_issue(scope=scope_of("xa_a1"), unit=world.u("th_a1"), school_year=year) == 2
    assert _sequences(world.u("xa_a1")) == [1, 2, 3]
