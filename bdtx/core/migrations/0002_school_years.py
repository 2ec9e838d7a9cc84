"""School years 2012-2013 to 2035-2036, each 1 July to 30 June (editable by an administrator)."""

from datetime import date

from django.db import migrations


def forwards(apps, schema_editor):
    SchoolYear = apps.get_model("core", "SchoolYear")
    for y in range(2012, 2036):
        SchoolYear.objects.get_or_create(start_year=y, defaults={"starts_on": date(y, 7, 1),
                                                                 "ends_on": date(y + 1, 6, 30)})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
