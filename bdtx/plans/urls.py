from django.urls import path

from bdtx.plans.deadlines import views as deadline_views
from bdtx.plans.personal import views
from bdtx.plans.unit import views as unit_views

app_name = "plans"
urlpatterns = [
    path("mine/", views.my_plan, name="mine"),
    path("mine/start/", views.my_plan_start, name="start"),
    path("", views.plan_list, name="list"),
    path("board/", unit_views.board, name="board"),
    path("unit-plans/<uuid:uuid>/", unit_views.unit_plan_detail, name="unit_plan"),
    path("unit-plans/<uuid:uuid>/submit/", unit_views.unit_plan_submit, name="unit_plan_submit"),
    path("unit-plans/<uuid:uuid>/decide/", unit_views.unit_plan_decide, name="unit_plan_decide"),
    path("unit-plans/<uuid:uuid>/ke-hoach.docx", unit_views.unit_plan_docx, name="unit_plan_docx"),
    path("units/<uuid:uuid>/<int:year>/", unit_views.unit_plan_of, name="unit_plan_of"),
    path("units/<uuid:uuid>/compile/", unit_views.unit_plan_compile, name="unit_plan_compile"),
    path("units/<uuid:uuid>/participants.xlsx", unit_views.unit_participants_xlsx, name="unit_participants"),
    path("deadlines/", deadline_views.deadline_list, name="deadlines"),
    path("deadlines/<uuid:uuid>/delete/", deadline_views.deadline_delete, name="deadline_delete"),
    path("<uuid:uuid>/", views.plan_detail, name="detail"),
    path("<uuid:uuid>/modules/", views.plan_modules, name="modules"),
    path("<uuid:uuid>/modules/add/", views.plan_module_add, name="module_add"),
    path("<uuid:uuid>/items/update/", views.plan_item_update, name="item_update"),
    path("<uuid:uuid>/items/remove/", views.plan_item_remove, name="item_remove"),
    path("<uuid:uuid>/submit/", views.plan_submit, name="submit"),
    path("<uuid:uuid>/decide/", views.plan_decide, name="decide"),
]
