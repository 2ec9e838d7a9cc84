from django.urls import path

from bdtx.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("cohorts/<uuid:uuid>/attach/", views.survey_attach, name="attach"),
    path("modules/attach/", views.survey_attach_module, name="attach_module"),
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/new/", views.questionnaire_create, name="questionnaire_create"),
    path("questionnaires/<uuid:uuid>/", views.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<uuid:uuid>/edit/", views.questionnaire_edit, name="questionnaire_edit"),
    path("<uuid:uuid>/", views.survey_tracking, name="tracking"),
    path("<uuid:uuid>/remind/", views.survey_remind, name="remind"),
    path("<uuid:uuid>/results/", views.survey_results, name="results"),
    path("<uuid:uuid>/results.xlsx", views.survey_results_export, name="export"),
    path("<uuid:uuid>/answer/", views.survey_answer, name="answer"),
]
