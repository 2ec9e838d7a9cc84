from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from bdtx.api import views
from bdtx.training.xapi import XapiStatements

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/units/", views.UnitList.as_view(), name="units"),
    path("v1/units/<uuid:uuid>/", views.UnitDetail.as_view(), name="unit"),
    path("v1/staff/", views.StaffList.as_view(), name="staff"),
    path("v1/xapi/statements", login_not_required(XapiStatements.as_view()), name="xapi_statements"),
]
