from django.urls import path

from bdtx.standards import views

app_name = "standards"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("export.xlsx", views.assessment_export, name="export"),
    path("mine/", views.my_assessment, name="mine"),
    path("preview/", views.rating_preview, name="preview"),
    path("<uuid:uuid>/", views.assessment_detail, name="detail"),
    path("<uuid:uuid>/evaluate/", views.assessment_evaluate, name="evaluate"),
    path("<uuid:uuid>/opinion/", views.opinion_add, name="opinion"),
    path("<uuid:uuid>/evidence/<int:criterion>/", views.evidence_file, name="evidence"),
]
