"""URLs of the records app."""

from django.urls import URLPattern, URLResolver, path

from bdtx.records import views

app_name = "records"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<uuid:uuid>/", views.record_detail, name="detail"),
    path("<uuid:uuid>/pdf/", views.record_pdf_download, name="pdf"),
]
