from django.urls import path

from . import report_views, views

app_name = "panorama"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/<slug:key>.svg", views.chart_svg, name="chart_svg"),
    path("charts/<slug:key>.csv", views.chart_csv, name="chart_csv"),
    path("maps/<slug:key>.svg", views.map_svg, name="map_svg"),
    path("maps/<slug:key>.csv", views.map_csv, name="map_csv"),
    # the report (PDF), started in the background: panorama/report_views.py
    path("report/", report_views.report_start, name="report"),
]
