"""URLs of the certificates app."""

from django.urls import URLPattern, URLResolver, path

from bdtx.certificates import views

app_name = "certificates"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.certificate_list, name="list"),
    path("issue/", views.issue_start, name="issue"),
    path("mine/", views.certificate_mine, name="mine"),
    path("jobs/<uuid:uuid>/", views.job_detail, name="job"),
    path("jobs/<uuid:uuid>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<uuid:uuid>/certificates.pdf", views.job_file, {"kind": "pdf"}, name="job_pdf"),
    path("jobs/<uuid:uuid>/certificates.zip", views.job_file, {"kind": "zip"}, name="job_zip"),
    path("<uuid:uuid>/", views.certificate_detail, name="detail"),
    path("<uuid:uuid>/certificate.pdf", views.certificate_pdf, name="pdf"),
    path("<uuid:uuid>/credential.json", views.certificate_credential, name="credential"),
    path("<uuid:uuid>/revoke/", views.certificate_revoke, name="revoke"),
    path("issuers/<uuid:uuid>/background/", views.issuer_background, name="issuer_background"),
    path("verify/<str:token>/", views.verify, name="verify"),
]
