"""The usual pages of one kind of record, routed, named and written alike in every app."""

from types import ModuleType

from django.urls import URLPattern, path

# Each page's route below the record's prefix (any other page acts on one record:
# ``<int:pk>/<page>/``); its URL name is ``<name>_<page>``.
PAGES = {
    "list": "",
    "create": "new/",
    "detail": "<int:pk>/",
    "update": "<int:pk>/edit/",
    "history": "<int:pk>/history/",
    "delete": "<int:pk>/delete/",
    "download": "<int:pk>/file/",
}


def record_paths(
    prefix: str, name: str, views: ModuleType, model: str, pages: tuple = (), **made
) -> list[URLPattern]:
    """``<prefix>/<page route>`` for each page, named ``<name>_<page>``.

    A page of ``pages`` is served by the view its name gives in ``views``,
    ``<model><Page>View``; one of ``made`` by the view given (a class, or one made by
    ``as_view``). So ``record_paths("outputs", "output", views, "Output", ("list", "detail"))``
    routes ``outputs/`` to ``views.OutputListView`` as ``output_list``.
    """
    found = {page: getattr(views, f"{model}{page.title()}View") for page in pages}
    return [
        path(
            f"{prefix}/{PAGES.get(page, f'<int:pk>/{page}/')}",
            view.as_view() if isinstance(view, type) else view,
            name=f"{name}_{page}",
        )
        for page, view in (found | made).items()
    ]
