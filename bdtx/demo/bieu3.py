"""Demo Biểu 3 drafts: the commune office (`xa`, UBND xã Hòa An) and the Sở (`so`) each have their
report on the previous school year — every module of the year, general schools — with the text
sections typed, through the real services (so the audit log holds them too). The figures are
computed from the previous year's training (`bdtx.demo.results`) whenever the page opens.
Idempotent: a unit with a report of that year keeps it."""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from bdtx.accounts.models import RoleAssignment
from bdtx.accounts.selectors import scope_for_user
from bdtx.bieu3.models import Bieu3Report
from bdtx.bieu3.selectors import module_choices
from bdtx.bieu3.services import bieu3_create, bieu3_update_texts
from bdtx.core.models import SchoolYear
from bdtx.core.selectors import school_year_current

TEXTS = {
    "assess_general": (
        "Công tác bồi dưỡng thường xuyên được triển khai đúng kế hoạch; đa số giáo viên, cán bộ quản lý tham gia"
        " đầy đủ, chủ động tự học trên hệ thống LMS.\nMột số học viên ở điểm trường vùng khó khăn còn hạn chế về"
        " đường truyền Internet."
    ),
    "assess_preparation": "Kế hoạch, danh sách học viên và tài khoản LMS được chuẩn bị trước khi mở lớp.",
    "assess_lecturers": "Giảng viên của Trường CĐSP Cao Bằng hỗ trợ chuyên môn kịp thời qua diễn đàn và trực tiếp.",
    "assess_mentors": (
        "Giáo viên cốt cán theo dõi nhóm, trả lời câu hỏi và đánh giá bài thực hành; một số nhóm còn chậm đánh giá."
    ),
    "assess_it": "Tổ hỗ trợ công nghệ thông tin của trường hướng dẫn đăng nhập, nộp bài thu hoạch.",
    "assess_management": "Đơn vị theo dõi tiến độ học tập hằng tuần, nhắc nhở học viên chậm tiến độ.",
    "assess_coordination": "Phối hợp chặt chẽ với Sở GDĐT và các trường trong tổng hợp, phê duyệt kết quả.",
    "other_activities": "Tổ chức sinh hoạt chuyên môn theo cụm trường để chia sẻ kinh nghiệm vận dụng mô đun.",
    "proposals": (
        "Bổ sung video minh họa tiết dạy và ví dụ gắn với học sinh dân tộc thiểu số.\n"
        "Điều chỉnh thời gian học tập trung phù hợp lịch dạy của giáo viên vùng khó khăn."
    ),
    "comms_direct": "02 buổi sinh hoạt chuyên đề tại các trường; khoảng 150 lượt giáo viên được tiếp cận.",
    "comms_indirect": "05 bài viết trên trang thông tin điện tử của đơn vị và các trường.",
    "comms_impact": "Khảo sát nhanh sau đợt bồi dưỡng: học viên nắm được yêu cầu và cách thức học tập.",
    "recommendations": "Đề nghị Sở GDĐT tiếp tục tổ chức tập huấn cho đội ngũ cốt cán về đánh giá bài thực hành.",
}
SIGNERS = {"xa": ("Phó Chủ tịch", "Lục Thị Huyền"), "so": ("Phó Giám đốc", "Hoàng Văn Thắng")}


@transaction.atomic
def bieu3_demo_load() -> int:
    """The drafts of `xa` and `so` on the previous school year; returns how many were written."""
    year = SchoolYear.of(school_year_current().start_year - 1)
    written = 0
    for username, (title, name) in SIGNERS.items():
        user = User.objects.filter(username=username).first()
        role = RoleAssignment.objects.filter(user=user).select_related("unit").first() if user else None
        if user is None or role is None or Bieu3Report.objects.filter(unit=role.unit, school_year=year).exists():
            continue
        modules = list(module_choices(unit=role.unit, school_year=year, preschool=False))
        if not modules:
            continue
        scope = scope_for_user(user)
        report = bieu3_create(
            scope=scope,
            unit=role.unit,
            school_year=year,
            period_from=year.starts_on,
            period_to=year.ends_on,
            modules=modules,
        )
        bieu3_update_texts(
            scope=scope,
            report=report,
            texts=TEXTS,
            particulars={
                "signer_title": title,
                "signer_name": name,
                "report_date": date(year.start_year + 1, 5, 25),
            },
        )
        written += 1
    return written
