from django.urls import path

from bdtx.home import views

app_name = "home"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/<uuid:uuid>/", views.unit_detail, name="unit"),
    path("data-sources/", views.data_sources, name="data_sources"),
]
