from django.urls import path

from bdtx.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("unread/", views.notification_unread, name="unread"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("settings/", views.notification_settings, name="settings"),
    path("<uuid:uuid>/", views.notification_open, name="open"),
    path("<uuid:uuid>/read/", views.notification_read, name="read"),
]
