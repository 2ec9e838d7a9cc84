"""Certificate pages: 404 outside the scope and 403 inside without the permission for every page
that needs a sign-in; a person's own certificate; the public verification page shows what is needed
to trust a certificate and nothing sensitive, and answers unknown tokens (or numbers) with one 404."""

import json
import re
from datetime import date
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bdtx.certificates import services
from bdtx.certificates.models import Certificate, IssueJob
from bdtx.certificates.tests.conftest import recognised, teachers
from bdtx.people.models import Ethnicity, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert(world, scope_of, year) -> Certificate:  # type: ignore[no-untyped-def]
    """teacher_a1's certificate, issued by the commune office xa_a1."""
    recognised(world.people["teacher_a1"], world.u("th_a1"), by=world.u("xa_a1"))
    services.certificates_issue(scope=scope_of("xa_a1"), unit=world.u("th_a1"), school_year=year)
    return Certificate.objects.select_related("issuer__unit", "unit").get()


@pytest.fixture
def job(world, scope_of, year, cert, django_capture_on_commit_callbacks) -> IssueJob:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        j = services.issue_job_start(scope=scope_of("xa_a1"), unit=world.u("th_a1"), school_year=year)
    j.refresh_from_db()
    return j


def _pages(cert: Certificate, job: IssueJob, world) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    u, y = world.u("th_a1").uuid, 2025
    return [
        ("get", f"{reverse('certificates:list')}?unit={u}&year={y}"),
        ("post", f"{reverse('certificates:issue')}?year={y}&unit={u}"),
        ("get", reverse("certificates:detail", args=[cert.uuid])),
        ("get", reverse("certificates:pdf", args=[cert.uuid])),
        ("get", reverse("certificates:credential", args=[cert.uuid])),
        ("post", reverse("certificates:revoke", args=[cert.uuid])),
        ("get", reverse("certificates:job", args=[job.uuid])),
        ("get", reverse("certificates:job_progress", args=[job.uuid])),
        ("get", reverse("certificates:job_pdf", args=[job.uuid])),
        ("get", reverse("certificates:job_zip", args=[job.uuid])),
    ]


def _call(client: Client, method: str, url: str, data: dict | None = None):  # type: ignore[no-untyped-def]
    if method == "post":
        path, _, query = url.partition("?")
        body = dict(p.split("=") for p in query.split("&")) if query else {}
        return client.post(path, {**body, **(data or {}), "reason": "Thử"})
    return client.get(url)


def test_an_outsider_gets_404_on_every_page(world, login, cert, job):
    client = login(world.users["so_b"])
    for method, url in _pages(cert, job, world):
        assert _call(client, method, url).status_code == 404, url


def test_inside_the_scope_without_the_permission_is_403(world, login, cert, job):
    client = login(world.users["principal_a1"])
    for method, url in _pages(cert, job, world):
        assert _call(client, method, url).status_code == 403, url
    cert.refresh_from_db()
    assert not cert.is_revoked


