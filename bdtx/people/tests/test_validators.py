from datetime import date

from bdtx.people.validators import personal_id_for, personal_id_problem


def test_a_well_formed_id_passes():
    pid = personal_id_for(province="004", gender="F", birth=date(1988, 5, 2), serial=1234)
    assert pid == "004188001234"
    assert personal_id_problem(pid, gender="F", birth=date(1988, 5, 2)) is None


def test_eleven_or_thirteen_digits_or_letters_are_refused():
    assert personal_id_problem("00418800123") is not None
    assert personal_id_problem("0041880012345") is not None
    assert personal_id_problem("00418800123A") is not None


def test_unknown_province_code_is_refused():
    assert personal_id_problem("003188001234") is not None  # 003 is not a province code


def test_century_and_gender_digit_must_match():
    assert personal_id_problem("004088001234", gender="F", birth=date(1988, 1, 1)) is not None  # 0 = male 1900s
    assert personal_id_problem("004288001234", gender="M", birth=date(1988, 1, 1)) is not None  # 2 = 2000s
    assert personal_id_problem("004200001234", gender="M", birth=date(2000, 1, 1)) is None


def test_birth_year_digits_must_match():
    assert personal_id_problem("004188001234", gender="F", birth=date(1989, 1, 1)) is not None
