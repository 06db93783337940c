"""The broker of the embedded default: Kombu's filesystem transport, one file per message.

It needs no server, so ``make run`` (``manage.py serve``) hands reports to a real worker through
the same Celery path as production. Every process of the machine that names ``filesystem://``
reads and writes the same folder; Kombu does not create it, so this does.
"""

from pathlib import Path


def filesystem_transport_options(folder: Path) -> dict:
    """The transport's options for messages kept under ``folder``, its folders created."""
    messages = folder / "messages"
    control = folder / "control"
    for path in (messages, control):
        path.mkdir(parents=True, exist_ok=True)
    return {
        # The web process publishes to the folder the worker reads: one folder serves both.
        "data_folder_in": str(messages),
        "data_folder_out": str(messages),
        # The worker's remote-control bindings (Celery's pidbox).
        "control_folder": str(control),
        # A delivered message is deleted; kept, the sweeper's every minute would pile up.
        "store_processed": False,
        # Seconds between looks at an empty folder: a request starts rendering within this.
        "polling_interval": 0.25,
    }
