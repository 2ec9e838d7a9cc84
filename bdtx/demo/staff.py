"""Demo staff for the demo provinces: Vietnamese names, ethnicities, positions and careers.

Everything is drawn from one seeded `random.Random` (and a seeded Faker instance), so the same
call gives the same people every time. The staff of the current school year is generated first;
earlier years are derived from it: most people held the same post, a few taught at another
school, a few had not started yet, and a few who have since retired worked there.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from faker import Faker
from faker.providers.person.vi_VN import Provider as VietnameseNames

from bdtx.core.text import fold
from bdtx.organisations.models import SchoolLevel, UnitKind
from bdtx.people.models import ContractType, Gender, Position
from bdtx.people.services import StaffRow, default_staff_type
from bdtx.people.validators import personal_id_for

ID_PROVINCE = "004"  # Cao Bằng's code of birth registration on the personal ID number (the default)
EMAIL_DOMAIN = "example.edu.vn"  # never a real school's domain: demo people must not get mail

KINH, TAY, NUNG, MONG, DAO, SAN_CHAY, LO_LO, HOA = "01", "02", "07", "08", "09", "15", "43", "04"

# Share of each ethnic group among the staff of an area (weights). Cao Bằng's teachers are
# mostly Tày and Nùng; Mông and Dao teachers work mainly in the western highlands.
ETHNIC_PROFILES: dict[str, dict[str, float]] = {
    "province": {TAY: 40, NUNG: 28, KINH: 18, MONG: 6, DAO: 6, SAN_CHAY: 1, LO_LO: 0.5, HOA: 0.5},
    "city": {TAY: 38, NUNG: 22, KINH: 33, MONG: 2, DAO: 2, SAN_CHAY: 1.5, HOA: 1.5},
    "lowland": {TAY: 52, NUNG: 22, KINH: 17, DAO: 4, MONG: 2, SAN_CHAY: 3},
    "border": {NUNG: 50, TAY: 34, KINH: 11, DAO: 3, MONG: 2},
    "highland": {TAY: 24, NUNG: 16, KINH: 12, MONG: 24, DAO: 19, LO_LO: 5},
    # Lạng Sơn: Nùng first, then Tày; more Kinh in the city; Dao in the Mẫu Sơn highlands.
    "lang_son": {NUNG: 36, TAY: 33, KINH: 26, DAO: 3, HOA: 1, SAN_CHAY: 1},
    "lang_son_city": {KINH: 38, TAY: 30, NUNG: 27, HOA: 2.5, DAO: 1.5, SAN_CHAY: 1},
    "lang_son_border": {NUNG: 52, TAY: 29, KINH: 15, DAO: 2, HOA: 2},
    "lang_son_highland": {NUNG: 38, DAO: 30, TAY: 18, KINH: 12, SAN_CHAY: 2},
}


def _weights(text: str) -> dict[str, float]:
    """'Nguyễn 30, Trần 10, Thị Thu 2' → {'Nguyễn': 30, 'Trần': 10, 'Thị Thu': 2}."""
    pairs = (item.strip().rsplit(" ", 1) for item in text.split(","))
    return {name: float(weight) for name, weight in pairs}


def _words(text: str) -> list[str]:
    return text.split()


_COMMON_FAMILY = _weights("Nguyễn 6, Hoàng 4, Nông 3, Lương 2, Đàm 2, Lục 2, Bế 2")
FAMILY_NAMES: dict[str, dict[str, float]] = {
    KINH: _weights(
        "Nguyễn 30, Trần 10, Lê 8, Phạm 6, Hoàng 5, Vũ 4, Đỗ 3, Bùi 3, Đặng 3, Ngô 2, Dương 2, Đinh 2, "
        "Phan 2, Đào 2, Trịnh 1, Lưu 1, Mai 1, Tạ 1, Vương 1, Hà 1, Cao 1, Chu 1"
    ),
    TAY: _weights(
        "Nông 14, Hoàng 14, Nguyễn 8, Bế 6, Lục 6, Đàm 5, Lương 5, Triệu 5, Hà 4, Lý 3, Mã 3, Lâm 3, "
        "Dương 3, Vi 2, Sầm 2, La 2, Đinh 2, Hứa 2, Lã 2, Đoàn 2, Chu 2, Ma 2, Lưu 2, Ngôn 1, Phương 1, Lăng 1"
    ),
    NUNG: _weights(
        "Hoàng 14, Nông 10, Lý 6, Lương 6, Lục 5, Nguyễn 5, Vi 4, Đàm 4, Chu 4, Triệu 4, Mã 3, Dương 3, "
        "Hứa 3, Bế 3, Lâm 3, Ngôn 2, Lăng 2, Lã 2, Sầm 2, Hà 2, Phùng 2, Lô 1"
    ),
    MONG: _weights("Giàng 8, Vàng 8, Sùng 6, Thào 5, Lý 5, Lầu 3, Hầu 3, Mua 2, Vừ 2, Ly 2"),
    DAO: _weights("Bàn 8, Triệu 8, Lý 6, Đặng 5, Phùng 3, Chu 2, Hoàng 2, Chảo 2, Tẩn 1"),
    SAN_CHAY: _weights("Hoàng 4, Lâm 3, Trần 2, Lục 2, Đàm 1, Nịnh 1"),
    LO_LO: _weights("Chi 3, Sằm 2, Lò 2, Hoàng 1"),
    HOA: _weights("Lý 2, Trương 2, Lưu 1, Diệp 1, Lâm 1, Hà 1"),
}

# Women's middle name is usually "Thị", not always; men's most often "Văn".
MIDDLE_FEMALE = _weights(
    "Thị 70, Thu 2, Thanh 2, Ngọc 2, Minh 2, Thùy 2, Phương 1, Hồng 2, Diệu 1, Bích 1, Kim 2, Hải 1, "
    "Hoài 1, Khánh 1, Mai 1, Quỳnh 1, Vân 1, Thị Thu 2, Thị Hồng 2, Thị Ngọc 2, Thị Minh 1, Thị Thanh 2, "
    "Thị Kim 1, Thị Phương 1"
)
MIDDLE_MALE = _weights(
    "Văn 50, Đức 4, Minh 4, Quang 3, Hữu 3, Ngọc 2, Mạnh 3, Thanh 3, Xuân 3, Tiến 2, Trung 2, Thế 2, "
    "Công 2, Anh 2, Hoàng 2, Đình 2, Duy 2, Việt 2, Kim 1, Hải 2, Tuấn 1, Chí 1"
)
MIDDLE_BY_ETHNICITY: dict[tuple[str, str], dict[str, float]] = {
    (MONG, Gender.MALE): _weights("Văn 50, A 15, Mí 5, Seo 5, Đức 4, Minh 4"),
    (MONG, Gender.FEMALE): _weights("Thị 90, Thu 3, Kim 2"),
    (DAO, Gender.MALE): _weights("Văn 60, Tòn 5, Kim 5, Sành 4, Đức 4, Minh 4"),
    (DAO, Gender.FEMALE): _weights("Thị 88, Kim 4, Thu 3"),
}

GIVEN_FEMALE = _words(
    """
    Hà Hương Lan Mai Thảo Linh Hồng Huyền Hằng Nga Nhung Thúy Thủy Trang Vân Yến Xuân Dung Duyên Giang
    Hạnh Hiền Hoa Hòa Huệ Liên Loan Ly Ngọc Nhàn Oanh Phương Quyên Quỳnh Tâm Thanh Thơ Thu Thương Tuyết
    Uyên Vui Ánh Bích Chi Diệp Đào Lệ Mơ Nguyệt Phượng Tươi Hậu Mận Nhi Quế Thoa Trinh Vinh Diễm Gấm
    Khánh
