"""URLs of the yearreports app (under /reports/year/)."""

from django.urls import URLPattern, URLResolver, path

from bdtx.yearreports import views

app_name = "yearreports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.board, name="board"),
    path("units/<uuid:uuid>/<int:year>/", views.report, name="report"),
    path("units/<uuid:uuid>/<int:year>/file/", views.report_file, name="file"),
    path("units/<uuid:uuid>/<int:year>/decide/", views.report_decide, name="decide"),
    path("units/<uuid:uuid>/<int:year>/bao-cao-ket-qua-bdtx.xlsx", views.report_xlsx, name="xlsx"),
    path("units/<uuid:uuid>/<int:year>/bao-cao-ket-qua-bdtx.docx", views.report_docx, name="docx"),
]
