"""The usual pages of one kind of record, routed and named alike in every app."""

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


def record_paths(prefix: str, name: str, **views) -> list[URLPattern]:
    """``<prefix>/<page route>`` for each page given (a view class, or a view already made by
    ``as_view``), named ``<name>_<page>``: ``record_paths("outputs", "output",
    list=OutputListView, detail=OutputDetailView)`` routes ``outputs/`` as ``output_list`` and
    ``outputs/<pk>/`` as ``output_detail``."""
    return [
        path(
            f"{prefix}/{PAGES.get(page, f'<int:pk>/{page}/')}",
            view.as_view() if isinstance(view, type) else view,
            name=f"{name}_{page}",
        )
        for page, view in views.items()
    ]
