from django.urls import path

from bdtx.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/<slug:kind>/", views.import_new, name="new"),
    path("new/<slug:kind>/template.xlsx", views.import_template, name="template"),
    path("<uuid:uuid>/", views.import_detail, name="detail"),
    path("<uuid:uuid>/progress/", views.import_progress, name="progress"),
    path("<uuid:uuid>/confirm/", views.import_confirm, name="confirm"),
    path("<uuid:uuid>/file/", views.import_file, name="file"),
    path("<uuid:uuid>/errors.xlsx", views.import_errors, name="errors"),
]
