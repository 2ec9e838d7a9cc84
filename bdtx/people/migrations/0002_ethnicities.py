"""The 54 ethnic groups (QĐ 121-TCTK/PPCĐ of 02/03/1979), with variant spellings for imports."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "ethnicities.csv"


def forwards(apps, schema_editor):
    Ethnicity = apps.get_model("people", "Ethnicity")
    with DATA.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Ethnicity.objects.update_or_create(code=row["code"], defaults={"name": row["name"],
                                                                           "aliases": row["aliases"]})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
