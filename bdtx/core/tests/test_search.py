from django.db.models import F, Value

from bdtx.core.search import MAX_WORDS, Rank, matches, search_q, search_rank, search_words


def test_a_search_keeps_at_most_max_words_distinct_folded_words():
    assert search_words("Nguyễn  Thị ĐÀO nguyen") == ["nguyen", "thi", "dao"]
    many = " ".join(f"w{i}" for i in range(8000))
    assert search_words(many) == [f"w{i}" for i in range(MAX_WORDS)]
    assert search_words(None) == [] and search_words("   ") == []
    assert len(search_words("x" * 100_000)[0]) == 64


def test_a_search_is_one_expression_whatever_is_typed():
    q = search_q(" ".join(f"w{i}" for i in range(8000)), "search_text", "code__icontains")
    assert len(q.children) == MAX_WORDS and all(len(c.children) == 2 for c in q.children)
    assert len(search_q("hoa " * 8000, "search_text").children) == 1  # repeats count once
    assert str(search_q("", "search_text")) == "(AND: )"


def test_matching_in_python_reads_the_same_words():
    assert matches("cong nghe", "Ứng dụng công nghệ thông tin")
    assert not matches("cong hoa", "Ứng dụng công nghệ")


def test_a_rank_is_one_bounded_expression_whatever_is_typed():
    rank = search_rank(" ".join(f"w{i}" for i in range(8000)), "search_text", exact=F("given"))
    exact, whole, start = (w.condition for w in rank.cases)
    assert exact.rhs == [f"w{i}" for i in range(MAX_WORDS)]
    assert len(whole.children) == len(start.children) == MAX_WORDS
    assert rank.default.value == Rank.INSIDE
    assert isinstance(search_rank("", "search_text"), Value)  # nothing typed: every row ranks the same
