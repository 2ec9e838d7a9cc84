"""The two regimes of BDTX so far, as data an administrator can change (Django admin or the regimes page).

TT 26/2012 governs the historic school years 2012-2013 to 2019-2020: 120 periods split 30/30/60
and a graded result. TT 19/2019 as amended by TT 17/2022 governs 2020-2021 onward: 40/40/40,
programmes 01 and 02 shiftable, pass mark 5. The next regime (Law on Teachers 73/2025/QH15) is
added as a new row once its programme is issued.
"""

from decimal import Decimal

from django.db import migrations

TT26 = {
    "code": "TT26-2012",
    "name": "Quy chế BDTX theo Thông tư 26/2012/TT-BGDĐT",
    "legal_source": (
        "Thông tư 26/2012/TT-BGDĐT ngày 10/7/2012 ban hành Quy chế bồi dưỡng thường xuyên giáo viên "
        "mầm non, phổ thông và giáo dục thường xuyên"
    ),
    "first_year": 2012,
    "last_year": 2019,
    "total_hours": 120,
    "bd01_hours": 30,
    "bd02_hours": 30,
    "bd03_hours": 60,
    "shiftable_01_02": False,
    "pass_mark": Decimal("5.00"),
    "result_categories": [
        {"code": "gioi", "label": "Giỏi", "completed": True},
        {"code": "kha", "label": "Khá", "completed": True},
        {"code": "trung_binh", "label": "Trung bình", "completed": True},
        {"code": "khong_hoan_thanh", "label": "Không hoàn thành", "completed": False},
    ],
    "grading": {
        "components": [
            {"code": "nd1", "label": "Điểm nội dung bồi dưỡng 1", "aggregate": "single"},
            {"code": "nd2", "label": "Điểm nội dung bồi dưỡng 2", "aggregate": "single"},
            {"code": "nd3", "label": "Điểm trung bình các mô đun nội dung bồi dưỡng 3", "aggregate": "mean"},
        ],
        "average": "mean_of_components",
        "average_decimals": 1,
        "minimum_over": "each_score",
        "thresholds": [
            {"category": "gioi", "min_average": "9", "min_score": "7"},
            {"category": "kha", "min_average": "7", "min_score": "6"},
            {"category": "trung_binh", "min_average": "5", "min_score": "5"},
        ],
        "otherwise": "khong_hoan_thanh",
        "source": (
            "Thông tư 26/2012/TT-BGDĐT, Điều 9 (điểm trung bình) và Điều 10 (xếp loại) — (verify): "
            "rounding to one decimal and whether 'no component below' counts each module's score "
            "were taken from secondary sources"
        ),
    },
    "notes": (
        "Điểm trung bình = (điểm nội dung 1 + điểm nội dung 2 + trung bình điểm các mô đun nội dung 3) / 3. "
        "Giỏi: từ 9 trở lên, không có điểm thành phần dưới 7; Khá: từ 7, không có điểm dưới 6; "
        "Trung bình: từ 5, không có điểm dưới 5; còn lại: Không hoàn thành. Hoàn thành = Trung bình trở lên. "
        "Thời lượng 30/30/60 tiết (Thông tư 17/2019 chuyển 10 tiết mỗi nội dung 1, 2 từ nội dung 3). "
        "Công thức và ngưỡng xếp loại lấy từ nguồn thứ cấp (verify)."
    ),
}

TT19 = {
    "code": "TT19-2019",
    "name": "Quy chế BDTX theo Thông tư 19/2019/TT-BGDĐT (sửa đổi bởi Thông tư 17/2022/TT-BGDĐT)",
    "legal_source": (
        "Thông tư 19/2019/TT-BGDĐT ngày 12/11/2019 ban hành Quy chế bồi dưỡng thường xuyên giáo viên, "
        "cán bộ quản lý cơ sở giáo dục mầm non, cơ sở giáo dục phổ thông và giáo viên trung tâm giáo dục "
        "thường xuyên, sửa đổi, bổ sung bởi Thông tư 17/2022/TT-BGDĐT"
    ),
    "first_year": 2020,
    "last_year": None,
    "total_hours": 120,
    "bd01_hours": 40,
    "bd02_hours": 40,
    "bd03_hours": 40,
    "shiftable_01_02": True,
    "pass_mark": Decimal("5.00"),
    "result_categories": [
        {"code": "hoan_thanh", "label": "Hoàn thành kế hoạch BDTX", "completed": True},
        {"code": "khong_hoan_thanh", "label": "Không hoàn thành kế hoạch BDTX", "completed": False},
    ],
    "grading": {
        "pass_category": "hoan_thanh",
        "fail_category": "khong_hoan_thanh",
        "source": (
            "Thông tư 19/2019/TT-BGDĐT: bài kiểm tra lý thuyết, thực hành chấm theo thang điểm 10, đạt khi "
            "từ 5 điểm trở lên; hoàn thành kế hoạch khi thực hiện đầy đủ các nội dung và mọi bài đạt yêu cầu"
        ),
    },
    "notes": (
        "120 tiết/năm học: chương trình 01 (Bộ) khoảng 40, chương trình 02 (Sở) khoảng 40, chương trình 03 "
        "(mô đun tự chọn) cố định 40. Cơ quan quản lý có thể điều chỉnh thời lượng giữa 01 và 02, "
        "không thay đổi 03. Thông tư 17/2022 bổ sung đánh giá việc vận dụng vào thực tiễn (verify)."
    ),
}


def forwards(apps, schema_editor):
    Regime = apps.get_model("regimes", "Regime")
    for row in (TT26, TT19):
        Regime.objects.update_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})


def backwards(apps, schema_editor):
    apps.get_model("regimes", "Regime").objects.filter(code__in=[TT26["code"], TT19["code"]]).delete()


class Migration(migrations.Migration):
    dependencies = [("regimes", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
