"""How a unit heads and signs its official documents (Decree 30/2020/NĐ-CP on administrative
documents, Appendix I): the governing body on the first line, the unit's own name below it in
bold, and the signature block (the "on behalf of" line, the title, the signer's name).

Each unit may set its own lines (`Unit.governing_body`, `document_name`, `signer_title`,
`signer_name`); what it leaves empty follows its kind:

- Bộ GD&ĐT: no first line; BỘ GIÁO DỤC VÀ ĐÀO TẠO; signed BỘ TRƯỞNG.
- Sở GD&ĐT Cao Bằng: ỦY BAN NHÂN DÂN TỈNH CAO BẰNG / SỞ GIÁO DỤC VÀ ĐÀO TẠO; GIÁM ĐỐC.
- Phòng GD&ĐT huyện Hòa An: ỦY BAN NHÂN DÂN HUYỆN HÒA AN / PHÒNG GIÁO DỤC VÀ ĐÀO TẠO; TRƯỞNG PHÒNG.
- UBND xã Hòa An: no first line; ỦY BAN NHÂN DÂN XÃ HÒA AN; TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH.
- a school or centre: its managing unit of that year / the school's name; HIỆU TRƯỞNG (GIÁM ĐỐC),
  signed by its principal unless it names a signer.
- a training institution: no first line by default (the Sở above it in the tree contracts it, it
  does not govern it: the institution writes its own governing body); HIỆU TRƯỞNG.
"""

import re
from dataclasses import dataclass

from bdtx.organisations.models import Unit, UnitKind

# Words naming the kind of body before the place in a unit's name ("UBND xã Hòa An" → "Hòa An").
_AUTHORITY_WORDS = re.compile(
    r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd|phòng gd&đt|phòng gd-đt|phòng giáo dục và đào tạo|sở gd&đt|sở gd-đt"
    r"|sở giáo dục và đào tạo|xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố|tỉnh)\s+",
    re.IGNORECASE,
)
# The kind of local government a commune-level unit is, from the start of its name.
_COMMUNE_WORDS = re.compile(r"(xã|phường|thị trấn|đặc khu)\s+", re.IGNORECASE)
_DISTRICT_WORDS = re.compile(r"(huyện|quận|thị xã|thành phố)\s+", re.IGNORECASE)

SIGNERS: dict[str, tuple[str, str]] = {  # unit kind → (line above the title, title of the signer)
    UnitKind.SCHOOL: ("", "HIỆU TRƯỞNG"),
    UnitKind.CENTRE: ("", "GIÁM ĐỐC"),
    UnitKind.DISTRICT: ("", "TRƯỞNG PHÒNG"),
    UnitKind.COMMUNE: ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    UnitKind.DEPARTMENT: ("", "GIÁM ĐỐC"),
    UnitKind.MINISTRY: ("", "BỘ TRƯỞNG"),
    UnitKind.INSTITUTION: ("", "HIỆU TRƯỞNG"),
}


def place_of(name: str) -> str:
    """The place in a unit's name: 'UBND xã Hòa An' → 'Hòa An', 'Sở GD&ĐT Cao Bằng' → 'Cao Bằng'."""
    while (stripped := _AUTHORITY_WORDS.sub("", name, count=1)) != name:
        name = stripped
    return name


def _local_kind(name: str, pattern: re.Pattern[str], default: str) -> str:
    """'xã', 'phường', 'huyện'…: the kind of local government named in a unit's name."""
    m = pattern.search(name)
    return m.group(1) if m else default


ABBREVIATIONS: dict[str, str] = {  # unit kind → abbreviation in document numbers ("Số: 12/KH-SGDĐT")
    UnitKind.MINISTRY: "BGDĐT",
    UnitKind.DEPARTMENT: "SGDĐT",
    UnitKind.DISTRICT: "PGDĐT",
    UnitKind.COMMUNE: "UBND",
}


@dataclass(frozen=True)
class Letterhead:
    governing_body: str  # first line, may be empty
    name: str  # the unit's own name, bold
    abbr: str  # in the document number, after the kind of document: "KH-SGDĐT"
    signer_prefix: str  # "TM. ỦY BAN NHÂN DÂN", or empty
    signer_title: str
    signer_name: str


def letterhead(unit: Unit, *, parent: Unit | None, head_name: str = "") -> Letterhead:
    """The unit's letterhead and signature block. `parent`: its managing unit in the year of the
    document (a school's first line); `head_name`: who signs when the unit has not named a signer
    (a school's principal)."""
    place = place_of(unit.name)
    governing, name = "", unit.name.upper()
    if unit.kind == UnitKind.MINISTRY:
        name = "BỘ GIÁO DỤC VÀ ĐÀO TẠO"
    elif unit.kind == UnitKind.DEPARTMENT:
        governing, name = f"ỦY BAN NHÂN DÂN TỈNH {place.upper()}", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    elif unit.kind == UnitKind.DISTRICT:
        district = _local_kind(unit.name, _DISTRICT_WORDS, "huyện")
        governing, name = f"ỦY BAN NHÂN DÂN {district.upper()} {place.upper()}", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"
    elif unit.kind == UnitKind.COMMUNE:
        commune = _local_kind(unit.name, _COMMUNE_WORDS, "xã")
        name = f"ỦY BAN NHÂN DÂN {commune.upper()} {place.upper()}"
    elif parent is not None and unit.kind != UnitKind.INSTITUTION:
        governing = parent.name.upper()
    prefix, title = SIGNERS.get(unit.kind, ("", "THỦ TRƯỞNG ĐƠN VỊ"))
    return Letterhead(
        governing_body=unit.governing_body.strip() or governing,
        name=unit.document_name.strip() or name,
        abbr=unit.document_abbr.strip() or ABBREVIATIONS.get(unit.kind, "") or unit.short_name or unit.code,
        signer_prefix=prefix if not unit.signer_title.strip() else "",
        signer_title=unit.signer_title.strip() or title,
        signer_name=unit.signer_name.strip() or head_name,
    )
