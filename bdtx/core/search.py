"""Text search over folded columns (`search_text`): a bounded number of words, one expression.

Every list's search box goes through here. A search is cut to MAX_WORDS distinct words of at most
MAX_WORD_LENGTH characters, read from the first MAX_TEXT characters of what was typed, and becomes
one `Q` (every word, in any of the fields): its cost is bounded whatever is pasted into the box.
Chaining one `.filter()` per word instead made a search of 1,100 words fail ("Expression tree is
too large") and one of 8,000 words cost minutes of CPU.

`search_rank` orders what a search found, best match first ("hoa" finds Hoa, Hòa and Hóa before
Hoàng and Khoa), as one more expression of the same bounded size, computed by the database.
"""

from django.db.models import Case, Expression, F, Func, IntegerField, Q, Value, When
from django.db.models.lookups import Contains, In

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


class Rank:
    """How well a row matches a search; lower is better (`search_rank`)."""

    EXACT = 0  # the exact field (a person's given name) is one of the words
    WORDS = 1  # every word is a whole word of the text
    STARTS = 2  # every word starts a word of the text
    INSIDE = 3  # some word only inside a word ("hoa" in "Khoa")


def _spaced(field: str, *, after: bool = True) -> Func:
    """' ' || field (|| ' '): a word of the text is then ' word ' in it, whatever its place."""
    parts = (Value(" "), F(field), Value(" ")) if after else (Value(" "), F(field))
    return Func(*parts, template="(%(expressions)s)", arg_joiner=" || ")


def search_rank(text: str | None, field: str, *, exact: Expression | F | None = None) -> Expression:
    """A `Rank` for each row found by `search_q(text, field)`, for ordering (best first).

    `field` is the folded column searched; `exact`, if given, an expression of a folded value that
    ranks first when it equals one of the words (a person's given name: "hoa" puts every Hoa, Hòa,
    Hóa first). Then rows where every word is a whole word of the text, then those where every word
    starts a word, then the rest. Bounded like `search_q`: a few conditions per word, at most
    MAX_WORDS words. An empty search ranks every row the same.
    """
    words = search_words(text)
    if not words:
        return Value(Rank.EXACT, output_field=IntegerField())
    whole, start = Q(), Q()
    for word in words:
        whole &= Q(Contains(_spaced(field), f" {word} "))
        start &= Q(Contains(_spaced(field, after=False), f" {word}"))
    whens = [When(In(exact, words), then=Value(Rank.EXACT))] if exact is not None else []
    return Case(
        *whens,
        When(whole, then=Value(Rank.WORDS)),
        When(start, then=Value(Rank.STARTS)),
        default=Value(Rank.INSIDE),
        output_field=IntegerField(),
    )


def matches(text: str | None, haystack: str) -> bool:
    """The same test in Python, for short lists filtered in memory: every word is in the folded `haystack`."""
    folded = fold(haystack)
    return all(word in folded for word in search_words(text))
