"""The questionnaire shipped with the system: learners' feedback on a module (seed 003, section III),
offered to every unit. Six statements on a scale of 1 to 5 make up the satisfaction rate (an average
of 4 or more: satisfied), one single choice, two open questions."""

from django.db import migrations

TITLE = "Phiếu khảo sát ý kiến học viên về mô đun bồi dưỡng"
INTRO = (
    "Thầy/cô vui lòng cho biết mức độ đồng ý với các nhận định dưới đây (1: Hoàn toàn không đồng ý; "
    "5: Hoàn toàn đồng ý) và góp ý để các đợt bồi dưỡng sau tốt hơn."
)
LIKERT = [
    "Nội dung mô đun thiết thực, phù hợp với nhu cầu bồi dưỡng của tôi.",
    "Tài liệu, học liệu của mô đun rõ ràng, dễ hiểu, dễ sử dụng.",
    "Hệ thống học tập trực tuyến (LMS) hoạt động ổn định, dễ truy cập và sử dụng.",
    "Giáo viên/cán bộ quản lý cốt cán hỗ trợ tôi kịp thời, hiệu quả trong quá trình học.",
    "Giảng viên truyền đạt rõ ràng, giải đáp thỏa đáng các thắc mắc của học viên.",
    "Tôi có thể vận dụng kiến thức, kỹ năng của mô đun vào thực tiễn dạy học, giáo dục tại đơn vị.",
]
SINGLE = (
    "Thầy/cô đã học mô đun chủ yếu bằng thiết bị nào?",
    ["Điện thoại di động", "Máy tính bảng", "Máy tính xách tay hoặc để bàn", "Kết hợp nhiều thiết bị"],
)
OPEN = [
    "Điều thầy/cô thấy hữu ích nhất trong mô đun này là gì?",
    "Thầy/cô có đề xuất gì để mô đun và việc tổ chức bồi dưỡng tốt hơn?",
]


def create(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Question = apps.get_model("surveys", "Question")
    qn = Questionnaire.objects.create(
        title=TITLE, intro=INTRO, status="published", owner=None, version=1, satisfied_from=4
    )
    rows = [
        Question(questionnaire=qn, position=i, kind="likert5", text=t, required=True, counts_for_satisfaction=True)
        for i, t in enumerate(LIKERT, start=1)
    ]
    n = len(rows)
    rows.append(Question(questionnaire=qn, position=n + 1, kind="single", text=SINGLE[0], choices=SINGLE[1]))
    rows += [
        Question(questionnaire=qn, position=n + 2 + i, kind="open", text=t, required=False) for i, t in enumerate(OPEN)
    ]
    Question.objects.bulk_create(rows)


def remove(apps, schema_editor):
    # Raw deletes: unapplying a chain of migrations, the deletion collector meets other apps' models
    # of another state ("Must be Questionnaire instance"); the shipped questionnaire has only its questions.
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    ids = list(Questionnaire.objects.filter(title=TITLE, owner=None).values_list("pk", flat=True))
    apps.get_model("surveys", "Question").objects.filter(questionnaire_id__in=ids)._raw_delete(schema_editor.connection.alias)
    Questionnaire.objects.filter(pk__in=ids)._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
