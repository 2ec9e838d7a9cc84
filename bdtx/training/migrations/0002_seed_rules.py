"""The rules training delivery reads, as data: the 7-2-7 schedule template, the trainer rules of
TT 19/2019 and TT 17/2022, and the core teachers' group rule, each naming its source."""

from django.db import migrations

SEED_003 = "Công văn 1395/SGDĐT-ĐTBD ngày 13/9/2021 của Sở GD&ĐT Cao Bằng (mô hình 7-2-7; nhóm 50 học viên)"


def forwards(apps, schema_editor):
    ScheduleTemplate = apps.get_model("training", "ScheduleTemplate")
    TrainerRule = apps.get_model("training", "TrainerRule")
    MentorRule = apps.get_model("training", "MentorRule")
    ScheduleTemplate.objects.update_or_create(
        code="7-2-7",
        defaults={
            "name": "7-2-7: 7 ngày tự học trên LMS, 2 ngày học trực tiếp, 7 ngày tự học và làm bài tập",
            "phases": [
                {"kind": "self_study", "days": 7},
                {"kind": "in_person", "days": 2},
                {"kind": "assignments", "days": 7},
            ],
            "source": SEED_003,
        },
    )
    TrainerRule.objects.update_or_create(
        code="TT19-2019",
        defaults={
            "first_year": 2020,
            "last_year": 2021,
            "min_degree": "college",
            "min_years_experience": 3,
            "requires_it_skills": True,
            "enforcement": "refuse",
            "source": "Thông tư 19/2019/TT-BGDĐT (Quy chế BDTX), báo cáo viên",
            "verification_note": (
                "Cần đối chiếu văn bản: điều khoản của Thông tư 19/2019 về báo cáo viên, trình độ đào tạo "
                "tối thiểu (ghi tạm là cao đẳng) và việc không nhận hay chỉ cảnh báo. Yêu cầu 3 năm kinh "
                "nghiệm BDTX và kỹ năng CNTT lấy từ nguồn thứ cấp."
            ),
        },
    )
    TrainerRule.objects.update_or_create(
        code="TT17-2022",
        defaults={
            "first_year": 2022,
            "last_year": None,
            "min_degree": "college",
            "min_years_experience": None,
            "requires_it_skills": True,
            "enforcement": "refuse",
            "source": "Thông tư 19/2019/TT-BGDĐT sửa đổi bởi Thông tư 17/2022/TT-BGDĐT, báo cáo viên",
            "verification_note": (
                "Cần đối chiếu văn bản: điều khoản của Thông tư 17/2022 bỏ yêu cầu 3 năm kinh nghiệm BDTX, "
                "năm học bắt đầu áp dụng (ghi tạm là 2022-2023) và trình độ đào tạo tối thiểu."
            ),
        },
    )
    MentorRule.objects.update_or_create(
        first_year=2020,
        defaults={
            "last_year": None,
            "max_group_size": 50,
            "learners_per_block": 50,
            "hours_per_block": 40,
            "source": SEED_003,
            "verification_note": (
                "Công văn của một Sở (Cao Bằng) dùng làm mặc định cho mọi tỉnh; cần đối chiếu quy định của "
                "Bộ làm căn cứ (Kế hoạch 37/KH-BGDĐT năm 2021)."
            ),
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("training", "ScheduleTemplate").objects.filter(code="7-2-7").delete()
    apps.get_model("training", "TrainerRule").objects.filter(code__in=["TT19-2019", "TT17-2022"]).delete()
    apps.get_model("training", "MentorRule").objects.filter(first_year=2020).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
