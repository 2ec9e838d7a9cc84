from django.urls import path

from bdtx.catalog import views

app_name = "catalog"
urlpatterns = [
    path("modules/", views.module_list, name="modules"),
    path("content/", views.content_list, name="content"),
]