"""
)
GIVEN_MALE = _words(
    """
    Anh Bình Cường Dũng Duy Đạt Đức Giang Hải Hiếu Hòa Hoàng Hùng Hưng Huy Khánh Kiên Lâm Long Mạnh Minh
    Nam Nghĩa Phong Phúc Quân Quang Quyết Sơn Tài Tân Thắng Thành Thịnh Toàn Trung Tuấn Tùng Việt Vinh
    Chiến Chung Công Hậu Lợi Lực Ninh Sinh Thuận Tiến Triều Tuyên Khải Hiệp Điệp Định Hoan Luân Phương
    Thái Trường Vương Doanh
"""
)
# Given names more frequent among Tày and Nùng, and names of Mông and Dao people.
GIVEN_EXTRA: dict[tuple[str, str], list[str]] = {
    (TAY, Gender.FEMALE): _words("Hiên Lụa Nhài Mến Dinh Khuyên Thiêm Sao"),
    (TAY, Gender.MALE): _words("Lập Kiểm Thiện Pẻn Chiêm"),
    (NUNG, Gender.FEMALE): _words("Hiên Lụa Mến Dinh Thiêm Nhất"),
    (NUNG, Gender.MALE): _words("Lập Kiểm Thiện Chướng Sấn"),
    (MONG, Gender.FEMALE): _words("Mỷ Dợ Súa Chá Pằng Sua Dình Mai Dung"),
    (MONG, Gender.MALE): _words("Páo Chứ Dính Sính Pó Tủa Chúng Lử Tráng Nhà Cở"),
    (DAO, Gender.FEMALE): _words("Mẩy Chài Mùi Nhất Chạn"),
    (DAO, Gender.MALE): _words("Quẩy Phụ Chàn Kiều Sành Tòn"),
}

# Subjects of the 2018 curriculum (CT GDPT 2018), weighted by teaching hours.
SUBJECTS: dict[str, dict[str, float]] = {
    SchoolLevel.TH: _weights("Tiếng Anh 35, Giáo dục thể chất 25, Âm nhạc 15, Mĩ thuật 15, Tin học và Công nghệ 10"),
    SchoolLevel.THCS: _weights(
        "Toán 18, Ngữ văn 18, Tiếng Anh 10, Khoa học tự nhiên 14, Lịch sử và Địa lí 10, Giáo dục công dân 4, "
        "Tin học 4, Công nghệ 4, Giáo dục thể chất 6, Âm nhạc 3, Mĩ thuật 3"
    ),
    SchoolLevel.THPT: _weights(
        "Toán 14, Ngữ văn 13, Tiếng Anh 10, Vật lí 7, Hóa học 7, Sinh học 5, Lịch sử 6, Địa lí 6, "
        "Giáo dục kinh tế và pháp luật 4, Tin học 5, Công nghệ 3, Giáo dục thể chất 5, "
        "Giáo dục quốc phòng và an ninh 3"
    ),
    SchoolLevel.GDTX: _weights(
        "Toán 5, Ngữ văn 5, Tiếng Anh 3, Vật lí 2, Hóa học 2, Sinh học 2, Lịch sử 2, Địa lí 2, Tin học 2"
    ),
}
TH_SPECIALIST_SHARE = 0.25  # the others are class teachers teaching every subject

FEMALE_SHARE: dict[str, float] = {
    SchoolLevel.MN: 0.99,
    SchoolLevel.TH: 0.80,
    SchoolLevel.THCS: 0.70,
    SchoolLevel.THPT: 0.62,
    SchoolLevel.GDTX: 0.55,
}
MANAGER_FEMALE_SHARE: dict[str, float] = {SchoolLevel.MN: 0.97}
MENTOR_SHARE = 0.055
CONTRACT_SHARE: dict[str, float] = {SchoolLevel.MN: 0.15}
PHONE_PREFIXES = _words("086 096 097 098 032 033 034 035 036 037 038 039 088 091 094 081 082 083 084 085 089 090 093")

# How the staff of one year relates to the next one's.
NEW_SHARE = 0.04  # of a year's teachers: not yet employed the year before
MOVED_SHARE = 0.03  # of a year's teachers: at another school of the same level the year before
LEFT_SHARE = 0.03  # of a year's size: people who worked that year only (retired since)


@dataclass(frozen=True)
class DemoSchool:
    """What the generator needs to know about a school or centre."""

    unit_id: int
    kind: str
    levels: tuple[str, ...]
    profile: str
    size: int


@dataclass(frozen=True)
class Job:
    unit_id: int
    position: str
    school_level: str
    subjects: str = ""
    is_mentor: bool = False
    contract_type: str = ContractType.CIVIL_SERVANT


@dataclass
class DemoPerson:
    family_name: str
    middle_name: str
    given_name: str
    gender: str
    date_of_birth: date
    ethnicity_code: str
    personal_id: str
    phone: str
    email: str
    jobs: dict[int, Job] = field(default_factory=dict)  # school year (start year) → job

    def row(self, year: int) -> StaffRow:
        job = self.jobs[year]
        return StaffRow(
            family_name=self.family_name,
            middle_name=self.middle_name,
            given_name=self.given_name,
            gender=self.gender,
            unit_id=job.unit_id,
            date_of_birth=self.date_of_birth,
            ethnicity_code=self.ethnicity_code,
            personal_id=self.personal_id,
            phone=self.phone,
            email=self.email,
            staff_type=default_staff_type(job.position),
            position=job.position,
            school_level=job.school_level,
            subjects=job.subjects,
            is_mentor=job.is_mentor,
            contract_type=job.contract_type,
        )


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _positions(school: DemoSchool) -> list[str]:
    """The posts of a school of this size, managers first (TT 28/2020, TT 52/2020 staffing)."""
    n = max(school.size, 3)
    if school.kind == UnitKind.CENTRE:
        heads = [Position.DIRECTOR] + [Position.VICE_DIRECTOR] * (2 if n >= 20 else 1)
        groups = 2
        youth = 0
    else:
        heads = [Position.PRINCIPAL] + [Position.VICE_PRINCIPAL] * (2 if n >= 28 else 1)
        main = school.levels[-1]
        if main == SchoolLevel.MN:
            groups = 2 if n >= 10 else 1
        elif main == SchoolLevel.TH:
            groups = min(5, max(1, n // 7))
        elif main == SchoolLevel.THCS:
            groups = min(4, max(1, n // 10))
        else:
            groups = min(6, max(2, n // 10))
        youth = 1 if n >= 12 and main in (SchoolLevel.TH, SchoolLevel.THCS) else 0
    posts = heads + [Position.GROUP_HEAD] * groups + [Position.GROUP_DEPUTY] * (groups // 2)
    posts += [Position.YOUTH_LEADER] * youth
    return [str(p) for p in (posts + [Position.TEACHER] * n)[:n]]


class StaffGenerator:
    """Builds the demo staff of a province; deterministic for a given seed."""

    def __init__(self, *, seed: int = 2025, current_year: int, id_province: str = ID_PROVINCE) -> None:
        self.rng = random.Random(seed)
        self.id_province = id_province
        self.fake = Faker("vi_VN")
        self.fake.seed_instance(seed)
        self.current_year = current_year
        self._ids: set[str] = set()
        self._phones: set[str] = set()
        # Faker's vi_VN lists are short; ours extend them (and keep their names in use).
        self.given: dict[str, list[str]] = {
            Gender.FEMALE: sorted(set(GIVEN_FEMALE) | set(VietnameseNames.first_names_female)),
            Gender.MALE: sorted(set(GIVEN_MALE) | set(VietnameseNames.first_names_male)),
        }
        self.kinh_family = dict(FAMILY_NAMES[KINH])
        for name in VietnameseNames.last_names:
            self.kinh_family.setdefault(name, 1)

    # People -----------------------------------------------------------------------------------

    def _name(self, ethnicity: str, gender: str) -> tuple[str, str, str]:
        rng = self.rng
        families = self.kinh_family if ethnicity == KINH else FAMILY_NAMES.get(ethnicity, _COMMON_FAMILY)
        family = _pick(rng, families)
        middles = MIDDLE_BY_ETHNICITY.get((ethnicity, gender)) or (
            MIDDLE_FEMALE if gender == Gender.FEMALE else MIDDLE_MALE
        )
        middle = _pick(rng, middles)
        extra = GIVEN_EXTRA.get((ethnicity, gender), [])
        ethnic_share = 0.5 if ethnicity in (MONG, DAO) else 0.12
        pool = extra if extra and rng.random() < ethnic_share else self.given[gender]
        given = rng.choice(pool)
        return family, middle, given

    def _birth(self, *, youngest: int, oldest: int, mode: int, year: int) -> date:
        age = round(self.rng.triangular(youngest, oldest, mode))
        return date(year - age, 1, 1) + timedelta(days=self.rng.randrange(365))

    def _personal_id(self, gender: str, born: date) -> str:
        while True:
            pid = personal_id_for(
                province=self.id_province, gender=gender, birth=born, serial=self.rng.randrange(1_000_000)
            )
            if pid not in self._ids:
                self._ids.add(pid)
                return pid

    def _phone(self) -> str:
        while True:
            phone = self.rng.choice(PHONE_PREFIXES) + self.fake.numerify("#######")
            if phone not in self._phones:
                self._phones.add(phone)
                return phone

    def _email(self, family: str, middle: str, given: str, born: date) -> str:
        if self.rng.random() > 0.45:
            return ""
        initials = "".join(fold(w)[0] for w in f"{family} {middle}".split())
        if self.rng.random() < 0.5:
            local = f"{fold(given)}{initials}{born.year % 100:02d}"
        else:
            local = f"{fold(family)}{fold(middle).replace(' ', '')}{fold(given)}{self.rng.randint(1, 99)}"
        return f"{local}@{EMAIL_DOMAIN}"

    def person(self, *, level: str, position: str, profile: str, year: int, retiring: bool = False) -> DemoPerson:
        rng = self.rng
        manager = position in Position.manager_positions()
        female_share = MANAGER_FEMALE_SHARE.get(level, 0.5) if manager else FEMALE_SHARE[level]
        gender = Gender.FEMALE if rng.random() < female_share else Gender.MALE
        ethnicity = _pick(rng, ETHNIC_PROFILES[profile])
        family, middle, given = self._name(ethnicity, gender)
        if retiring:
            born = self._birth(youngest=56, oldest=60, mode=58, year=year)
        elif manager:
            born = self._birth(youngest=36, oldest=57, mode=47, year=year)
        else:
            born = self._birth(youngest=23, oldest=58, mode=38, year=year)
        return DemoPerson(
            family_name=family,
            middle_name=middle,
            given_name=given,
            gender=gender,
            date_of_birth=born,
            ethnicity_code=ethnicity,
            personal_id=self._personal_id(gender, born),
            phone=self._phone() if rng.random() < 0.96 else "",
            email=self._email(family, middle, given, born),
        )

    # Jobs -------------------------------------------------------------------------------------

    def _level(self, school: DemoSchool) -> str:
        if school.kind == UnitKind.CENTRE:
            return SchoolLevel.GDTX
        if len(school.levels) == 1:
            return school.levels[0]
        # Multi-level schools (TH&THCS, THCS&THPT): the lower level has a few more teachers.
        return self.rng.choices(school.levels, weights=[55, 45] if len(school.levels) == 2 else None)[0]

    def _job(self, school: DemoSchool, position: str, level: str, person: DemoPerson, year: int) -> Job:
        rng = self.rng
        subjects = ""
        if level in (SchoolLevel.THCS, SchoolLevel.THPT, SchoolLevel.GDTX) or (
            level == SchoolLevel.TH and position == Position.TEACHER and rng.random() < TH_SPECIALIST_SHARE
        ):
            subjects = _pick(rng, SUBJECTS[level])
        if position == Position.YOUTH_LEADER:
            subjects = ""
        manager = position in Position.manager_positions()
        mentor = year - person.date_of_birth.year >= 30 and rng.random() < MENTOR_SHARE
        contract = (
            ContractType.CONTRACT
            if not manager and rng.random() < CONTRACT_SHARE.get(level, 0.06)
            else ContractType.CIVIL_SERVANT
        )
        return Job(
            unit_id=school.unit_id,
            position=position,
            school_level=level,
            subjects=subjects,
            is_mentor=mentor,
            contract_type=contract,
        )

    def staff(self, schools: Sequence[DemoSchool], years: Sequence[int]) -> list[DemoPerson]:
        """Everyone who worked at `schools` in any of `years` (start years, the last is current)."""
        rng = self.rng
        years = sorted(years)
        people: list[DemoPerson] = []
        latest = years[-1]
        for school in schools:
            for position in _positions(school):
                level = (
                    school.levels[-1]
                    if position in Position.manager_positions() and school.kind != UnitKind.CENTRE
                    else self._level(school)
                )
                p = self.person(level=level, position=position, profile=school.profile, year=latest)
                p.jobs[latest] = self._job(school, position, level, p, latest)
                people.append(p)
        by_level: dict[str, list[DemoSchool]] = {}
        for school in schools:
            for level in school.levels:
                by_level.setdefault(level, []).append(school)
        for year, later in zip(reversed(years[:-1]), reversed(years[1:]), strict=True):
            for p in people:
                job = p.jobs.get(later)
                if job is None:
                    continue
                if job.position == Position.TEACHER and rng.random() < NEW_SHARE:
                    continue  # started in `later`
                if job.position == Position.TEACHER and rng.random() < MOVED_SHARE / (1 - NEW_SHARE):
                    others = [s for s in by_level.get(job.school_level, []) if s.unit_id != job.unit_id]
                    if others:
                        p.jobs[year] = replace(job, unit_id=rng.choice(others).unit_id, is_mentor=False)
                        continue
                p.jobs[year] = job
            for school in schools:
                for _ in range(round(school.size * LEFT_SHARE + rng.random() - 0.5)):
                    level = self._level(school)
                    p = self.person(
                        level=level, position=Position.TEACHER, profile=school.profile, year=year, retiring=True
                    )
                    p.jobs[year] = self._job(school, Position.TEACHER, level, p, year)
                    people.append(p)
        return people


def staff_rows(people: Sequence[DemoPerson], year: int) -> list[StaffRow]:
    """The rows of `year`, ready for `staff_bulk_upsert`."""
    return [p.row(year) for p in people if year in p.jobs]
