"""Checks of personal data whose rules come from outside BDTX.

Personal identification numbers (số định danh cá nhân, printed on the CCCD card): 12 digits —
3 for the province of birth registration, 1 for gender and century, 2 for the year of birth,
6 random (Thông tư 59/2021/TT-BCA, Điều 7). The province codes are the 63 pre-2025 codes.
"""

import re
from datetime import date

from django.utils.translation import gettext as _

ID_PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
_DIGITS12 = re.compile(r"^\d{12}$")


def personal_id_problem(value: str, *, gender: str | None = None, birth: date | None = None) -> str | None:
    """A Vietnamese message describing what is wrong with the ID number, or None if it is valid."""
    if not _DIGITS12.match(value):
        return _("The personal ID number must have exactly 12 digits (it has %(n)d characters).") % {"n": len(value)}
    if value[:3] not in ID_PROVINCE_CODES:
        return _("The first 3 digits (%(code)s) are not a province code of birth registration.") % {"code": value[:3]}
    code = int(value[3])
    century = 1900 + (code // 2) * 100
    if birth is not None and (birth.year // 100 * 100 != century or birth.year % 100 != int(value[4:6])):
        return _("Digits 4–6 of the ID number do not match the year of birth %(year)d.") % {"year": birth.year}
    if gender in ("M", "F") and (code % 2 == 0) != (gender == "M"):
        return _("Digit 4 of the ID number does not match the gender.")
    return None


def looks_like_personal_id(word: str) -> bool:
    """Whether a word typed in a search box is an ID number (12 digits): ID numbers are searched only
    through the POSTed ID search, so they never travel in an address."""
    return bool(_DIGITS12.match(word))


def personal_id_for(*, province: str, gender: str, birth: date, serial: int) -> str:
    """Build a well-formed ID number (demo data and tests)."""
    code = (birth.year // 100 - 19) * 2 + (1 if gender == "F" else 0)
    return f"{province}{code}{birth.year % 100:02d}{serial % 1_000_000:06d}"
