"""Uploaded files judged by their content, never by their name: what a file is, whether an upload
form accepts it, how it is served back, and a ZIP read within bounds.

Every upload of the site goes through `upload_accept` with the types its form allows (learning
materials, evidence of a self-assessment, the import form's .xlsx), and every stored upload is
served through `file_response`, which sniffs the stored bytes again: the content type comes from
the bytes, a file is shown in the browser only when its type is safe to show (PDF, PNG, JPEG,
MP4) and downloaded otherwise, always with `X-Content-Type-Options: nosniff`. A web page, an SVG
picture, a program or a script is refused whatever it is called, and a file stored before these
checks is served as a download of unknown type.

Office files (.docx, .xlsx, .pptx) are ZIP packages: they are told apart by the content type
their `[Content_Types].xml` gives the main part, and that part must exist. `zip_members` and
`zip_inflate` read a ZIP without trusting what it says about itself: the number of parts is read
from the end record before Python builds its directory, and each part is inflated in bounded
chunks, checked against its declared size and CRC only at its end (a part that says 1 KB and
inflates to 1 GB is stopped by the caller's cap, not believed). The importers' bounds
(`bdtx.core.importing.bounds`) stream every part of a workbook through them.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.core.files import File
    from django.utils.functional import Promise

SNIFF_BYTES = 8192  # the head of a file read to know what it is
MAX_ZIP_MEMBERS = 2000  # parts of an Office file; Excel writes tens
MAX_CONTENT_TYPES_BYTES = 2**20  # [Content_Types].xml, inflated


@dataclass(frozen=True)
class FileType:
    """A kind of file the site accepts: how it is named, served and recognised."""

    key: str
    label: str | Promise
    content_type: str
    extensions: tuple[str, ...]
    inline: bool = False  # safe to show in the browser from our origin (no script can run in it)


TYPES: dict[str, FileType] = {
    t.key: t
    for t in (
        FileType("pdf", "PDF", "application/pdf", (".pdf",), inline=True),
        FileType("png", gettext_lazy("PNG picture"), "image/png", (".png",), inline=True),
        FileType("jpeg", gettext_lazy("JPEG picture"), "image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif"), inline=True),
        FileType("mp4", gettext_lazy("MP4 video"), "video/mp4", (".mp4", ".m4v"), inline=True),
        FileType(
            "docx",
            gettext_lazy("Word document (.docx)"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        FileType(
            "xlsx",
            gettext_lazy("Excel workbook (.xlsx)"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
        ),
        FileType(
            "pptx",
            gettext_lazy("PowerPoint presentation (.pptx)"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            (".pptx",),
        ),
        FileType(
            "office97",
            gettext_lazy("Office 97–2003 document (.doc, .xls, .ppt)"),
            "application/octet-stream",  # the three share one container; the name tells them apart
            (".doc", ".xls", ".ppt"),
        ),
        FileType(
            "odf",
            gettext_lazy("OpenDocument file (.odt, .ods, .odp)"),
            "application/octet-stream",
            (".odt", ".ods", ".odp"),
        ),
        FileType("text", gettext_lazy("plain text (.txt)"), "text/plain; charset=utf-8", (".txt",)),
    )
}
# The allow-lists of the site's upload forms.
MATERIAL_TYPES = frozenset({"pdf", "docx", "xlsx", "pptx", "png", "jpeg", "mp4"})
MATERIAL_VIDEO_TYPES = frozenset({"mp4"})
EVIDENCE_TYPES = frozenset({"pdf", "docx", "xlsx", "pptx", "png", "jpeg", "mp4", "office97", "odf", "text"})
IMPORT_TYPES = frozenset({"xlsx"})
_BY_EXTENSION = {ext: t.key for t in TYPES.values() for ext in t.extensions}

# The main part of each Office package, as [Content_Types].xml names it.
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
_ODF = {
    b"application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.presentation",
}
_OVERRIDE = re.compile(rb"<(?:\w+:)?Override\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(rb'(\w+)\s*=\s*["\']([^"\']*)["\']')
_MARKUP = re.compile(
    rb"<\s*(!doctype|html|head|body|script|iframe|object|embed|svg|math|xml|\?xml|meta|link|style|a\s|img|div|form)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sniffed:
    """What a file is: an accepted type, or (`type` None) a description of what was found."""

    type: FileType | None
    found: str  # for people: "a web page (HTML)", "an SVG picture", "a program"; "" when not known


class ZipProblem(ValueError):
    """A ZIP that cannot be read safely; the message is for people."""


# --- what a file is -------------------------------------------------------------------------------


def sniff(source: IO[bytes]) -> Sniffed:
    """Recognise a file by its bytes (its head, and for a ZIP its directory and content types)."""
    source.seek(0)
    head = source.read(SNIFF_BYTES)
    source.seek(0)
    if head.startswith(b"%PDF"):
        return Sniffed(TYPES["pdf"], "")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(TYPES["png"], "")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(TYPES["jpeg"], "")
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS:
        return Sniffed(TYPES["mp4"], "")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Sniffed(TYPES["office97"], "")
    if head.startswith(b"PK\x03\x04"):
        try:
            return _sniff_zip(source)
        finally:
            source.seek(0)
    found = _dangerous(head)
    if found:
        return Sniffed(None, found)
    if _is_text(head):
        return Sniffed(TYPES["text"], "")
    return Sniffed(None, "")


_MP4_BRANDS = frozenset({b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash"})


def _dangerous(head: bytes) -> str:
    """What a file that must never be served from our origin is, from its head ("" if none of them)."""
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe")):
        return _("a program")
    if head.startswith(b"#!"):
        return _("a script")
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n\x00")
    if b"<svg" in head.lower():
        return _("an SVG picture (it can hold scripts)")
    if _MARKUP.search(text[:1024]) or text.startswith(b"<"):
        return _("a web page or XML (HTML, SVG, XML can hold scripts)")
    return ""


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not just a character cut at the end of the head
            return False
    return not _MARKUP.search(head) and b"<script" not in head.lower()


def _sniff_zip(source: IO[bytes]) -> Sniffed:
    try:
        members = {m.filename: m for m in zip_members(source)}
    except ZipProblem:
        return Sniffed(None, _("a damaged ZIP archive"))
    if "mimetype" in members:
        try:
            mimetype = b"".join(zip_inflate(source, members["mimetype"], limit=256)).strip()
        except ZipProblem:
            mimetype = b""
        if mimetype in _ODF:
            return Sniffed(TYPES["odf"], "")
    info = members.get("[Content_Types].xml")
    if info is None:
        return Sniffed(None, _("a ZIP archive"))
    try:
        types = b"".join(zip_inflate(source, info, limit=MAX_CONTENT_TYPES_BYTES))
    except ZipProblem:
        return Sniffed(None, _("a damaged Office file"))
    for tag in _OVERRIDE.findall(types):
        attrs = {k.lower(): v for k, v in _ATTR.findall(tag)}
        part = attrs.get(b"partname", b"").decode("utf-8", "replace").lstrip("/")
        content_type = attrs.get(b"contenttype", b"").decode("ascii", "replace").lower()
        key = _OOXML_MAIN.get(content_type)
        if key is not None and part in members:
            return Sniffed(TYPES[key], "")
        if "macroenabled" in content_type:
            return Sniffed(None, _("an Office file with macros (programs)"))
    return Sniffed(None, _("a ZIP archive"))


# --- what a form accepts --------------------------------------------------------------------------


def allowed_labels(allowed: Collection[str]) -> str:
    """'PDF, Word document (.docx), …' in the order of TYPES."""
    return ", ".join(str(t.label) for k, t in TYPES.items() if k in allowed)


def upload_accept(upload: File, *, allowed: Collection[str], max_bytes: int) -> FileType:
    """The type of `upload` if the form accepts it; else ValidationError saying what the file is.

    The content decides. A name whose extension belongs to another accepted type is refused too
    (a picture called .pdf), so what is stored, listed and served says the same thing.
    """
    name = PurePath(upload.name or "").name
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than %(mb)s MB, the most this form accepts.")
            % {"name": name, "mb": _megabytes(max_bytes)},
            code="size",
        )
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    found = sniff(upload.file if hasattr(upload, "file") and upload.file is not None else upload)
    accepted = allowed_labels(allowed)
    if found.type is None or found.type.key not in allowed:
        what = found.found or (str(found.type.label) if found.type else _("a kind of file that is not recognised"))
        raise ValidationError(
            _("“%(name)s” is %(what)s, whatever its name says. Only these files are accepted here: %(allowed)s.")
            % {"name": name, "what": what, "allowed": accepted},
            code="type",
        )
    named = _BY_EXTENSION.get(PurePath(name).suffix.lower())
    if named is not None and named != found.type.key:
        raise ValidationError(
            _("“%(name)s” is named like a %(named)s but holds a %(found)s: rename it or save it in the right format.")
            % {"name": name, "named": TYPES[named].label, "found": found.type.label},
            code="mismatch",
        )
    return found.type


def _megabytes(n: int) -> str:
    mb = n / 2**20
    return str(int(mb)) if mb.is_integer() else f"{mb:.1f}".replace(".", ",")


# --- how a stored file is served ------------------------------------------------------------------


def file_response(file: File, *, filename: str, allowed: Collection[str], attachment: bool = False) -> FileResponse:
    """Serve a stored upload: content type from its bytes, inline only when safe, never sniffed.

    A file whose content is not one of `allowed` (one stored before the checks) is sent as a
    download of unknown type.
    """
    handle = file.open("rb")
    found = sniff(handle)
    kind = found.type if found.type is not None and found.type.key in allowed else None
    inline = kind is not None and kind.inline and not attachment
    response = FileResponse(handle, as_attachment=not inline, filename=filename)
    response.headers["Content-Type"] = kind.content_type if kind is not None else "application/octet-stream"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- a ZIP read within bounds ---------------------------------------------------------------------


_EOCD = b"PK\x05\x06"
_LOCAL = struct.Struct("<4s5H3L2H")  # signature, version, flags, method, time, date, crc, sizes, name/extra length
INFLATE_CHUNK = 2**20
_READ = 2**16


def zip_members(source: IO[bytes], *, max_members: int = MAX_ZIP_MEMBERS) -> list[zipfile.ZipInfo]:
    """The parts of a ZIP, from its directory (ZipProblem when it is not a ZIP or has too many parts).

    The count is read from the end record first, so a directory of a million parts is never built.
    """
    source.seek(0, 2)
    size = source.tell()
    tail_start = max(0, size - (22 + 65535))
    source.seek(tail_start)
    tail = source.read()
    source.seek(0)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) < at + 22:
        raise ZipProblem(_("The file is not a ZIP archive or is damaged."))
    entries = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    if entries == 0xFFFF or entries > max_members:
        raise ZipProblem(_("The file has too many parts (more than %(n)s) to be a document.") % {"n": max_members})
    try:
        with zipfile.ZipFile(source) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise ZipProblem(_("The file is not a ZIP archive or is damaged.")) from e
    finally:
        source.seek(0)
    if len(members) > max_members:
        raise ZipProblem(_("The file has too many parts (more than %(n)s) to be a document.") % {"n": max_members})
    return members


def zip_inflate(
    source: IO[bytes], member: zipfile.ZipInfo, *, limit: int | None = None, chunk: int = INFLATE_CHUNK
) -> Iterator[bytes]:
    """The inflated bytes of one part, in chunks of at most `chunk` bytes.

    Never trusts the declared size: output stops with ZipProblem past `limit` bytes (when given);
    at the end the size and CRC must match the directory's, else the part is damaged. The caller
    may stop reading at any chunk (its own caps); nothing more is inflated then.
    """
    if member.flag_bits & 0x1:
        raise ZipProblem(_("The file is password-protected: remove the password, save it and upload it again."))
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ZipProblem(_("The file uses a compression method Office does not write: save it again from Office."))
    source.seek(member.header_offset)
    header = source.read(_LOCAL.size)
    if len(header) < _LOCAL.size or header[:4] != b"PK\x03\x04":
        raise ZipProblem(_("The file is not a ZIP archive or is damaged."))
    fields = _LOCAL.unpack(header)
    source.seek(member.header_offset + _LOCAL.size + fields[9] + fields[10])
    left = member.compress_size
    inflater = zlib.decompressobj(-15) if member.compress_type == zipfile.ZIP_DEFLATED else None
    out = 0
    crc = 0

    def emit(data: bytes) -> bytes:
        nonlocal out, crc
        out += len(data)
        if limit is not None and out > limit:
            message = _("A part of the file is larger than %(mb)s MB once unpacked.") % {"mb": _megabytes(limit)}
            raise ZipProblem(message)
        crc = zlib.crc32(data, crc)
        return data

    try:
        while left > 0:
            raw = source.read(min(_READ, chunk, left))
            if not raw:
                raise ZipProblem(_("The file is not a ZIP archive or is damaged."))
            left -= len(raw)
            if inflater is None:
                yield emit(raw)
                continue
            data = inflater.decompress(raw, chunk)
            while True:
                if data:
                    yield emit(data)
                if not inflater.unconsumed_tail:
                    break
                data = inflater.decompress(inflater.unconsumed_tail, chunk)
        if inflater is not None:
            rest = inflater.flush()
            if rest:
                yield emit(rest)
            if not inflater.eof:
                raise ZipProblem(_("The file is not a ZIP archive or is damaged."))
    except zlib.error as e:
        raise ZipProblem(_("The file is not a ZIP archive or is damaged.")) from e
    if out != member.file_size or crc != member.CRC:
        raise ZipProblem(_("The file is damaged: a part does not match its declared size or checksum."))
