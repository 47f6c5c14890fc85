"""`mtqa batch` (issue 6): JSONL/CSV manifests, error records, resume, local processes and Ray."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtqa.batch import read_batch_manifest, run_batch
from mtqa.cli import main
from tests import fakes

EN = ["The cat sat on the mat. It was happy.\n\nThe weather is nice today.\n",
      "We went to Paris by train. The journey took three hours.\n",
      "Prices rose by 5% in March. Shops were busy.\n"]
FR = ["Le chat était assis sur le tapis. Il était content.\n\nIl fait beau aujourd'hui.\n",
      "Nous sommes allés à Paris en train. Le voyage a duré trois heures.\n",
      "Les prix ont augmenté de 5 % en mars. Les magasins étaient pleins.\n"]


def _files(tmp_path: Path) -> list[tuple[str, str]]:
    pairs = []
    for i, (s, t) in enumerate(zip(EN, FR, strict=True)):
        (tmp_path / f"s{i}.en").write_text(s)
        (tmp_path / f"t{i}.fr").write_text(t)
        pairs.append((f"s{i}.en", f"t{i}.fr"))
    return pairs


def _jsonl_manifest(tmp_path: Path) -> Path:
    rows = [{"source": s, "translation": t, "src_lang": "en", "tgt_lang": "fr"} for s, t in _files(tmp_path)]
    rows.insert(1, {"source": "missing.en", "translation": "t0.fr", "src_lang": "en", "tgt_lang": "fr"})
    m = tmp_path / "manifest.jsonl"
    m.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return m


def _cli(args, capsys):
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_jsonl_manifest_error_record_and_resume(tmp_path, capsys, monkeypatch, schema):
    import jsonschema

    fakes.install(monkeypatch)
    manifest = _jsonl_manifest(tmp_path)
    out = tmp_path / "results.jsonl"
    code, stdout, err = _cli(["batch", str(manifest), "-o", str(out), "--jobs", "1", "--profile", "fast"],
                             capsys)
    assert code == 0, err
    assert stdout == ""
    assert "4 rows: 3 scored, 1 errors, 0 already done" in err
    recs = _records(out)
    assert sorted(r["row"] for r in recs) == [0, 1, 2, 3]
    bad = next(r for r in recs if r["row"] == 1)
    assert bad["ok"] is False and "missing.en" in bad["error"] and "no such file" in bad["error"]
    for r in recs:
        if r["ok"]:
            jsonschema.validate(r["report"], schema)
            assert "timing" not in r["report"]
            assert r["report"]["source"]["path"] == r["source"]
    # restart: nothing to do
    code, _, err = _cli(["batch", str(manifest), "-o", str(out), "--jobs", "1", "--profile", "fast"], capsys)
    assert code == 0 and "4 already done" in err
    assert _records(out) == recs
    # a crash mid-write left a torn last line: it is cut and that row is scored again
    data = out.read_bytes()
    last_start = data.rstrip(b"\n").rfind(b"\n") + 1
    out.write_bytes(data[: last_start + 25])
    code, _, err = _cli(["batch", str(manifest), "-o", str(out), "--jobs", "1", "--profile", "fast"], capsys)
    assert code == 0 and "1 scored" in err and "3 already done" in err
    again = _records(out)
    assert sorted(r["row"] for r in again) == [0, 1, 2, 3]
    strip = lambda rs: sorted(({k: v for k, v in r.items() if k != "seconds"} for r in rs),  # noqa: E731
                              key=lambda r: r["row"])
    assert strip(again) == strip(recs)


def test_csv_manifest_relative_paths(tmp_path, monkeypatch):
    fakes.install(monkeypatch)
    pairs = _files(tmp_path)
    sub = tmp_path / "lists"
    sub.mkdir()
    m = sub / "m.csv"
    m.write_text("source,translation,src_lang,tgt_lang,reference\n"
                 + "".join(f"../{s},../{t},en,fr,\n" for s, t in pairs))
    rows = read_batch_manifest(str(m))
    assert [r["row"] for r in rows] == [0, 1, 2]
    assert rows[0]["source"] == str(tmp_path / "s0.en") and rows[0]["reference"] is None
    counts = run_batch(str(m), str(tmp_path / "out.jsonl"), jobs=1, options={"profile": "fast"})
    assert counts == {"rows": 3, "skipped": 0, "ok": 3, "errors": 0}


@pytest.mark.parametrize("content, needle", [
    ("source,translation\n", None),
    ("{not json}\n", "not a JSON object"),
    ('{"source": "a"}\n', "required"),
    ("a,b\nc,d\n", "header"),
])
def test_bad_manifests(tmp_path, capsys, content, needle):
    m = tmp_path / ("m.jsonl" if content.startswith("{") else "m.csv")
    m.write_text(content)
    code, _, err = _cli(["batch", str(m), "-o", str(tmp_path / "o.jsonl"), "--jobs", "1"], capsys)
    if needle is None:  # an empty manifest is fine: nothing to do
        assert code == 0 and "0 rows" in err
        return
    assert code == 2 and len(err.splitlines()) == 1 and needle in err and "Traceback" not in err


def test_process_pool_matches_in_process(tmp_path, monkeypatch):
    """--jobs 2 runs rows in worker processes (fork inherits the cheap encoder) with identical results."""
    fakes.install(monkeypatch)
    manifest = _jsonl_manifest(tmp_path)
    run_batch(str(manifest), str(tmp_path / "one.jsonl"), jobs=1, options={"profile": "fast"})
    run_batch(str(manifest), str(tmp_path / "two.jsonl"), jobs=2, options={"profile": "fast"})

    def norm(p):
        return sorted(({k: v for k, v in r.items() if k != "seconds"} for r in _records(p)),
                      key=lambda r: r["row"])

    assert norm(tmp_path / "one.jsonl") == norm(tmp_path / "two.jsonl")


@pytest.mark.models
@pytest.mark.slow
def test_ray_engine_matches_local(tmp_path):
    """Ray tasks run the same per-document function: identical records to the local engine."""
    ray = pytest.importorskip("ray")
    manifest = _jsonl_manifest(tmp_path)
    opts = {"profile": "fast"}
    run_batch(str(manifest), str(tmp_path / "local.jsonl"), jobs=1, options=opts)
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    try:
        counts = run_batch(str(manifest), str(tmp_path / "ray.jsonl"), engine="ray", jobs=1, options=opts)
    finally:
        ray.shutdown()
    assert counts["ok"] == 3 and counts["errors"] == 1

    def norm(p):
        return sorted(({k: v for k, v in r.items() if k != "seconds"} for r in _records(p)),
                      key=lambda r: r["row"])

    assert norm(tmp_path / "local.jsonl") == norm(tmp_path / "ray.jsonl")


def test_workers_share_out_the_cores():
    """One worker per 2 CPUs by default (its inference runs on all its threads), each with its share."""
    from mtqa.threads import default_workers, worker_threads

    assert [default_workers(c) for c in (1, 2, 3, 8)] == [1, 1, 1, 4]
    assert [worker_threads(w, 8) for w in (1, 2, 4, 16)] == [8, 4, 2, 1]
    assert worker_threads(2, 2) == 1
