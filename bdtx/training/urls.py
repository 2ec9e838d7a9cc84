from django.urls import path

from bdtx.training import (
    attendance_views,
    completion_views,
    lms_views,
    phase_views,
    question_views,
    score_views,
    trainer_views,
    views,
)

app_name = "training"
urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("new/", views.cohort_new, name="new"),
    path("my-groups/", views.my_groups, name="my_groups"),
    path("<uuid:uuid>/", views.cohort_detail, name="detail"),
    path("<uuid:uuid>/edit/", views.cohort_edit, name="edit"),
    path("<uuid:uuid>/trainers/", views.trainer_add, name="trainer_add"),
    path("<uuid:uuid>/sessions/", views.session_add, name="session_add"),
    path("<uuid:uuid>/enrol/", views.cohort_enrol, name="enrol"),
    path("<uuid:uuid>/groups/", views.cohort_groups, name="groups"),
    path("enrolments/<uuid:uuid>/group/", views.enrolment_group, name="enrolment_group"),
    path("enrolments/<uuid:uuid>/move/", views.enrolment_move, name="enrolment_move"),
    path("enrolments/<uuid:uuid>/withdraw/", views.enrolment_withdraw, name="enrolment_withdraw"),
    path("sessions/<uuid:uuid>/attendance/", attendance_views.session_roster, name="attendance"),
    path("sessions/<uuid:uuid>/qr/", attendance_views.session_qr, name="attendance_qr"),
    path("sessions/<uuid:uuid>/qr.svg", attendance_views.session_qr_image, name="attendance_qr_image"),
    path("check-in/<str:token>/", attendance_views.check_in, name="check_in"),
    path("<uuid:uuid>/questions/", question_views.cohort_questions, name="questions"),
    path("questions/<uuid:uuid>/", question_views.question_detail, name="question"),
    path("questions/files/<uuid:uuid>/", question_views.question_file, name="question_file"),
    path("interactions/", question_views.interactions, name="interactions"),
    # LMS exchange
    path("lms-systems/", lms_views.lms_list, name="lms_list"),
    path("<uuid:uuid>/lms/", lms_views.cohort_lms, name="lms"),
    path("<uuid:uuid>/lms/accounts.xlsx", lms_views.accounts_export, {"fmt": "xlsx"}, name="lms_accounts_xlsx"),
    path("<uuid:uuid>/lms/accounts.csv", lms_views.accounts_export, {"fmt": "csv"}, name="lms_accounts_csv"),
    # three-way completion
    path("<uuid:uuid>/completion/", completion_views.cohort_completion, name="completion"),
    path("completion-lists/", completion_views.completion_lists, name="completion_lists"),
    path("completion-lists/<uuid:uuid>/", completion_views.completion_list, name="completion_list"),
    path("evidence/", completion_views.evidence_list, name="evidence"),
    path("enrolments/<uuid:uuid>/evidence/", completion_views.evidence_add, name="evidence_add"),
    path("evidence/files/<uuid:uuid>/", completion_views.evidence_file, name="evidence_file"),
    # scores and practice work
    path("<uuid:uuid>/scores/", score_views.cohort_scores, name="scores"),
    path("<uuid:uuid>/scores/components/", score_views.score_components, name="score_components"),
    path("<uuid:uuid>/scores/import/", score_views.scores_import, name="scores_import"),
    path("<uuid:uuid>/scores/template.xlsx", score_views.scores_template, name="scores_template"),
    path("enrolments/<uuid:uuid>/practice/", score_views.practice, name="practice"),
    path("practice/files/<uuid:uuid>/", score_views.practice_file, name="practice_file"),
    # a schedule entered by hand
    path("<uuid:uuid>/phases/", phase_views.phase_add, name="phase_add"),
    path("<uuid:uuid>/phases/<int:position>/remove/", phase_views.phase_remove, name="phase_remove"),
    # LMS administration
    path("lms-systems/<uuid:uuid>/deactivate/", lms_views.lms_deactivate, name="lms_deactivate"),
    path("lms-systems/<uuid:uuid>/activate/", lms_views.lms_activate, name="lms_activate"),
    path("lms-systems/<uuid:uuid>/rotate/", lms_views.lms_rotate, name="lms_rotate"),
    # trainers
    path("<uuid:uuid>/trainers/people/", trainer_views.trainer_people, name="trainer_people"),
    path("my-sessions/", trainer_views.my_sessions, name="my_sessions"),
]
