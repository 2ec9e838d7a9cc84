from django.urls import path

from bdtx.regimes import views

app_name = "regimes"
urlpatterns = [
    path("", views.regime_list, name="list"),
    path("new/", views.regime_new, name="new"),
    path("<uuid:uuid>/edit/", views.regime_edit, name="edit"),
    path("hours/", views.hours, name="hours"),
]
