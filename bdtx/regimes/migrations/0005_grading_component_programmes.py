"""Which programme's scores make each score component of TT 26/2012's grading: nội dung 1 is programme
01, nội dung 2 programme 02, nội dung 3 the modules of programme 03 (Thông tư 26/2012/TT-BGDĐT, Điều 9).
It was written in the results code; it is data of the regime, like the rest of its grading. A row an
administrator has changed keeps its own components."""

from django.db import migrations

PROGRAMMES = {"nd1": ["BD01"], "nd2": ["BD02"], "nd3": ["BD03"]}


def forwards(apps, schema_editor):
    Regime = apps.get_model("regimes", "Regime")
    for regime in Regime.objects.filter(code="TT26-2012"):
        grading = dict(regime.grading or {})
        components = grading.get("components") or []
        if [c.get("code") for c in components] != list(PROGRAMMES) or any("programmes" in c for c in components):
            continue
        grading["components"] = [{**c, "programmes": PROGRAMMES[c["code"]]} for c in components]
        regime.grading = grading
        regime.save(update_fields=["grading"])


def backwards(apps, schema_editor):
    Regime = apps.get_model("regimes", "Regime")
    for regime in Regime.objects.filter(code="TT26-2012"):
        grading = dict(regime.grading or {})
        grading["components"] = [
            {k: v for k, v in c.items() if k != "programmes"} for c in grading.get("components") or []
        ]
        regime.grading = grading
        regime.save(update_fields=["grading"])


class Migration(migrations.Migration):
    dependencies = [("regimes", "0004_regime_notes_clean")]
    operations = [migrations.RunPython(forwards, backwards)]
