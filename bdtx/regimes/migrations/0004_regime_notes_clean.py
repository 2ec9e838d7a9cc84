"""The regimes' notes and grading source carried notes for whoever maintains the data ("(verify)",
English remarks about secondary sources), shown to users. They move to `verification_note` in
Vietnamese (the data sources page); the notes and the grading source keep what users read. Rows an
administrator has changed since are left as they are."""

from django.db import migrations

TT26_NOTE_OLD_TAIL = " Công thức và ngưỡng xếp loại lấy từ nguồn thứ cấp (verify)."
TT26_SOURCE_OLD = (
    "Thông tư 26/2012/TT-BGDĐT, Điều 9 (điểm trung bình) và Điều 10 (xếp loại) — (verify): "
    "rounding to one decimal and whether 'no component below' counts each module's score "
    "were taken from secondary sources"
)
TT26_SOURCE_NEW = "Thông tư 26/2012/TT-BGDĐT, Điều 9 (điểm trung bình) và Điều 10 (xếp loại)"
TT26_VERIFY = (
    "Công thức và ngưỡng xếp loại lấy từ nguồn thứ cấp; cần đối chiếu Điều 9, Điều 10 Thông tư 26/2012/TT-BGDĐT, "
    "nhất là việc làm tròn điểm trung bình đến một chữ số thập phân và việc điều kiện 'không có điểm thành "
    "phần dưới' áp dụng cho điểm từng mô đun."
)
TT19_NOTE_OLD_TAIL = " Thông tư 17/2022 bổ sung đánh giá việc vận dụng vào thực tiễn (verify)."
TT19_NOTE_NEW_TAIL = " Thông tư 17/2022 bổ sung đánh giá việc vận dụng vào thực tiễn."
TT19_VERIFY = "Nội dung sửa đổi của Thông tư 17/2022/TT-BGDĐT về đánh giá vận dụng vào thực tiễn cần đối chiếu văn bản."


def forwards(apps, schema_editor):
    Regime = apps.get_model("regimes", "Regime")
    for regime in Regime.objects.all():
        changed = False
        if regime.notes.endswith(TT26_NOTE_OLD_TAIL):
            regime.notes = regime.notes[: -len(TT26_NOTE_OLD_TAIL)]
            regime.verification_note = TT26_VERIFY
            changed = True
        if isinstance(regime.grading, dict) and regime.grading.get("source") == TT26_SOURCE_OLD:
            regime.grading = {**regime.grading, "source": TT26_SOURCE_NEW}
            regime.verification_note = TT26_VERIFY
            changed = True
        if regime.notes.endswith(TT19_NOTE_OLD_TAIL):
            regime.notes = regime.notes[: -len(TT19_NOTE_OLD_TAIL)] + TT19_NOTE_NEW_TAIL
            regime.verification_note = TT19_VERIFY
            changed = True
        if changed:
            regime.save(update_fields=["notes", "grading", "verification_note"])


class Migration(migrations.Migration):
    dependencies = [("regimes", "0003_verification_note")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
