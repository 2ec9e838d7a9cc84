"""Text search over folded columns (`search_text`): a bounded number of words, one expression.

Every list's search box goes through here. A search is cut to MAX_WORDS distinct words of at most
MAX_WORD_LENGTH characters, read from the first MAX_TEXT characters of what was typed, and becomes
one `Q` (every word, in any of the fields): its cost is bounded whatever is pasted into the box.
Chaining one `.filter()` per word instead made a search of 1,100 words fail ("Expression tree is
too large") and one of 8,000 words cost minutes of CPU.
"""

from django.db.models import Q

from bdtx.core.text import fold

MAX_WORDS = 8  # a full name with a unit's name is rarely more than 8 words; the rest is ignored
MAX_WORD_LENGTH = 64
MAX_TEXT = 1000


def search_words(text: str | None) -> list[str]:
    """The words of a search, folded (no diacritics, lower case), each once, at most MAX_WORDS."""
    words: list[str] = []
    for word in fold((text or "")[:MAX_TEXT]).split():
        word = word[:MAX_WORD_LENGTH]
        if word not in words:
            words.append(word)
            if len(words) == MAX_WORDS:
                break
    return words


def search_q(text: str | None, *fields: str) -> Q:
    """Rows whose `fields` together hold every word of `text` (each word in one of them, as a
    substring); an empty search matches everything.

    Fields are folded columns, matched with `contains`; a field given with its lookup
    ("user__username__icontains") keeps it.
    """
    assert fields, "name at least one field"
    lookups = [name if name.endswith(("__contains", "__icontains")) else f"{name}__contains" for name in fields]
    q = Q()
    for word in search_words(text):
        any_field = Q()
        for lookup in lookups:
            any_field |= Q(**{lookup: word})
        q &= any_field
    return q


def matches(text: str | None, haystack: str) -> bool:
    """The same test in Python, for short lists filtered in memory: every word is in the folded `haystack`."""
    folded = fold(haystack)
    return all(word in folded for word in search_words(text))
