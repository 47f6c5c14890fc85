"""notebooks/seed_walkthrough.ipynb runs top to bottom (nbclient) and is committed without outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "seed_walkthrough.ipynb"


def test_notebook_is_stripped():
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "strip the notebook's outputs"


@pytest.mark.models
def test_notebook_executes(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "document score" in text and "verdict" in text
    assert any("image/png" in o.get("data", {}) for o in outputs), "the score plot is missing"
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "<table>" in html or "no entity table" in text
    assert "entity-inconsistency" in text or "no entity table" in text
