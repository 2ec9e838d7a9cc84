"""Default deadlines of the yearly results report (issue 11), school years from 2020-2021:

- office (district / commune) → Sở by 25/6 and Sở → Bộ by 30/6 after the school year ends
  (year_offset 1: the report on school year Y is due in June of Y + 1). The source is the
  school-year reporting regime, Thông tư 19/2020/TT-BGDĐT as DOMAIN.md §3 names it; the ministry's
  letter 962/BGDĐT-NGCBQLCSGD (2015, seed 004) also asks the Sở for its annual BDTX results
  report "trước ngày 30 tháng 6 hằng năm". The 25/6 date is not in any seed letter: to check
  against the circular's text (`verification_note`).
- school → office: no default. No national text in the seed letters gives one (seed 002, a
  district office's own letter, asks its schools for the end of May): each office sets its own
  date for its schools (the deadlines page), as seed 002's office did.
"""

from django.db import migrations

SOURCE = "Thông tư 19/2020/TT-BGDĐT"  # the school-year reporting regime (DOMAIN.md §3)
DEFAULTS = [
    (
        "office_results",
        6,
        25,
        "Ngày 25/6 (phòng/xã gửi Sở) lấy theo mô tả chế độ báo cáo năm học trong DOMAIN.md; cần đối chiếu "
        "văn bản Thông tư 19/2020/TT-BGDĐT.",
    ),
    (
        "province_results",
        6,
        30,
        "Ngày 30/6 (Sở gửi Bộ): công văn 962/BGDĐT-NGCBQLCSGD (2015) cũng yêu cầu báo cáo kết quả BDTX "
        "về Bộ trước ngày 30 tháng 6 hằng năm; cần đối chiếu văn bản Thông tư 19/2020/TT-BGDĐT.",
    ),
]


def forwards(apps, schema_editor):
    DeadlineDefault = apps.get_model("plans", "DeadlineDefault")
    for kind, month, day, note in DEFAULTS:
        DeadlineDefault.objects.get_or_create(
            kind=kind,
            first_year=2020,
            defaults={"month": month, "day": day, "year_offset": 1, "source": SOURCE, "verification_note": note},
        )


def backwards(apps, schema_editor):
    apps.get_model("plans", "DeadlineDefault").objects.filter(first_year=2020, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0010_results_report_deadline_kinds")]
    operations = [migrations.RunPython(forwards, backwards)]
