"""Legacy Vietnamese text: TCVN3 (the "ABC" encoding of the .VnTime fonts) to Unicode.

TCVN 5712:1993 ("Công nghệ thông tin – Bộ mã chuẩn 8-bit kí tự Việt dùng trong trao đổi thông
tin") defines an 8-bit code for Vietnamese. Its VN3 subset, typed with the ABC keyboard driver
into the .Vn* fonts (.VnTime, .VnArial; the capitals-only .VnTimeH), filled Vietnamese office
spreadsheets until the late 2000s and many still circulate. Excel stored each typed byte as the
character that byte means in Windows-1252, so a name reads "NguyÔn ThÞ Hoa" instead of
"Nguyễn Thị Hoa". `TCVN3_TO_UNICODE` is the full VN1 table of the standard (VN3 plus the capital
letters with tone marks and the five combining tone marks); VN3 text uses only part of it.

Detection works on characters: a Latin-1 character such as "¬", "¸", "µ", "¶" or "Ç" never occurs
in Unicode Vietnamese, while precomposed letters beyond Latin-1 ("ă", "ơ", "ạ") never occur in
TCVN3 text. `looks_legacy` says a single text is TCVN3; `decode` converts it and raises
`LegacyTextError` when it mixes both and cannot be decoded safely.
"""

import re
import unicodedata

# Byte of TCVN 5712:1993 (VN1) → Unicode. Bytes not listed are ASCII or unassigned.
TCVN3_TO_UNICODE: dict[int, str] = {
    # Capitals with tone marks placed on C0 control positions (VN1 only).
    0x01: "Ú",
    0x02: "Ụ",
    0x04: "Ừ",
    0x05: "Ử",
    0x06: "Ữ",
    0x11: "Ứ",
    0x12: "Ự",
    0x13: "Ỳ",
    0x14: "Ỷ",
    0x15: "Ỹ",
    0x16: "Ý",
    0x17: "Ỵ",
    # 0x80-0x9F: capitals with tone marks (VN1 only).
    0x80: "À",
    0x81: "Ả",
    0x82: "Ã",
    0x83: "Á",
    0x84: "Ạ",
    0x85: "Ặ",
    0x86: "Ậ",
    0x87: "È",
    0x88: "Ẻ",
    0x89: "Ẽ",
    0x8A: "É",
    0x8B: "Ẹ",
    0x8C: "Ệ",
    0x8D: "Ì",
    0x8E: "Ỉ",
    0x8F: "Ĩ",
    0x90: "Í",
    0x91: "Ị",
    0x92: "Ò",
    0x93: "Ỏ",
    0x94: "Õ",
    0x95: "Ó",
    0x96: "Ọ",
    0x97: "Ộ",
    0x98: "Ờ",
    0x99: "Ở",
    0x9A: "Ỡ",
    0x9B: "Ớ",
    0x9C: "Ợ",
    0x9D: "Ù",
    0x9E: "Ủ",
    0x9F: "Ũ",
    # 0xA1-0xFF: the VN3 letters, plus a few VN1 capitals in the gaps.
    0xA1: "Ă",
    0xA2: "Â",
    0xA3: "Ê",
    0xA4: "Ô",
    0xA5: "Ơ",
    0xA6: "Ư",
    0xA7: "Đ",
    0xA8: "ă",
    0xA9: "â",
    0xAA: "ê",
    0xAB: "ô",
    0xAC: "ơ",
    0xAD: "ư",
    0xAE: "đ",
    0xAF: "Ằ",
    0xB0: "\u0300",  # combining grave (huyền)
    0xB1: "\u0309",  # combining hook above (hỏi)
    0xB2: "\u0303",  # combining tilde (ngã)
    0xB3: "\u0301",  # combining acute (sắc)
    0xB4: "\u0323",  # combining dot below (nặng)
    0xB5: "à",
    0xB6: "ả",
    0xB7: "ã",
    0xB8: "á",
    0xB9: "ạ",
    0xBA: "Ẳ",
    0xBB: "ằ",
    0xBC: "ẳ",
    0xBD: "ẵ",
    0xBE: "ắ",
    0xBF: "Ẵ",
    0xC0: "Ắ",
    0xC1: "Ầ",
    0xC2: "Ẩ",
    0xC3: "Ẫ",
    0xC4: "Ấ",
    0xC5: "Ề",
    0xC6: "ặ",
    0xC7: "ầ",
    0xC8: "ẩ",
    0xC9: "ẫ",
    0xCA: "ấ",
    0xCB: "ậ",
    0xCC: "è",
    0xCD: "Ể",
    0xCE: "ẻ",
    0xCF: "ẽ",
    0xD0: "é",
    0xD1: "ẹ",
    0xD2: "ề",
    0xD3: "ể",
    0xD4: "ễ",
    0xD5: "ế",
    0xD6: "ệ",
    0xD7: "ì",
    0xD8: "ỉ",
    0xD9: "Ễ",
    0xDA: "Ế",
    0xDB: "Ồ",
    0xDC: "ĩ",
    0xDD: "í",
    0xDE: "ị",
    0xDF: "ò",
    0xE0: "Ổ",
    0xE1: "ỏ",
    0xE2: "õ",
    0xE3: "ó",
    0xE4: "ọ",
    0xE5: "ồ",
    0xE6: "ổ",
    0xE7: "ỗ",
    0xE8: "ố",
    0xE9: "ộ",
    0xEA: "ờ",
    0xEB: "ở",
    0xEC: "ỡ",
    0xED: "ớ",
    0xEE: "ợ",
    0xEF: "ù",
    0xF0: "Ỗ",
    0xF1: "ủ",
    0xF2: "ũ",
    0xF3: "ú",
    0xF4: "ụ",
    0xF5: "ừ",
    0xF6: "ử",
    0xF7: "ữ",
    0xF8: "ứ",
    0xF9: "ự",
    0xFA: "ỳ",
    0xFB: "ỷ",
    0xFC: "ỹ",
    0xFD: "ý",
    0xFE: "ỵ",
    0xFF: "Ố",
}


