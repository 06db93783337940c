"""The documented import order (docs/architecture.md) holds, so that it cannot drift.

The contracts live in ``.importlinter``; imports inside functions count like any other.
"""

import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from django.conf import settings
from importlinter import configuration
from importlinter.application.use_cases import read_user_options
from importlinter.contracts.layers import LayersContract

CONFIG = Path(settings.BASE_DIR) / ".importlinter"


@pytest.fixture(scope="module")
def options():
    configuration.configure()
    return read_user_options(config_filename=str(CONFIG))


@pytest.fixture
def graph(options):
    return grimp.build_graph(*options.session_options["root_packages"], cache_dir=None)


def layers_kept(options, graph) -> bool:
    contract_options = next(c for c in options.contracts_options if c["type"] == "layers")
    contract = LayersContract(
        name=contract_options["name"],
        session_options=options.session_options,
        contract_options=contract_options,
    )
    return contract.check(graph, verbose=False).kept


def test_every_import_contract_is_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--config", str(CONFIG), "--no-cache"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_layers_contract_holds_today(options, graph):
    assert layers_kept(options, graph)


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("sites.models", "reports.metrics"),
        ("accounts.rules", "sites.models"),
        ("events.services", "evidence.models"),
        ("car_programme.dates", "inquiries.models"),
        ("reports.metrics", "programme_data.loading"),
        ("sites.selectors", "api.viewsets"),
        ("api.views.sites", "programme_data.loading"),
    ],
)
def test_an_import_against_the_order_breaks_the_contract(options, graph, importer, imported):
    graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")

    assert not layers_kept(options, graph)


def cross_app_cycles(graph) -> list[tuple[str, str]]:
    """The imports from a module of one app to a module of another that leads back to it."""
    return [
        (importer, imported)
        for importer in sorted(graph.modules)
        for imported in sorted(graph.find_modules_directly_imported_by(importer))
        if importer.split(".")[0] != imported.split(".")[0]
        and graph.chain_exists(importer=imported, imported=importer)
    ]


def test_no_import_cycle_crosses_apps(graph):
    assert cross_app_cycles(graph) == []


def test_an_import_back_into_an_app_is_a_cycle(graph):
    graph.add_import(
        importer="car_programme.revisions",
        imported="sites.models",
        line_number=1,
        line_contents="import",
    )

    assert ("sites.models", "car_programme.revisions") in cross_app_cycles(graph)
