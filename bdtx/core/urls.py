from django.urls import path

from bdtx.core import views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_list, name="audit"),
]
