from django.urls import path

from . import views

app_name = "coordination"
urlpatterns = [
    path("partnerships/<int:pk>/", views.partnership_coordination, name="partnership"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework_detail"),
    path("frameworks/<int:pk>/calendar.ics", views.framework_calendar, name="framework_calendar"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/register/", views.meeting_register, name="meeting_register"),
    path("calendar/", views.my_calendar, name="my_calendar"),
    path("calendar/<str:token>.ics", views.person_calendar, name="person_calendar"),
]