# Precomposed letters that Unicode Vietnamese shares with Latin-1: their presence proves nothing.
_VIETNAMESE_LATIN1 = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
# Latin-1 characters that TCVN3 uses for Vietnamese letters and Unicode Vietnamese never contains.
_TELLTALE = frozenset(chr(b) for b in range(0xA1, 0x100) if b in TCVN3_TO_UNICODE and chr(b) not in _VIETNAMESE_LATIN1)
# Excel shows each byte as its Latin-1 character (0xA0-0xFF) or, for 0x80-0x9F, as Windows-1252
# punctuation ("’", "“", "–"). VN3 (ABC) leaves 0x80-0x9F unassigned, so that punctuation is kept:
# a smart apostrophe in "H’Mông" stays an apostrophe. Raw C0/C1 control characters follow VN1.
_TRANSLATE: dict[int, str] = {b: TCVN3_TO_UNICODE.get(b, chr(b)) for b in range(0x100) if b >= 0x80 or b < 0x20}
_TRANSLATE[0xA0] = " "


# A letter or combining mark beyond Latin-1 ('ă', 'ơ', 'ạ', U+0303) proves the text is Unicode;
# Windows-1252 punctuation and letters (’ “ – … € Œ Š Ž ƒ) prove nothing.
_UNICODE_ONLY = re.compile(
    "[^\x00-\xff\u2000-\u206f\u20ac\u2122\u02c6\u02dc\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192]"
)
_TELLTALE_RE = re.compile("[" + re.escape("".join(sorted(_TELLTALE))) + "]")


class LegacyTextError(ValueError):
    """The text mixes legacy TCVN3 bytes and Unicode letters and cannot be decoded safely."""


def looks_legacy(text: str) -> bool:
    """True when `text` carries TCVN3 telltale characters and no letter beyond Latin-1."""
    if text.isascii():
        return False
    return _TELLTALE_RE.search(text) is not None and _UNICODE_ONLY.search(text) is None


def is_unicode_vietnamese(text: str) -> bool:
    """True when `text` holds a character only Unicode can encode ('ă', 'ơ', 'ạ', a combining mark)."""
    return not text.isascii() and _UNICODE_ONLY.search(text) is not None


def decode(text: str, *, force: bool = False) -> str:
    """TCVN3 text → Unicode NFC. With `force`, also text without telltale characters (a legacy file).

    Text that is already Unicode is returned unchanged; text that mixes both raises
    `LegacyTextError`.
    """
    if text.isascii():
        return text
    telltale = _TELLTALE_RE.search(text) is not None
    unicode_only = _UNICODE_ONLY.search(text) is not None
    if telltale and unicode_only:
        raise LegacyTextError(text)
    if unicode_only or not (telltale or force):
        return text
    return unicodedata.normalize("NFC", text.translate(_TRANSLATE))


def encode(text: str) -> str:
    """Unicode → how VN3 text looks once Excel has read it (tests and the benchmark use it)."""
    return unicodedata.normalize("NFC", text).translate(_ENCODE)


_ENCODE = {ord(v): chr(k) for k, v in TCVN3_TO_UNICODE.items() if k >= 0xA1}
