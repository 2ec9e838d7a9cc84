"""The professional standards of 2018 (TT 20, 14, 26 and 25) with their criteria, key criteria and
rating rules. Criteria come from data/standards.csv (sources and confidence per row, see
data/README.md); what the sources did not give is left out and said in `completeness_note`."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "standards.csv"

NOT_MET, MET, GOOD, EXCELLENT = 1, 2, 3, 4

TT20_RULE_SOURCE = (
    "Thông tư 20/2018/TT-BGDĐT, Khoản 2 Điều 10 (tiêu chí bắt buộc: các tiêu chí tại Điều 5 = Tiêu chuẩn 2): "
    "https://nganhangphapluat.thukyluat.vn/tu-van-phap-luat/giao-duc/"
    "xep-loai-ket-qua-danh-gia-chuan-nghe-nghiep-giao-vien-pho-thong-260123 ; "
    "https://lawnet.vn/thong-tin-phap-luat/en/giao-duc/"
    "guidelines-for-evaluating-standards-for-primary-lower-secondary-and-upper-secondary-school-teachers-in-2020-149115.html"
)
TT14_RULE_SOURCE = (
    "Thông tư 14/2018/TT-BGDĐT, Khoản 2 Điều 10 (tiêu chí bắt buộc 1, 2, 4, 5, 6, 8, 10, 12, 13, 14): "
    "https://congtyvietluat.com/thong-tu-quy-dinh-danh-gia-tieu-chuan-hieu-truong-giao-duc-pho-thong.html"
)
TT25_RULE_SOURCE = (
    "Thông tư 25/2018/TT-BGDĐT, Khoản 2 Điều 10 (tiêu chí bắt buộc 1, 4, 5, 6, 7, 9, 11, 13, 14, 15): "
    "https://thuvienphapluat.vn/hoi-dap-phap-luat/"
    "437C9-hd-xep-loai-ket-qua-danh-gia-theo-chuan-hieu-truong-co-so-giao-duc-mam-non.html"
)
TT26_RULE_SOURCE = (
    "Thông tư 26/2018/TT-BGDĐT, Khoản 2 Điều 10. CHƯA TÌM THẤY danh sách tiêu chí bắt buộc trong các nguồn "
    "đã đọc: quy tắc được nạp không có điều kiện về tiêu chí bắt buộc, cấu trúc (tỉ lệ 2/3) giả định như "
    "Thông tư 20/2018/TT-BGDĐT. Cần đối chiếu văn bản gốc."
)

FRAMEWORKS = {
    "tt20_2018_gvpt": {
        "name": "Chuẩn nghề nghiệp giáo viên cơ sở giáo dục phổ thông",
        "circular": "Thông tư 20/2018/TT-BGDĐT",
        "audience": "GVPT",
        "rule_source": TT20_RULE_SOURCE,
        "key_rule": True,
        "completeness_note": (
            "Đủ 15/15 tiêu chí. 13 tiêu chí đã đối chiếu nguồn; tiêu chí 14, 15 và tên Tiêu chuẩn 5 "
            "chỉ đối chiếu một phần (dịch lại từ bản tiếng Anh)."
        ),
    },
    "tt14_2018_hieutruong": {
        "name": "Chuẩn hiệu trưởng cơ sở giáo dục phổ thông",
        "circular": "Thông tư 14/2018/TT-BGDĐT",
        "audience": "QLPT",
        "rule_source": TT14_RULE_SOURCE,
        "key_rule": True,
        "completeness_note": (
            "Đủ 18/18 tiêu chí và danh sách tiêu chí bắt buộc, nhưng chỉ tiêu chí 1 đã đối chiếu nguyên văn; "
            "tiêu chí 2, 4, 5 đối chiếu một phần, 14 tiêu chí còn lại chưa đối chiếu với văn bản gốc."
        ),
    },
    "tt26_2018_gvmn": {
        "name": "Chuẩn nghề nghiệp giáo viên mầm non",
        "circular": "Thông tư 26/2018/TT-BGDĐT",
        "audience": "GVMN",
        "rule_source": TT26_RULE_SOURCE,
        "key_rule": False,
        "completeness_note": (
            "CHƯA ĐẦY ĐỦ: mới có 13/15 tiêu chí, thiếu tiêu chí 11 và 12 (Tiêu chuẩn 4) vì chưa tìm được "
            "nguyên văn. Chưa tìm thấy danh sách tiêu chí bắt buộc, nên xếp loại hiện KHÔNG xét điều kiện "
            "tiêu chí bắt buộc và tỉ lệ 2/3 tính trên 13 tiêu chí đã có. Cần bổ sung từ văn bản gốc."
        ),
    },
    "tt25_2018_hieutruong_mn": {
        "name": "Chuẩn hiệu trưởng cơ sở giáo dục mầm non",
        "circular": "Thông tư 25/2018/TT-BGDĐT",
        "audience": "QLMN",
        "rule_source": TT25_RULE_SOURCE,
        "key_rule": True,
        "completeness_note": (
            "CHƯA ĐẦY ĐỦ: mới có 17/18 tiêu chí, thiếu tiêu chí 16 (chưa rõ tên). Danh sách tiêu chí bắt buộc "
            "đã có nguồn; tên và cách nhóm các tiêu chuẩn giả định giống Thông tư 14/2018, chưa đối chiếu."
        ),
    },
}


def rules(key_rule: bool) -> list[dict]:
    """The four ratings of Khoản 2 Điều 10, from Tốt down (key condition only where the list is known)."""
    key = (lambda level: level) if key_rule else (lambda level: None)
    return [
        {"result": EXCELLENT, "min_all": GOOD, "share_level": EXCELLENT, "key_min": key(EXCELLENT)},
        {"result": GOOD, "min_all": MET, "share_level": GOOD, "key_min": key(GOOD)},
        {"result": MET, "min_all": MET, "share_level": None, "key_min": None},
        {"result": NOT_MET, "min_all": NOT_MET, "share_level": None, "key_min": None},
    ]


def forwards(apps, schema_editor):
    Framework = apps.get_model("standards", "Framework")
    Standard = apps.get_model("standards", "Standard")
    Criterion = apps.get_model("standards", "Criterion")
    RatingRule = apps.get_model("standards", "RatingRule")
    frameworks = {}
    for code, meta in FRAMEWORKS.items():
        frameworks[code], _ = Framework.objects.update_or_create(
            code=code,
            defaults={
                "name": meta["name"],
                "circular": meta["circular"],
                "audience": meta["audience"],
                "first_year": 2018,
                "last_year": None,
                "completeness_note": meta["completeness_note"],
            },
        )
        for rule in rules(meta["key_rule"]):
            with_share = rule["share_level"] is not None
            RatingRule.objects.update_or_create(
                framework=frameworks[code],
                result=rule["result"],
                defaults={
                    "min_all": rule["min_all"],
                    "share_level": rule["share_level"],
                    "share_numerator": 2 if with_share else 0,
                    "share_denominator": 3 if with_share else 1,
                    "key_min": rule["key_min"],
                    "source": meta["rule_source"],
                },
            )
    with DATA.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            framework = frameworks[row["framework"]]
            standard, _ = Standard.objects.update_or_create(
                framework=framework,
                number=int(row["standard_no"]),
                defaults={"title": row["standard_title_vi"]},
            )
            Criterion.objects.update_or_create(
                standard__framework=framework,
                number=int(row["criterion_no"]),
                defaults={
                    "standard": standard,
                    "title": row["criterion_title_vi"],
                    "is_key": row["is_key_criterion"] == "true",
                    "source": row["source"],
                    "confidence": row["confidence"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
