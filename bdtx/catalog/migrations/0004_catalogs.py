"""The module catalogs of programme 03 under the TT 19/2019 regime, from data/*.csv.

Each row keeps its source and confidence (see data/README.md); a blank hours cell stays NULL: the
value was not found, it is never guessed. What a catalog lacks is said in its completeness note,
shown to administrators, who complete the catalogs by importing the official appendix (.xlsx).
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
FIRST_YEAR = 2020  # the circulars apply with TT 19/2019, from school year 2020-2021
GDPT_LEVELS = ",TH,THCS,THPT,"

CATALOGS = [
    {
        "code": "GVPT-TT17-2019",
        "name": "Chương trình BDTX giáo viên cơ sở giáo dục phổ thông",
        "circular": "Thông tư 17/2019/TT-BGDĐT ngày 01/11/2019",
        "audience": "GVPT",
        "file": "gvpt_tt17_2019.csv",
        "completeness_note": (
            "Đủ 15/15 mô đun nhưng chỉ GVPT 01, 02 đã đối chiếu nguồn; tên 13 mô đun còn lại lấy từ nguồn thứ cấp "
            "(chưa xác minh). Mới biết số tiết của GVPT 01 và GVPT 11. Việc gắn mô đun GVPT nn với tiêu chí nn "
            "của Thông tư 20/2018 là giả định (nhóm tiêu chuẩn của GVPT 03, 07 cần đối chiếu). "
            "Cần hiệu đính, bổ sung từ phụ lục Thông tư 17/2019."
        ),
    },
    {
        "code": "QLPT-TT18-2019",
        "name": "Chương trình BDTX cán bộ quản lý cơ sở giáo dục phổ thông",
        "circular": "Thông tư 18/2019/TT-BGDĐT ngày 01/11/2019",
        "audience": "QLPT",
        "file": "qlpt_tt18_2019.csv",
        "completeness_note": (
            "Chưa có mô đun nào: không tìm thấy danh mục mô đun của Thông tư 18/2019 trong các nguồn đã đọc. "
            "Nhập từ phụ lục của Thông tư (tệp .xlsx)."
        ),
    },
    {
        "code": "GVMN-TT12-2019",
        "name": "Chương trình BDTX giáo viên mầm non",
        "circular": "Thông tư 12/2019/TT-BGDĐT ngày 26/8/2019",
        "audience": "GVMN",
        "file": "gvmn_tt12_2019.csv",
        "completeness_note": (
            "Mới có 3 mô đun (một nguồn cho biết danh mục có khoảng 35). Chưa rõ số tiết lý thuyết, thực hành "
            "và tiêu chí tương ứng. Ngày ban hành: phần đầu văn bản Thông tư ghi 26/08/2019, công văn "
            "95/GDĐT-BD ghi 16/08/2019 (cần đối chiếu)."
        ),
    },
    {
        "code": "QLMN-TT11-2019",
        "name": "Chương trình BDTX cán bộ quản lý cơ sở giáo dục mầm non",
        "circular": "Thông tư 11/2019/TT-BGDĐT",
        "audience": "QLMN",
        "file": "qlmn_tt11_2019.csv",
        "completeness_note": (
            "Mới có 2 mô đun (danh mục có ít nhất 13). Chưa rõ số tiết lý thuyết, thực hành và tiêu chí "
            "tương ứng. Ngày ban hành chưa đối chiếu (công văn 95/GDĐT-BD ghi 16/08/2019)."
        ),
    },
    {
        "code": "GDPT2018-GV-QD4660",
        "name": "Mô đun bồi dưỡng thực hiện Chương trình GDPT 2018 – giáo viên",
        "circular": "Quyết định 4660/QĐ-BGDĐT năm 2019",
        "audience": "GVPT",
        "file": "gdpt2018_modules_qd4660.csv",
        "csv_audience": "giao_vien",
        "completeness_note": (
            "Có 5/9 mô đun (thiếu mô đun 1, 6, 7, 8); chưa rõ số tiết của mô đun 2, 3. Tên ghi gộp các cấp học "
            "như công văn 1395/SGDĐT-ĐTBD; Quyết định ban hành riêng từng cấp học. Ngày ban hành chưa đối chiếu."
        ),
    },
    {
        "code": "GDPT2018-QL-QD4660",
        "name": "Mô đun bồi dưỡng thực hiện Chương trình GDPT 2018 – cán bộ quản lý",
        "circular": "Quyết định 4660/QĐ-BGDĐT năm 2019",
        "audience": "QLPT",
        "file": "gdpt2018_modules_qd4660.csv",
        "csv_audience": "can_bo_quan_ly",
        "completeness_note": (
            "Có 3/9 mô đun (thiếu mô đun 1, 2, 3, 6, 7, 8). Tên ghi gộp các cấp học như công văn "
            "1395/SGDĐT-ĐTBD; Quyết định ban hành riêng từng cấp học. Ngày ban hành chưa đối chiếu."
        ),
    },
]


def _hours(value):
    value = (value or "").strip()
    return int(value) if value else None


def _fold(text):
    import unicodedata

    text = unicodedata.normalize("NFD", " ".join(text.split()).lower()).replace("đ", "d")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _rows(meta):
    with (DATA / meta["file"]).open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if "csv_audience" in meta:  # the QĐ 4660 file holds both audiences, numbered modules
                if row["audience"] != meta["csv_audience"]:
                    continue
                yield {
                    "code": f"MĐ {int(row['module_no']):02d}",
                    "title": row["title_vi"],
                    "levels": GDPT_LEVELS,
                    "hours_total": _hours(row["hours_total"]),
                    "hours_theory": None,
                    "hours_practice": None,
                    "source": row["source"],
                    "confidence": row["confidence"],
                }
            else:
                yield {
                    "code": row["code"],
                    "title": row["title_vi"],
                    "levels": "",
                    "hours_total": _hours(row["hours_total"]),
                    "hours_theory": _hours(row["hours_theory"]),
                    "hours_practice": _hours(row["hours_practice"]),
                    "source": row["source"],
                    "confidence": row["confidence"],
                }


def forwards(apps, schema_editor):
    Catalog = apps.get_model("catalog", "Catalog")
    Module = apps.get_model("catalog", "Module")
    for meta in CATALOGS:
        catalog, _ = Catalog.objects.update_or_create(
            code=meta["code"],
            defaults={
                "name": meta["name"],
                "circular": meta["circular"],
                "audience": meta["audience"],
                "first_year": FIRST_YEAR,
                "last_year": None,
                "completeness_note": meta["completeness_note"],
            },
        )
        for row in _rows(meta):
            Module.objects.update_or_create(
                catalog=catalog,
                code=row["code"],
                defaults={
                    **row,
                    "audience": meta["audience"],
                    "active": True,
                    "search_text": _fold(f"{row['code']} {row['title']}")[:600],
                },
            )


def backwards(apps, schema_editor):
    Catalog = apps.get_model("catalog", "Catalog")
    Module = apps.get_model("catalog", "Module")
    codes = [m["code"] for m in CATALOGS]
    Module.objects.filter(catalog__code__in=codes).delete()
    Catalog.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_module_search_material_unit_imports")]
    operations = [migrations.RunPython(forwards, backwards)]
