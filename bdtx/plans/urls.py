from django.urls import path

from bdtx.plans import unit_views, views

app_name = "plans"
urlpatterns = [
    path("mine/", views.my_plan, name="mine"),
    path("", views.plan_list, name="list"),
    path("board/", unit_views.board, name="board"),
    path("unit-plans/<uuid:uuid>/", unit_views.unit_plan_detail, name="unit_plan"),
    path("unit-plans/<uuid:uuid>/submit/", unit_views.unit_plan_submit, name="unit_plan_submit"),
    path("unit-plans/<uuid:uuid>/decide/", unit_views.unit_plan_decide, name="unit_plan_decide"),
    path("unit-plans/<uuid:uuid>/ke-hoach.docx", unit_views.unit_plan_docx, name="unit_plan_docx"),
    path("units/<uuid:uuid>/<int:year>/", unit_views.unit_plan_of, name="unit_plan_of"),
    path("units/<uuid:uuid>/compile/", unit_views.unit_plan_compile, name="unit_plan_compile"),
    path("units/<uuid:uuid>/participants.xlsx", unit_views.unit_participants_xlsx, name="unit_participants"),
]
