"""Demo programme content: programme 01 topics (the ministry), and each demo province's programme
02 topics and focus modules (Sở GD&ĐT Cao Bằng after seed letter 003; Sở GD&ĐT Lạng Sơn its own
smaller choice), for the current and the next school year. Written through the catalog services
as the demo's ministry and Sở accounts, so every row is checked and audited like one entered on
the pages. Idempotent."""

from django.contrib.auth.models import User
from django.db import transaction

from bdtx.accounts.selectors import scope_for_user
from bdtx.catalog import services
from bdtx.catalog.models import FocusModule, Module, ProgrammeContent
from bdtx.core.models import SchoolYear
from bdtx.core.selectors import school_year_current
from bdtx.demo.cao_bang import PROVINCE_CODE as CAO_BANG
from bdtx.demo.lang_son import PROVINCE_CODE as LANG_SON
from bdtx.demo.places import MINISTRY_CODE
from bdtx.organisations.models import Unit
from bdtx.regimes.models import Programme

BD01 = [
    ("Cập nhật chủ trương, chính sách của Đảng, pháp luật của Nhà nước về giáo dục; Luật Nhà giáo", 20),
    ("Thực hiện Chương trình giáo dục phổ thông 2018 và Chương trình giáo dục mầm non năm học {y}", 20),
]
BD02 = [
    ("Chương trình giáo dục địa phương tỉnh Cao Bằng", 15),
    ("Tăng cường tiếng Việt cho trẻ em, học sinh người dân tộc thiểu số", 15),
    ("Giáo dục kỹ năng phòng, chống thiên tai và an toàn giao thông ở vùng núi", 10),
]
# Seed 003 (Sở GD&ĐT Cao Bằng, 1395/SGDĐT-ĐTBD): the modules it asks each group to take.
FOCUS = [
    ("GVMN-TT12-2019", "GVMN 04", "MN"),
    ("GVMN-TT12-2019", "GVMN 19", "MN"),
    ("QLMN-TT11-2019", "QLMN 11", "MN"),
    ("QLMN-TT11-2019", "QLMN 13", "MN"),
    ("GDPT2018-GV-QD4660", "MĐ 04", ""),
    ("GDPT2018-GV-QD4660", "MĐ 05", ""),
    ("GDPT2018-GV-QD4660", "MĐ 09", ""),
    ("GDPT2018-QL-QD4660", "MĐ 04", ""),
    ("GDPT2018-QL-QD4660", "MĐ 05", ""),
    ("GDPT2018-QL-QD4660", "MĐ 09", ""),
]
BD02_LANG_SON = [
    ("Chương trình giáo dục địa phương tỉnh Lạng Sơn", 15),
    ("Ứng dụng công nghệ thông tin và chuyển đổi số trong dạy học, quản lý", 15),
    ("Giữ gìn bản sắc văn hóa dân tộc Nùng, Tày trong nhà trường", 10),
]
FOCUS_LANG_SON = [
    ("GVMN-TT12-2019", "GVMN 19", "MN"),
    ("QLMN-TT11-2019", "QLMN 13", "MN"),
    ("GDPT2018-GV-QD4660", "MĐ 09", ""),
    ("GDPT2018-QL-QD4660", "MĐ 09", ""),
]
# Each province: its Sở account, its programme 02 topics, its focus modules.
PROVINCES = {CAO_BANG: ("so", BD02, FOCUS), LANG_SON: ("so2", BD02_LANG_SON, FOCUS_LANG_SON)}


@transaction.atomic
def programme_demo_load() -> int:
    """Publish the demo content for this school year and the next; returns the rows written."""
    ministry = Unit.objects.get(code=MINISTRY_CODE)
    bo_scope = scope_for_user(User.objects.get(username="bo"))
    current = school_year_current()
    written = 0
    for year in (current, current.next):
        label = year.label
        if not ProgrammeContent.objects.filter(unit=ministry, school_year=year).exists():
            for title, hours in BD01:
                services.content_create(
                    scope=bo_scope,
                    unit=ministry,
                    school_year=year,
                    programme=Programme.BD01,
                    title=title.format(y=label),
                    hours=hours,
                )
                written += 1
        for code, (username, bd02, focus) in PROVINCES.items():
            written += _province_content(code=code, username=username, year=year, bd02=bd02, focus=focus)
    return written


def _province_content(
    *, code: str, username: str, year: SchoolYear, bd02: list[tuple[str, int]], focus: list[tuple[str, str, str]]
) -> int:
    province = Unit.objects.get(code=code)
    so_scope = scope_for_user(User.objects.get(username=username))
    written = 0
    if not ProgrammeContent.objects.filter(unit=province, school_year=year).exists():
        for title, hours in bd02:
            services.content_create(
                scope=so_scope,
                unit=province,
                school_year=year,
                programme=Programme.BD02,
                title=title,
                hours=hours,
            )
            written += 1
    if not FocusModule.objects.filter(unit=province, school_year=year).exists():
        for priority, (catalog, module_code, level) in enumerate(focus, start=1):
            module = Module.objects.get(catalog__code=catalog, code=module_code)
            services.focus_module_add(
                scope=so_scope,
                unit=province,
                school_year=year,
                module=module,
                school_level=level,
                priority=priority,
            )
            written += 1
    return written
