from django.urls import path

from .views import (
    actors,
    documents,
    history,
    lists,
    partnerships,
    programmes,
    projects,
    replications,
    translations,
)

app_name = "registry"
urlpatterns = [
    path("partnerships/", lists.partnership_list, name="partnership_list"),
    path("partnerships/new/", partnerships.partnership_create, name="partnership_create"),
    path("partnerships/deleted/", partnerships.deleted_partnerships, name="deleted_partnerships"),
    path("partnerships/<int:pk>/", partnerships.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/edit/", partnerships.partnership_edit, name="partnership_edit"),
    path(
        "partnerships/<int:pk>/delete/", partnerships.partnership_delete, name="partnership_delete"
    ),
    path(
        "partnerships/<int:pk>/restore/",
        partnerships.partnership_restore,
        name="partnership_restore",
    ),
    path("partnerships/<int:pk>/history/", history.partnership_history, name="partnership_history"),
    path("partnerships/<int:pk>/projects/new/", projects.project_create, name="project_create"),
    path(
        "partnerships/<int:pk>/programmes/new/",
        programmes.programme_create,
        name="programme_create",
    ),
    path("partnerships/<int:pk>/documents/new/", documents.document_add, name="document_add"),
    path("programmes/<int:pk>/edit/", programmes.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/budget-lines/", programmes.budget_line_add, name="budget_line_add"),
    path(
        "programmes/<int:pk>/budget-lines/<int:line_pk>/delete/",
        programmes.budget_line_delete,
        name="budget_line_delete",
    ),
    path("documents/<int:pk>/download/", documents.document_download, name="document_download"),
    path("documents/<int:pk>/delete/", documents.document_delete, name="document_delete"),
    path("projects/", lists.project_list, name="project_list"),
    path("projects/funding-row/", projects.funding_row, name="funding_row"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/delete/", projects.project_delete, name="project_delete"),
    path("projects/<int:pk>/restore/", projects.project_restore, name="project_restore"),
    path("projects/<int:pk>/roles/", actors.project_role_add, name="project_role_add"),
    path(
        "projects/<int:pk>/roles/<int:role_pk>/delete/",
        actors.project_role_remove,
        name="project_role_remove",
    ),
    path("projects/<int:pk>/replications/", replications.replication_add, name="replication_add"),
    path(
        "projects/<int:pk>/replications/<int:link_pk>/delete/",
        replications.replication_remove,
        name="replication_remove",
    ),
]

# translations of a partnership's or a project's texts
for _kind in ("partnership", "project"):
    urlpatterns += [
        path(
            f"{_kind}s/<int:pk>/translations/new/",
            translations.translation_edit,
            {"kind": _kind},
            name=f"{_kind}_translation_add",
        ),
        path(
            f"{_kind}s/<int:pk>/translations/<str:language>/",
            translations.translation_edit,
            {"kind": _kind},
            name=f"{_kind}_translation_edit",
        ),
        path(
            f"{_kind}s/<int:pk>/translations/<str:language>/check/",
            translations.translation_check,
            {"kind": _kind},
            name=f"{_kind}_translation_check",
        ),
    ]
