"""URLs of the bieu3 app."""

from django.urls import URLPattern, URLResolver, path

from bdtx.bieu3 import views

app_name = "bieu3"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<uuid:uuid>/", views.report_detail, name="detail"),
    path("<uuid:uuid>/docx/", views.report_docx, name="docx"),
    path("<uuid:uuid>/delete/", views.report_delete, name="delete"),
]
