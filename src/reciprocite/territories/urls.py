from django.urls import path

from . import views

app_name = "territories"
urlpatterns = [
    path("", views.territory_list, name="territory_list"),
    path("new/", views.territory_create, name="territory_create"),
    path("<int:pk>/", views.territory_detail, name="territory_detail"),
    path("<int:pk>/edit/", views.territory_edit, name="territory_edit"),
]
