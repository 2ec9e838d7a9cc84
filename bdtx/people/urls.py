from django.urls import path

from bdtx.people import views

app_name = "people"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("export.xlsx", views.staff_export, name="export"),
    path("new/", views.person_new, name="new"),
    path("find/", views.find_by_personal_id, name="find"),
    path("<uuid:uuid>/", views.person_detail, name="detail"),
    path("<uuid:uuid>/edit/", views.person_edit, name="edit"),
    path("<uuid:uuid>/transfer/", views.person_transfer, name="transfer"),
]
