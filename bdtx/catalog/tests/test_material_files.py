"""A learning material cannot run in our origin: its file is accepted by content, per kind of material,
and served with a content type from our own check, inline only when safe, never sniffed."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bdtx.catalog.models import Material
from bdtx.catalog.tests.conftest import module
from bdtx.core.tests.test_uploads import DOCX, EXE, HTML, MP4, PDF, PNG, SVG

pytestmark = pytest.mark.django_db


def _add(client, kind: str, name: str, content: bytes):  # type: ignore[no-untyped-def]
    gvpt01 = module("GVPT-TT17-2019", "GVPT 01")
    url = reverse("catalog:material_add", kwargs={"uuid": gvpt01.uuid})
    return client.post(
        url, {"kind": kind, "title": "Bài giảng", "file": SimpleUploadedFile(name, content)}, follow=True
    )


@pytest.mark.parametrize("kind", ["file", "video"])
@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("bai-giang.pdf", HTML, "là một trang web hoặc tệp XML (HTML, SVG, XML có thể chứa mã lệnh)"),
        ("giao-an.docx", SVG, "là một ảnh SVG (có thể chứa mã lệnh)"),
        ("anh.png", EXE, "là một chương trình (tệp chạy được)"),
        ("video.mp4", HTML, "là một trang web hoặc tệp XML (HTML, SVG, XML có thể chứa mã lệnh)"),
    ],
)
def test_an_html_svg_or_program_material_is_refused_whatever_its_name(world, login, kind, name, content, what):
    response = _add(login(world.users["so_a"]), kind, name, content)
    assert response.status_code == 200 and not Material.objects.exists()
    assert f"Tệp “{name}” {what}, dù tên tệp nói gì. Ở đây chỉ nhận:" in response.content.decode()


def test_a_video_material_must_be_an_mp4(world, login):
    response = _add(login(world.users["so_a"]), "video", "bai.pdf", PDF)
    assert not Material.objects.exists()
    assert "Tệp “bai.pdf” là PDF, dù tên tệp nói gì. Ở đây chỉ nhận: video MP4." in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "name", "content", "content_type", "inline"),
    [
        ("file", "bai-giang.pdf", PDF, "application/pdf", True),
        ("file", "so-do.png", PNG, "image/png", True),
        ("video", "bai-1.mp4", MP4, "video/mp4", True),
        (
            "file",
            "giao-an.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            False,
        ),
    ],
)
def test_an_accepted_material_is_served_with_safe_headers(world, login, kind, name, content, content_type, inline):
    _add(login(world.users["so_a"]), kind, name, content)
    material = Material.objects.get()
    response = login(world.users["teacher_a1"]).get(reverse("catalog:material", kwargs={"uuid": material.uuid}))
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline" if inline else "attachment")


def test_a_page_stored_before_the_checks_is_only_ever_downloaded(world, login):
    material = Material.objects.create(
        module=module("GVPT-TT17-2019", "GVPT 01"), unit=world.u("so_a"), kind="file", title="Cũ"
    )
    material.file.save("cu.html", ContentFile(HTML), save=True)
    response = login(world.users["teacher_a1"]).get(reverse("catalog:material", kwargs={"uuid": material.uuid}))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
