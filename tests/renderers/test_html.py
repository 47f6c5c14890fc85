"""The HTML report: structure, escaping of hostile text, and a look in headless Chromium."""

from __future__ import annotations

import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mtqa.renderers.html import render_html
from mtqa.report import Issue

HOSTILE_EN = """The mayor opened the new bridge on Monday. \
<script>window.__pwned = 1; document.title = "pwned"</script>

A photo <img src=x onerror="window.__pwned = 2; document.body.setAttribute('data-pwned', '1')"> shows \
the bridge, and a <a href="javascript:window.__pwned=3">link</a> leads to the plan.

The bridge closes </textarea><script>window.__pwned = 4</script> at night <svg onload="window.__pwned=5">.
"""
HOSTILE_FR = """Le maire a inauguré le nouveau pont lundi.

Une photo montre le pont, et un lien mène au plan.

Le pont ferme la nuit.
"""
PAYLOAD = "<script>"


class _DOM(HTMLParser):
    """Tags, attributes, marks and CSP of a page, as a browser's parser would see the markup."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _dom(page: str) -> _DOM:
    d = _DOM()
    d.feed(page)
    d.close()
    return d


def _expected_marks(report) -> set[int]:
    """Issues the page must highlight: those with offsets or a segment."""
    return {k for k, i in enumerate(report.issues) if i.target_start is not None or i.segment is not None}


def _marked(dom: _DOM) -> set[int]:
    out: set[int] = set()
    for tag, attrs in dom.tags:
        if tag == "mark" and "data-issues" in attrs:
            out.update(int(x) for x in attrs["data-issues"].split())
    return out


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    """A real run over a translation full of markup, with hostile issue messages, paths and entities."""
    from mtqa.checks import CHECKS, check, load_checks
    from mtqa.pipeline import Options, run

    load_checks()

    @check("test-payload", issue_type="fluency", mqm="fluency/markup")
    def _payload(ctx):
        """Test only: flags every '<script>' in the translation."""
        for sent in ctx.target.sentences:
            pos = sent.text.find(PAYLOAD)
            while pos >= 0:
                yield Issue(type="fluency", severity="critical",
                            message='markup <img src=x onerror="window.__pwned=6"> "quoted" & more',
                            target_paragraph=sent.paragraph, target_start=sent.start + pos,
                            target_end=sent.start + pos + len(PAYLOAD), evidence=["</textarea><script>"])
                pos = sent.text.find(PAYLOAD, pos + 1)

    d = tmp_path_factory.mktemp("hostile")
    (d / "fr.txt").write_text(HOSTILE_FR, encoding="utf-8")
    (d / "en.txt").write_text(HOSTILE_EN, encoding="utf-8")
    try:
        report = run(str(d / "fr.txt"), str(d / "en.txt"),
                     Options(src_lang="fr", tgt_lang="en", profile="fast"))
    finally:
        CHECKS.pop("test-payload", None)
    report.translation.path = '"><script>window.__pwned=8</script>.txt'
    report.entities = [{"source": "<script>window.__pwned=9</script>",
                        "type": 'x" onmouseover="window.__pwned=10',
                        "renderings": [{"text": "<b>bold</b>", "paragraphs": [1]}]}]
    return report


@pytest.mark.models
def test_seed_page_structure(seed_report_fast):
    page = render_html(seed_report_fast)
    dom = _dom(page)
    metas = [a for t, a in dom.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(metas) == 1 and "default-src 'none'" in metas[0]["content"]
    assert "script-src 'none'" in metas[0]["content"]
    assert not [t for t, _ in dom.tags if t == "script"]
    assert _expected_marks(seed_report_fast) <= _marked(dom)
    segments = seed_report_fast.segments
    assert len([1 for t, a in dom.tags if t == "tr" and a.get("class") == "seg"]) == len(segments)
    assert len([1 for t, _ in dom.tags if t == "meter"]) >= sum(s.score is not None for s in segments)
    assert f"verdict-{seed_report_fast.verdict}" in page
    if seed_report_fast.entities:
        assert 'class="entities"' in page
    # a highlighted span is exactly the flagged text of the file
    text = Path(seed_report_fast.translation.path).read_text(encoding="utf-8")
    for issue in seed_report_fast.issues:
        if issue.target_start is not None and issue.target_end > issue.target_start:
            assert f">{_esc(text[issue.target_start:issue.target_end])}</mark>" in page


def _esc(s: str) -> str:
    import html

    return html.escape(s, quote=True)


@pytest.mark.models
def test_hostile_text_is_escaped(hostile_report):
    page = render_html(hostile_report)
    dom = _dom(page)
    tags = [t for t, _ in dom.tags]
    assert "script" not in tags and "img" not in tags and "svg" not in tags and "textarea" not in tags
    for tag, attrs in dom.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert not str(attrs.get("href", "")).lower().startswith("javascript:")
    assert "document.title = &quot;pwned&quot;&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;window.__pwned = " in page
    assert "&lt;b&gt;bold&lt;/b&gt; (¶1)" in page  # the entity table, escaped
    assert "&lt;/textarea&gt;" in page
    flagged = [k for k, i in enumerate(hostile_report.issues)
               if i.type == "fluency" and i.evidence[0].startswith("</")]
    assert len(flagged) == 2 and set(flagged) <= _marked(dom)


def _chromium():
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.skip("chromium / chromedriver not installed (see .ci/setup-chromium)")
    pytest.importorskip("selenium")
    return browser, driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    browser_bin, driver_bin = _chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_AVOID_STATS", "true")
    opts = Options()
    opts.binary_location = browser_bin
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--window-size=1280,1600"):
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    try:
        drv = webdriver.Chrome(service=Service(executable_path=driver_bin), options=opts)
    except Exception as exc:  # noqa: BLE001 - a browser that cannot start here is an environment problem
        pytest.skip(f"headless chromium did not start: {exc}")
    yield drv
    drv.quit()


def _save_screenshot(drv, path: Path) -> None:
    drv.save_screenshot(str(path))
    assert path.stat().st_size > 1000 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    keep = os.environ.get("MTQA_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


@pytest.mark.models
def test_seed_page_in_chromium(browser, seed_report_fast, tmp_path):
    page = tmp_path / "seed.html"
    page.write_text(render_html(seed_report_fast), encoding="utf-8")
    browser.get(page.as_uri())
    marked = browser.execute_script(
        "return Array.from(document.querySelectorAll('mark.issue[data-issues]'))"
        ".flatMap(m => m.dataset.issues.split(' ').map(Number));")
    assert _expected_marks(seed_report_fast) <= set(marked)
    titles = browser.execute_script(
        "return Array.from(document.querySelectorAll('mark.issue')).map(m => m.title);")
    assert all(titles)
    colour = browser.execute_script(
        "const m = document.querySelector('mark.issue');"
        " return m ? getComputedStyle(m).backgroundColor : null;")
    assert colour is None or colour not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 0)")  # our stylesheet applied
    rows = browser.execute_script("return document.querySelectorAll('tr.seg').length;")
    assert rows == len(seed_report_fast.segments)
    verdict = browser.execute_script("return document.getElementById('verdict').textContent;")
    assert verdict == seed_report_fast.verdict
    _save_screenshot(browser, tmp_path / "seed-report.png")


@pytest.mark.models
def test_hostile_page_runs_no_script_in_chromium(browser, hostile_report, tmp_path):
    page = tmp_path / "hostile.html"
    page.write_text(render_html(hostile_report), encoding="utf-8")
    browser.get(page.as_uri())
    state = browser.execute_script(
        "return {pwned: typeof window.__pwned, title: document.title,"
        " scripts: document.scripts.length,"
        " active: document.querySelectorAll("
        "'img,svg,iframe,textarea,[onerror],[onload],[onmouseover]').length,"
        " jslinks: document.querySelectorAll('a[href^=\"javascript:\" i]').length,"
        " flag: document.body.getAttribute('data-pwned'), text: document.body.textContent};")
    assert state["pwned"] == "undefined"
    assert state["title"] != "pwned" and state["scripts"] == 0 and state["active"] == 0
    assert state["jslinks"] == 0 and state["flag"] is None
    assert "</textarea><script>window.__pwned = 4</script>" in state["text"]  # shown as text
    _save_screenshot(browser, tmp_path / "hostile-report.png")
