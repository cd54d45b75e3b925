from django.urls import path

from importer import views

app_name = "importer"

urlpatterns = [
    path("<int:partnership_pk>/", views.import_start, name="import-start"),
    path("<int:partnership_pk>/granska/<str:token>/", views.import_review, name="import-review"),
    path(
        "kalldokument/<int:pk>/",
        views.source_document_download,
        name="source-document-download",
    ),
]