def test_the_issuer_opens_every_page(world, login, cert, job):
    client = login(world.users["xa_a1"])
    ok = {
        "list": client.get(f"{reverse('certificates:list')}?unit={world.u('th_a1').uuid}&year=2025"),
        "detail": client.get(reverse("certificates:detail", args=[cert.uuid])),
        "job": client.get(reverse("certificates:job", args=[job.uuid])),
        "job_pdf": client.get(reverse("certificates:job_pdf", args=[job.uuid])),
        "job_zip": client.get(reverse("certificates:job_zip", args=[job.uuid])),
    }
    assert {k: r.status_code for k, r in ok.items()} == dict.fromkeys(ok, 200)
    assert "Nguyễn Thị Đào" in ok["list"].content.decode()
    pdf = client.get(reverse("certificates:pdf", args=[cert.uuid]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]


def test_the_list_searches_filters_and_keeps_its_query_count(world, login, scope_of, year, cert):
    client = login(world.users["xa_a1"])
    url = f"{reverse('certificates:list')}?unit={world.u('th_a1').uuid}&year=2025"

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        return len(q)

    before = count()
    teachers(world.u("th_a1"), 6, by=world.u("xa_a1"))
    services.certificates_issue(scope=scope_of("xa_a1"), unit=world.u("th_a1"), school_year=year)
    assert count() == before
    found = client.get(url + "&q=dao").content.decode()
    assert "Nguyễn Thị Đào" in found and "Giáo" not in found
    assert "Nguyễn Thị Đào" not in client.get(url + "&status=revoked").content.decode()


def test_the_issue_button_starts_a_job_that_shows_its_progress_and_files(
    world, login, year, django_capture_on_commit_callbacks
):
    teachers(world.u("th_a1"), 2, by=world.u("xa_a1"))
    client = login(world.users["xa_a1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:issue"), {"unit": world.u("th_a1").uuid, "year": 2025})
    job = IssueJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-bar-width="100"' in page
    assert reverse("certificates:job_pdf", args=[job.uuid]) in page
    assert reverse("certificates:job_zip", args=[job.uuid]) in page
    assert Certificate.objects.count() == 2


def test_a_person_downloads_their_own_certificate_but_cannot_revoke_it(world, login, cert):
    client = login(world.users["teacher_a1"])
    mine = client.get(reverse("certificates:mine"))
    assert reverse("certificates:pdf", args=[cert.uuid]) in mine.content.decode()
    assert client.get(reverse("certificates:detail", args=[cert.uuid])).status_code == 200
    assert client.get(reverse("certificates:pdf", args=[cert.uuid])).status_code == 200
    credential = client.get(reverse("certificates:credential", args=[cert.uuid]))
    assert json.loads(credential.content)["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert client.post(reverse("certificates:revoke", args=[cert.uuid]), {"reason": "x"}).status_code == 403
    other = login(world.users["mentor_a1"])
    assert other.get(reverse("certificates:detail", args=[cert.uuid])).status_code == 404
    assert reverse("certificates:pdf", args=[cert.uuid]) not in other.get(reverse("certificates:mine")).content.decode()


def test_the_verification_page_shows_what_is_needed_and_nothing_sensitive(world, cert):
    person = world.people["teacher_a1"]
    ethnicity = Ethnicity.objects.get(code="05")
    Person.objects.filter(pk=person.pk).update(
        date_of_birth=date(1987, 3, 29),
        personal_id="001187012345",
        ethnicity=ethnicity,
        phone="0912345678",
        email="dao.nguyen@example.vn",
    )
    response = Client().get(reverse("certificates:verify", args=[cert.verify_token]))
    html = response.content.decode()
    assert response.status_code == 200
    for shown in (
        "Nguyễn Thị Đào",
        "Trường Tiểu học Đông",
        "2025-2026",
        "Hoàn thành",
        "ỦY BAN NHÂN DÂN XÃ ĐÔNG",
        cert.number,
    ):
        assert shown in html
    for hidden in ("29/03/1987", "1987-03-29", "001187012345", ethnicity.name, "0912345678", "dao.nguyen@example.vn"):
        assert hidden not in html


def test_unknown_tokens_and_numbers_answer_the_same_404(world, cert):
    client = Client()
    answers = [
        client.get(f"/certificates/verify/{value}/")
        for value in ("x" * 22, "AAAAAAAAAAAAAAAAAAAAAA", "1", quote(cert.number, safe=""))
    ]
    assert [r.status_code for r in answers] == [404, 404, 404, 404]
    per_response = rb'nonce="[^"]*"|"X-CSRFToken": "[^"]*"'  # a fresh nonce and masked CSRF token on any page
    assert len({re.sub(per_response, b"", r.content) for r in answers[:3]}) == 1
    assert client.get(f"/certificates/verify/{cert.number}/").status_code == 404


def test_a_revoked_certificate_says_so_with_the_date(world, scope_of, cert):
    services.certificate_revoke(scope=scope_of("xa_a1"), certificate=cert, reason="Cấp nhầm")
    cert.refresh_from_db()
    html = Client().get(reverse("certificates:verify", args=[cert.verify_token])).content.decode()
    assert "Đã thu hồi" in html
    assert cert.revoked_at is not None and cert.revoked_at.strftime("%d/%m/%Y") in html
    assert "Cấp nhầm" not in html  # the reason is internal


def test_the_verification_page_checks_a_credential(world, cert):
    client = Client()
    url = reverse("certificates:verify", args=[cert.verify_token])
    good = client.post(url, {"text": json.dumps(cert.credential)}).content.decode()
    assert 'id="credential-check"' in good and "alert-success" in good
    tampered = json.loads(json.dumps(cert.credential))
    tampered["credentialSubject"]["result"][0]["value"] = "Giỏi"
    bad = client.post(url, {"text": json.dumps(tampered)}).content.decode()
    assert "alert-danger" in bad
    assert "alert-danger" in client.post(url, {"text": "not json"}).content.decode()


def test_the_issuers_background_is_served_to_its_own_staff_only(world, login, cert):
    from django.core.files.base import ContentFile

    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
    cert.issuer.background.save("nen.png", ContentFile(png))
    url = reverse("certificates:issuer_background", args=[cert.issuer.uuid])
    assert login(world.users["so_b"]).get(url).status_code == 404
    assert login(world.users["principal_a1"]).get(url).status_code == 404  # a school does not see its office
    assert login(world.users["so_a"]).get(url).status_code == 403  # the Sở sees the office, is not its staff
    response = login(world.users["xa_a1"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
