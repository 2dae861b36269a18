"""The ops commands find each service's documents in its layered or its flat layout."""

from __future__ import annotations

import sys

import pytest

from meridian_ops import services


@pytest.fixture
def packages(tmp_path, monkeypatch):
    """Write packages under tmp_path (path -> source) and make them importable."""
    monkeypatch.syspath_prepend(str(tmp_path))

    def write(files: dict[str, str]) -> None:
        for path, source in files.items():
            target = tmp_path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source)

    yield write
    for name in [m for m in sys.modules if m.startswith("meridian_probe")]:
        del sys.modules[name]


def test_the_layered_documents_module_wins_over_the_flat_one(packages):
    packages({"meridian_probelayered/__init__.py": "",
              "meridian_probelayered/adapters/__init__.py": "",
              "meridian_probelayered/adapters/documents.py": "ALL_DOCUMENTS = ('layered',)\n",
              "meridian_probelayered/models.py": "ALL_DOCUMENTS = ('flat',)\n"})
    assert services.documents("probelayered") == ["layered"]


def test_a_flat_service_is_still_found(packages):
    packages({"meridian_probeflat/__init__.py": "",
              "meridian_probeflat/models.py": "ALL_DOCUMENTS = ('flat',)\n"})
    assert services.documents("probeflat") == ["flat"]


def test_a_missing_service_is_reported_and_a_broken_one_raises(packages):
    with pytest.raises(services.ServiceMissing):
        services.documents("probeabsent")
    packages({"meridian_probebroken/__init__.py": "",
              "meridian_probebroken/models.py": "import meridian_no_such_dependency\n"})
    with pytest.raises(ModuleNotFoundError, match="meridian_no_such_dependency"):
        services.documents("probebroken")
