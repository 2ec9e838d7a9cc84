from django.urls import path

from bdtx.plans import views

app_name = "plans"
urlpatterns = [
    path("mine/", views.my_plan, name="mine"),
    path("", views.plan_list, name="list"),
    path("board/", views.board, name="board"),
]
