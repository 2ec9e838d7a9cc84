from django.urls import path

from bdtx.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("cohorts/<uuid:uuid>/attach/", views.survey_attach, name="attach"),
    path("<uuid:uuid>/", views.survey_tracking, name="tracking"),
    path("<uuid:uuid>/remind/", views.survey_remind, name="remind"),
    path("<uuid:uuid>/results/", views.survey_results, name="results"),
    path("<uuid:uuid>/results.xlsx", views.survey_results_export, name="export"),
    path("<uuid:uuid>/answer/", views.survey_answer, name="answer"),
]
