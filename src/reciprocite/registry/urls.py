from django.urls import path

from . import translation_views, views

app_name = "registry"
urlpatterns = [
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("partnerships/new/", views.partnership_create, name="partnership_create"),
    path("partnerships/deleted/", views.deleted_partnerships, name="deleted_partnerships"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/edit/", views.partnership_edit, name="partnership_edit"),
    path("partnerships/<int:pk>/delete/", views.partnership_delete, name="partnership_delete"),
    path("partnerships/<int:pk>/restore/", views.partnership_restore, name="partnership_restore"),
    path("partnerships/<int:pk>/history/", views.partnership_history, name="partnership_history"),
    path("partnerships/<int:pk>/projects/new/", views.project_create, name="project_create"),
    path("partnerships/<int:pk>/programmes/new/", views.programme_create, name="programme_create"),
    path("partnerships/<int:pk>/documents/new/", views.document_add, name="document_add"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/budget-lines/", views.budget_line_add, name="budget_line_add"),
    path(
        "programmes/<int:pk>/budget-lines/<int:line_pk>/delete/",
        views.budget_line_delete,
        name="budget_line_delete",
    ),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/funding-row/", views.funding_row, name="funding_row"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/delete/", views.project_delete, name="project_delete"),
    path("projects/<int:pk>/restore/", views.project_restore, name="project_restore"),
    path("projects/<int:pk>/roles/", views.project_role_add, name="project_role_add"),
    path(
        "projects/<int:pk>/roles/<int:role_pk>/delete/",
        views.project_role_remove,
        name="project_role_remove",
    ),
    path("projects/<int:pk>/replications/", views.replication_add, name="replication_add"),
    path(
        "projects/<int:pk>/replications/<int:link_pk>/delete/",
        views.replication_remove,
        name="replication_remove",
    ),
]

# translations of a partnership's or a project's texts
for _kind in ("partnership", "project"):
    urlpatterns += [
        path(
            f"{_kind}s/<int:pk>/translations/new/",
            translation_views.translation_edit,
            {"kind": _kind},
            name=f"{_kind}_translation_add",
        ),
        path(
            f"{_kind}s/<int:pk>/translations/<str:language>/",
            translation_views.translation_edit,
            {"kind": _kind},
            name=f"{_kind}_translation_edit",
        ),
        path(
            f"{_kind}s/<int:pk>/translations/<str:language>/check/",
            translation_views.translation_check,
            {"kind": _kind},
            name=f"{_kind}_translation_check",
        ),
    ]
