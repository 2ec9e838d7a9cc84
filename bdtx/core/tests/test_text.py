import unicodedata

from bdtx.core.text import fold, nfc, split_full_name, vn_sort_key


def test_nfc_turns_decomposed_vietnamese_into_composed_and_collapses_spaces():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị Hoà ")
    assert nfc(decomposed) == "Nguyễn Thị Hoà"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


def test_fold_removes_tones_and_maps_d_stroke():
    assert fold("Nguyễn Thị Đào") == "nguyen thi dao"
    assert fold(unicodedata.normalize("NFD", "Phạm Ngọc Ưng")) == "pham ngoc ung"


def _sorted(names):
    def key(full):
        family, middle, given = split_full_name(full)
        return vn_sort_key(given, family, middle)

    return sorted(names, key=key)


def test_lists_sort_by_given_name_first():
    assert _sorted(["Lê Văn Bình", "Trần Thị An", "Nguyễn Chí Cường"]) == [
        "Trần Thị An",
        "Lê Văn Bình",
        "Nguyễn Chí Cường",
    ]


def test_vietnamese_alphabet_puts_a_breve_and_circumflex_after_a_and_d_stroke_after_d():
    assert _sorted(["Vũ Âu", "Vũ Ăn", "Vũ Anh", "Vũ Bình"]) == ["Vũ Anh", "Vũ Ăn", "Vũ Âu", "Vũ Bình"]
    assert _sorted(["Lê Đức", "Lê Dũng", "Lê Em"]) == ["Lê Dũng", "Lê Đức", "Lê Em"]
    assert _sorted(["Hà Ưng", "Hà Uyên", "Hà Vân", "Hà Ơn", "Hà Ôn", "Hà On"]) == [
        "Hà On",
        "Hà Ôn",
        "Hà Ơn",
        "Hà Uyên",
        "Hà Ưng",
        "Hà Vân",
    ]


def test_same_given_name_sorts_by_family_then_middle_name():
    assert _sorted(["Trần Văn Hoa", "Lê Thị Hoa", "Lê Minh Hoa"]) == ["Lê Minh Hoa", "Lê Thị Hoa", "Trần Văn Hoa"]


def test_shorter_name_sorts_before_longer_and_tones_only_break_ties():
    assert _sorted(["Lê Anh", "Lê An"]) == ["Lê An", "Lê Anh"]
    assert _sorted(["Lê Hạnh", "Lê Hành", "Lê Hanh"]) == ["Lê Hanh", "Lê Hành", "Lê Hạnh"]
    assert _sorted(["Lê Ba", "Lê Bà", "Lê Bá", "Lê Bả", "Lê Bã", "Lê Bạ"]) == [
        "Lê Ba",
        "Lê Bà",
        "Lê Bả",
        "Lê Bã",
        "Lê Bá",
        "Lê Bạ",
    ]


def test_a_given_name_without_tone_comes_before_the_same_letters_with_one_whatever_the_family_name():
    assert _sorted(["Bùi Thị Ánh", "Hoàng Kim Anh", "Đàm Thị Ánh"]) == ["Hoàng Kim Anh", "Bùi Thị Ánh", "Đàm Thị Ánh"]


def test_sort_key_is_digits_only_so_any_database_collation_orders_it_the_same():
    assert vn_sort_key("Đào", "Nguyễn", "Thị").isdigit()


def test_split_full_name_takes_first_word_as_family_and_last_as_given():
    assert split_full_name("Nguyễn Thị Minh Hoa") == ("Nguyễn", "Thị Minh", "Hoa")
    assert split_full_name("Hoa") == ("", "", "Hoa")


def test_nfc_strips_zero_width_and_bidirectional_controls_from_names():
    assert nfc("Ng\u200buyễn\u200d Thị\u202e Đ\u2066ào\u2069\ufeff") == "Nguyễn Thị Đào"
    assert nfc("\u202eoaH\u202c") == "oaH"  # the override is gone: the name reads as it is stored
    assert nfc("Lò\x00 Thị\x07\x1b Xuân\u00ad") == "Lò Thị Xuân"
    assert nfc("A\tB\r\nC") == "A B C"  # white space stays white space, collapsed


def test_nfc_strips_every_format_character_of_this_python_and_keeps_letters_and_marks():
    import sys

    from bdtx.core.text import _INVISIBLE

    format_chars = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert format_chars and all(_INVISIBLE.fullmatch(ch) for ch in format_chars)
    vietnamese = "ăâđêôơưáàảãạ ĂÂĐÊÔƠƯ" + unicodedata.normalize("NFD", "ệ ữ")
    assert nfc(vietnamese) == unicodedata.normalize("NFC", vietnamese)
