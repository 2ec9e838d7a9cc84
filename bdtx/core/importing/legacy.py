"""Legacy Vietnamese text: TCVN3 (the "ABC" encoding of the .VnTime fonts) and VNI (the VNI-Times
fonts) to Unicode, and telling them apart.

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

VNI Windows writes a letter as its base letter followed by mark bytes ("Nguyễn" is "Nguyeãn").
`VNI_TO_UNICODE` follows the VNI table of xvnkb, `vni.h` (Dao Hai Lam, VISC, 2002;
https://github.com/lamdao/xvnkb/blob/master/vni.h), built letter by letter from base and marks so
a misaligned row cannot slip in; the tests convert every letter both ways. TCVN3 and VNI share
Windows-1252 characters, so `guess` reads a text each way and keeps the reading that makes the most
Vietnamese syllables (the text as it is wins ties), and `file_encoding` takes the encoding most of
a file's texts choose.
"""

import re
import unicodedata
from collections.abc import Iterable

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


# --- VNI ---------------------------------------------------------------------------------------
#
# VNI Windows, the encoding of the VNI-Times fonts typed with the VNI keyboard driver, the other
# legacy Vietnamese encoding of office files besides TCVN3. It writes a letter as its base letter
# followed by one or two mark bytes, which Excel shows as Windows-1252 characters: "Nguyễn" is
# "Nguyeãn", "Thị" is "Thò", "Đặng" is "Ñaëng", "Hương" is "Höông". Four letters are single bytes:
# ơ "ô", ư "ö", đ "ñ" and the i's and ỵ ("í ì æ ó ò", "î").
#
# Source of the table: xvnkb, vni.h (Dao Hai Lam, VISC, 2002, GPL-2.0;
# https://github.com/lamdao/xvnkb/blob/master/vni.h), the VNI table of a Vietnamese keyboard
# driver, checked against the VNI Windows code chart. Rows follow it: each vowel (then its
# circumflex and breve forms) without a tone, with sắc, huyền, hỏi, ngã, nặng. The Unicode letters
# are built from the same base and marks (`_letter`), so a row cannot be misaligned silently; the
# tests convert every letter both ways.

_VNI_ROWS: list[tuple[str, str, str]] = [
    # (base, marks added to the base, VNI for: no tone, sắc, huyền, hỏi, ngã, nặng)
    ("a", "", "a aù aø aû aõ aï"),
    ("a", "\u0302", "aâ aá aà aå aã aä"),
    ("a", "\u0306", "aê aé aè aú aü aë"),
    ("e", "", "e eù eø eû eõ eï"),
    ("e", "\u0302", "eâ eá eà eå eã eä"),
    ("o", "", "o où oø oû oõ oï"),
    ("o", "\u0302", "oâ oá oà oå oã oä"),
    ("o", "\u031b", "ô ôù ôø ôû ôõ ôï"),
    ("u", "", "u uù uø uû uõ uï"),
    ("u", "\u031b", "ö öù öø öû öõ öï"),
    ("i", "", "i í ì æ ó ò"),
    ("y", "", "y yù yø yû yõ î"),
    ("A", "", "A AÙ AØ AÛ AÕ AÏ"),
    ("A", "\u0302", "AÂ AÁ AÀ AÅ AÃ AÄ"),
    ("A", "\u0306", "AÊ AÉ AÈ AÚ AÜ AË"),
    ("E", "", "E EÙ EØ EÛ EÕ EÏ"),
    ("E", "\u0302", "EÂ EÁ EÀ EÅ EÃ EÄ"),
    ("O", "", "O OÙ OØ OÛ OÕ OÏ"),
    ("O", "\u0302", "OÂ OÁ OÀ OÅ OÃ OÄ"),
    ("O", "\u031b", "Ô ÔÙ ÔØ ÔÛ ÔÕ ÔÏ"),
    ("U", "", "U UÙ UØ UÛ UÕ UÏ"),
    ("U", "\u031b", "Ö ÖÙ ÖØ ÖÛ ÖÕ ÖÏ"),
    ("I", "", "I Í Ì Æ Ó Ò"),
    ("Y", "", "Y YÙ YØ YÛ YÕ Î"),
]
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # none, sắc, huyền, hỏi, ngã, nặng


def _letter(base: str, marks: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + marks + tone)


def _vni_table() -> dict[str, str]:
    table = {"ñ": "đ", "Ñ": "Đ"}
    for base, marks, spellings in _VNI_ROWS:
        for tone, vni in zip(_TONES, spellings.split(), strict=True):
            if not vni.isascii():
                table[vni] = _letter(base, marks, tone)
    # A capital typed with Shift alone keeps the marks in lower case ("Aù" for "Á"): read it too.
    for vni, letter in list(table.items()):
        if len(vni) > 1 and vni[0].isupper() and vni[1:].upper() == vni[1:]:
            table.setdefault(vni[0] + vni[1:].lower(), letter)
    return table


VNI_TO_UNICODE: dict[str, str] = _vni_table()
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=len, reverse=True)))
_UNICODE_TO_VNI = {v: k for k, v in VNI_TO_UNICODE.items() if not (len(k) > 1 and k[0].isupper() and k[1].islower())}


