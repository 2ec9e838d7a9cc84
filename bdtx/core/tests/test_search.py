from bdtx.core.search import MAX_WORDS, matches, search_q, search_words


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
