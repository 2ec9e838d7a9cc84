"""Default plan deadlines of TT 19/2019 (from 2020-2021): personal plans approved before 31/5,
school plans reported in June, office plans in July, provincial plans in August, each before the
school year they are for. DOMAIN.md §3 marks these as to verify against the circular's text:
they are data, editable by an administrator; authorities set earlier dates for their subtree."""

from django.db import migrations

SOURCE = "TT 19/2019/TT-BGDĐT (mặc định, cần đối chiếu văn bản)"
DEFAULTS = [
    ("personal_plan", 5, 31),
    ("school_plan", 6, 30),
    ("office_plan", 7, 31),
    ("province_plan", 8, 31),
]


def forwards(apps, schema_editor):
    DeadlineDefault = apps.get_model("plans", "DeadlineDefault")
    for kind, month, day in DEFAULTS:
        DeadlineDefault.objects.get_or_create(
            kind=kind, first_year=2020, defaults={"month": month, "day": day, "year_offset": 0, "source": SOURCE}
        )


def backwards(apps, schema_editor):
    apps.get_model("plans", "DeadlineDefault").objects.filter(first_year=2020, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_deadline_default")]
    operations = [migrations.RunPython(forwards, backwards)]