def decode_vni(text: str) -> str:
    """VNI text → Unicode NFC (text already Unicode is returned unchanged; mixed raises LegacyTextError)."""
    if text.isascii() or not _VNI_RE.search(text):
        return text
    if _UNICODE_ONLY.search(text):
        raise LegacyTextError(text)
    return unicodedata.normalize("NFC", _VNI_RE.sub(lambda m: VNI_TO_UNICODE[m.group()], text))


def encode_vni(text: str) -> str:
    """Unicode → how VNI text looks once Excel has read it (tests use it)."""
    return "".join(_UNICODE_TO_VNI.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# --- which encoding ----------------------------------------------------------------------------
#
# TCVN3 and VNI use the same Windows-1252 characters for different letters, and some Unicode
# Vietnamese uses them too ("Hoà", "Lê"). A text is read each way and each reading is scored by
# the Vietnamese syllables it makes: the reading with the most wins, and the text as it is wins
# ties. A file's encoding is the one most of its legacy-looking texts choose.

TCVN3 = "tcvn3"
VNI = "vni"
ENCODING_LABELS = {TCVN3: "TCVN3 (.VnTime)", VNI: "VNI (VNI-Times)"}
_ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)  # fmt: skip
_CODAS = frozenset({"ng", "nh", "ch", "c", "m", "n", "p", "t"})
# Vowel groups that may be followed by a final consonant, and those that end the syllable themselves.
_OPEN_NUCLEI = frozenset((
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
    "iê", "oa", "oă", "oe", "oo", "uâ", "uê", "uô", "uơ", "uy", "ươ", "yê", "uyê",
))  # fmt: skip
_CLOSED_NUCLEI = frozenset((
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "ưa", "ưi", "ưu",
    "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyu",
))  # fmt: skip
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"[^\W\d_]+")


def _syllable(word: str) -> bool:
    """Whether a lower-case word is a Vietnamese syllable (at most one tone, a known vowel group)."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = sum(1 for ch in decomposed if ch in _TONE_MARKS)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    for onset in _ONSETS:
        if not bare.startswith(onset):
            continue
        rest = bare[len(onset) :]
        if rest in _OPEN_NUCLEI or rest in _CLOSED_NUCLEI:
            return True
        for cut in range(len(rest) - 1, 0, -1):
            if rest[:cut] in _OPEN_NUCLEI and rest[cut:] in _CODAS:
                return True
    return False


def _score(text: str) -> int:
    """Vietnamese syllables among the words beyond ASCII, less the words that are not."""
    score = 0
    for word in _WORD.findall(text.lower()):
        if not word.isascii():
            score += 1 if _syllable(word) else -1
    return score


def guess(text: str) -> str:
    """The legacy encoding `text` is in: TCVN3, VNI, or "" (Unicode, or plain ASCII)."""
    if text.isascii() or _UNICODE_ONLY.search(text):
        return ""
    best, best_score = "", _score(text)
    for encoding, convert in ((TCVN3, _decode_tcvn3), (VNI, decode_vni)):
        converted = convert(text)
        if converted != text and (s := _score(converted)) > best_score:
            best, best_score = encoding, s
    return best


def _decode_tcvn3(text: str) -> str:
    return unicodedata.normalize("NFC", text.translate(_TRANSLATE))


def decode_as(text: str, encoding: str) -> str:
    """`text` read in `encoding` ("" leaves it); LegacyTextError when it mixes legacy bytes and Unicode."""
    if encoding == VNI:
        return decode_vni(text)
    if encoding == TCVN3:
        return decode(text, force=True)
    return text


def decode_guessed(text: str, file_encoding: str = "") -> str:
    """A cell's text in Unicode: read in the file's encoding, else in the one the text itself shows.

    A file in Unicode may hold a cell pasted from a legacy file, and a legacy file a Unicode cell.
    """
    if text.isascii():
        return text
    if file_encoding:
        return decode_as(text, file_encoding)
    if _UNICODE_ONLY.search(text):
        if _TELLTALE_RE.search(text) and guess(_UNICODE_ONLY.sub("", text)) == TCVN3:
            raise LegacyTextError(text)  # a TCVN3 text with a Unicode letter typed into it
        return text
    return decode_as(text, guess(text))


def file_encoding(texts: Iterable[str]) -> str:
    """The legacy encoding most of `texts` are in ("" when most are Unicode or none looks legacy).

    A text in Unicode (a letter beyond Windows-1252) votes for Unicode; one that reads better in
    TCVN3 or VNI votes for it; texts that read as well either way do not vote.
    """
    votes = {"": 0, TCVN3: 0, VNI: 0}
    for text in texts:
        if text.isascii():
            continue
        if _UNICODE_ONLY.search(text):
            votes[""] += 1
        elif (found := guess(text)) or _score(text) > 0:
            votes[found] += 1
    best = max((TCVN3, VNI), key=lambda e: votes[e])
    return best if votes[best] > votes[""] and votes[best] > votes[VNI if best == TCVN3 else TCVN3] else ""
