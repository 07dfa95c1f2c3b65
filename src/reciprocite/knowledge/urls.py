from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("sheets/new/", views.sheet_create, name="sheet_create"),
    path("sheets/mine/", views.my_sheets, name="my_sheets"),
    path("review/", views.review_queue, name="review_queue"),
    path("import/", views.sheet_import, name="sheet_import"),
    path("sheets/<str:ref>/", views.sheet_detail, name="sheet_detail"),
    path("sheets/<str:ref>/compare/", views.sheet_compare, name="sheet_compare"),
    path("sheets/<str:ref>/edit/", views.sheet_edit, name="sheet_edit"),
    path("sheets/<str:ref>/workflow/", views.sheet_workflow, name="sheet_workflow"),
    path("sheets/<str:ref>/history/", views.sheet_history, name="sheet_history"),
    path("sheets/<str:ref>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("tools/", views.tool_list, name="tool_list"),
    path("tools/new/", views.tool_create, name="tool_create"),
    path("tools/<str:ref>/", views.tool_detail, name="tool_detail"),
    path("tools/<str:ref>/edit/", views.tool_edit, name="tool_edit"),
    path("tools/<str:ref>/files/", views.tool_file_add, name="tool_file_add"),
    path("tool-files/<int:pk>/delete/", views.tool_file_delete, name="tool_file_delete"),
    path("tool-files/<int:pk>/download/", views.tool_file_download, name="tool_file_download"),
]
