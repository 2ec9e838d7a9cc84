"""The default deadlines' source read "TT 19/2019/TT-BGDĐT (mặc định, cần đối chiếu văn bản)" next to
every deadline: a note for whoever maintains the data, shown to everyone. The source becomes the
circular's name; the note moves to `verification_note` (the data sources page). Rows an
administrator has changed since are left as they are."""

from django.db import migrations

OLD = "TT 19/2019/TT-BGDĐT (mặc định, cần đối chiếu văn bản)"
NEW = "Thông tư 19/2019/TT-BGDĐT"
NOTE = (
    "Ngày mặc định (31/5 kế hoạch cá nhân, 30/6 kế hoạch nhà trường, 31/7 kế hoạch cấp xã, 31/8 kế hoạch "
    "của Sở) lấy theo mô tả quy trình; cần đối chiếu với văn bản Thông tư 19/2019/TT-BGDĐT và công văn "
    "hướng dẫn năm học."
)


def forwards(apps, schema_editor):
    DeadlineDefault = apps.get_model("plans", "DeadlineDefault")
    DeadlineDefault.objects.filter(source=OLD).update(source=NEW, verification_note=NOTE)


def backwards(apps, schema_editor):
    DeadlineDefault = apps.get_model("plans", "DeadlineDefault")
    DeadlineDefault.objects.filter(source=NEW, verification_note=NOTE).update(source=OLD, verification_note="")


class Migration(migrations.Migration):
    dependencies = [("plans", "0008_verification_note")]
    operations = [migrations.RunPython(forwards, backwards)]
