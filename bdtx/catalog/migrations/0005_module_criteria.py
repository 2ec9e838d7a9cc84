"""Link the GVPT modules of TT 17/2019 to the TT 20/2018 criteria they serve (GVPT nn ↔ criterion nn).

The pairs come from data/gvpt_tt17_2019.csv (standard_no, criterion_no). That mapping is an
assumption consistent with every title seen (see data/README.md); an administrator corrects it by
importing the catalog with its criteria column. A pair whose criterion is missing is skipped.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
LINKS = [("GVPT-TT17-2019", "gvpt_tt17_2019.csv", "tt20_2018_gvpt")]


def forwards(apps, schema_editor):
    Module = apps.get_model("catalog", "Module")
    Criterion = apps.get_model("standards", "Criterion")
    for catalog_code, filename, framework_code in LINKS:
        criteria = {
            (c.standard.number, c.number): c
            for c in Criterion.objects.filter(standard__framework__code=framework_code).select_related("standard")
        }
        modules = {m.code: m for m in Module.objects.filter(catalog__code=catalog_code)}
        with (DATA / filename).open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                module = modules.get(row["code"])
                if module is None or not row["criterion_no"].strip():
                    continue
                key = (int(row["standard_no"]), int(row["criterion_no"]))
                if key in criteria:
                    module.criteria.add(criteria[key])


def backwards(apps, schema_editor):
    Module = apps.get_model("catalog", "Module")
    for catalog_code, _filename, _framework in LINKS:
        for module in Module.objects.filter(catalog__code=catalog_code):
            module.criteria.clear()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_catalogs"), ("standards", "0002_frameworks")]
    operations = [migrations.RunPython(forwards, backwards)]
