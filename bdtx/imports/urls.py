from django.urls import path
from django.views.generic import RedirectView

from bdtx.imports import views

app_name = "imports"
# The unnamed paths are the addresses of before one pipeline served every kind: they redirect.
urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", RedirectView.as_view(pattern_name="imports:new", query_string=True), {"kind": "staff"}),
    path("new/<slug:kind>/", views.import_new, name="new"),
    path("new/<slug:kind>/template.xlsx", views.import_template, name="template"),
    path("template.xlsx", RedirectView.as_view(pattern_name="imports:template"), {"kind": "staff"}),
    path("<uuid:uuid>/", views.import_detail, name="detail"),
    path("<uuid:uuid>/progress/", views.import_progress, name="progress"),
    path("<uuid:uuid>/confirm/", views.import_confirm, name="confirm"),
    path("<uuid:uuid>/retry/", views.import_retry, name="retry"),
    path("<uuid:uuid>/file/", views.import_file, name="file"),
    path("<uuid:uuid>/errors.xlsx", views.import_errors, name="errors"),
]
