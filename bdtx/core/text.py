"""Vietnamese text: NFC normalisation, diacritic folding for search, and collation keys.

Vietnamese lists sort by given name, then family and middle name, in the Vietnamese alphabet
(a ă â b c d đ e ê … o ô ơ … u ư …), tone marks deciding only between otherwise equal words.
`vn_sort_key` turns a name into a string of digits whose plain byte order is that order, so the
database sorts with an ordinary index under any collation (SQLite BINARY, PostgreSQL's locale).
"""

import re
import unicodedata
from functools import lru_cache

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Tone order of Vietnamese dictionaries: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_SPACES = re.compile(r"\s+")
# Characters that show nothing yet change what text is or how it reads: control characters (those
# that are not white space), every format character of Unicode 15 (category Cf: zero-width space,
# joiners, the soft hyphen, the byte-order mark, the bidirectional embeddings, overrides and
# isolates that reorder a name on screen), the combining grapheme joiner and the variation
# selectors. A name never needs them; a copy from a web page or a crafted file brings them in.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"  # C0/C1 controls other than white space
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"  # Cf
    "\u034f\ufe00-\ufe0f\U000e0100-\U000e01ef]"  # combining grapheme joiner, variation selectors
)


def nfc(value: str | None) -> str:
    """Return `value` in Unicode NFC with invisible control and format characters removed (zero-width
    and bidirectional controls), runs of white space collapsed and ends stripped.

    Every text a person or a file gives the system goes through here (forms, services, the import
    parser), so a name cannot hide characters that make two records look alike or reorder on screen.
    """
    if value is None:
        return ""
    text = str(value)
    if not (text.isascii() and text.isprintable()):
        text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", text).strip()


def fold(value: str | None) -> str:
    """Lower-case ASCII form for diacritic-insensitive search: 'Nguyễn Thị Đào' → 'nguyen thi dao'."""
    text = unicodedata.normalize("NFD", nfc(value).lower()).replace("đ", "d")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _split_letters(word: str) -> list[tuple[str, int]]:
    """Split a lower-case word into (base letter of the Vietnamese alphabet, tone) pairs."""
    out: list[tuple[str, int]] = []
    for cluster in unicodedata.normalize("NFD", word):
        if unicodedata.combining(cluster):
            if not out:
                continue
            base, tone = out[-1]
            if cluster in _TONES:
                out[-1] = (base, _TONES[cluster])
            elif (base, cluster) in _LETTER_MARKS:
                out[-1] = (_LETTER_MARKS[(base, cluster)], tone)
            continue
        out.append((cluster, 0))
    return out


@lru_cache(maxsize=65536)  # names repeat: a staff import computes the same few thousand words
def _word_codes(text: str) -> tuple[str, str]:
    primary, tones = [], []
    for word in nfc(text).lower().split(" "):
        if not word:
            continue
        for letter, tone in _split_letters(word):
            idx = _ALPHABET.find(letter)
            if idx >= 0:
                primary.append(f"{idx + 10:02d}")
            elif letter.isdigit():
                primary.append(f"0{letter}")
            else:
                continue
            tones.append(str(tone))
        primary.append("00")
    return "".join(primary), "".join(tones)


def vn_sort_key(given: str, family: str = "", middle: str = "") -> str:
    """Digits-only key: given name, then family, then middle name.

    Each name is compared whole, tones included, before the next one: every "Anh" precedes
    every "Ánh", as in Vietnamese class lists; tones decide only between equal letters.
    """
    return "".join(p + t for p, t in (_word_codes(given), _word_codes(family), _word_codes(middle)))


def vn_text_key(text: str) -> str:
    """Vietnamese collation key for any text (unit names, subjects), for Python-side sorting."""
    primary, tones = _word_codes(text)
    return primary + "9" + tones


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """'Nguyễn Thị Minh Hoa' → ('Nguyễn', 'Thị Minh', 'Hoa'). One word is a given name."""
    words = nfc(full_name).split(" ")
    words = [w for w in words if w]
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]
