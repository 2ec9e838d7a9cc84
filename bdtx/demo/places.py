"""What a demo province is made of: its schools, communes, former districts and accounts.

The provinces themselves are data in `cao_bang.py` and `lang_son.py`; `province.py` loads them.
"""

from dataclasses import dataclass, field

from bdtx.organisations.models import SchoolLevel, SchoolType

MINISTRY_CODE = "BGDDT"

MN, TH, THCS, THPT = SchoolLevel.MN, SchoolLevel.TH, SchoolLevel.THCS, SchoolLevel.THPT


@dataclass(frozen=True)
class S:
    """A school or centre of the demo: code, name, levels, relative size, other unit fields."""

    code: str
    name: str
    levels: tuple[str, ...]
    weight: int
    fields: dict[str, object] = field(default_factory=dict)


def mn(code: str, name: str, **kw: object) -> S:
    return S(code, name, (MN,), 30, kw)


def th(code: str, name: str, **kw: object) -> S:
    return S(code, name, (TH,), 32, kw)


def thcs(code: str, name: str, **kw: object) -> S:
    return S(code, name, (THCS,), 28, kw)


def thpt(code: str, name: str, **kw: object) -> S:
    return S(code, name, (THPT,), 40, kw)


def ptdtbt(code: str, name: str) -> S:
    """A semi-boarding primary and lower secondary school for ethnic minority pupils."""
    return S(code, name, (TH, THCS), 40, {"school_type": SchoolType.ETHNIC_SEMI_BOARDING, "difficult_area": True})


@dataclass(frozen=True)
class Commune:
    code: str  # demo code (5 digits)
    name: str
    short_name: str
    profile: str  # ethnic profile of its staff (bdtx.demo.staff.ETHNIC_PROFILES)
    difficult: bool
    schools: tuple[S, ...]


@dataclass(frozen=True)
class District:
    code: str
    name: str
    short_name: str
    communes: tuple[Commune, ...]
    centres: tuple[S, ...] = ()  # moved to the Sở on 01/07/2025


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit_code: str
    family_middle: str = ""  # empty: taken from the linked person
    given: str = ""
    person: str = ""  # "principal", "teacher" or "mentor" of the province's account school


@dataclass(frozen=True)
class DemoProvince:
    """One demo province: its Sở, its tree before and after 01/07/2025, its staff and accounts."""

    code: str  # the province code (QĐ 19/2025/QĐ-TTg), the code of its Sở
    name: str  # "Cao Bằng"
    address: str  # of the Sở
    area_code: str  # of its landline numbers
    id_province: str  # code of birth registration on the personal ID numbers of its staff
    seed: int
    staff: int  # staff of the current school year, about, at full size
    districts: tuple[District, ...]
    schools: tuple[S, ...]  # upper secondary schools, under the Sở before and after the reform
    accounts: tuple[DemoAccount, ...]
    profile: str = "province"  # ethnic profile of the staff of the Sở's own schools and centres
    difficult_profile: str = "highland"  # … of those of its schools in a difficult area
    account_school: str = ""  # the school of the accounts linked to a person
    institution: tuple[str, str, str] | None = None  # code, name, short name: beside the tree

    def codes(self) -> list[str]:
        """Codes of every unit the province's load creates."""
        codes = [self.code]
        if self.institution:
            codes.append(self.institution[0])
        for d in self.districts:
            codes.append(d.code)
            codes += [s.code for s in d.centres]
            for c in d.communes:
                codes.append(c.code)
                codes += [s.code for s in c.schools]
        return codes + [s.code for s in self.schools]
