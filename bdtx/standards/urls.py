from django.urls import path

from bdtx.standards import views

app_name = "standards"
urlpatterns = [
    path("mine/", views.my_assessment, name="mine"),
    path("", views.assessment_list, name="list"),
]
