"""The explorer's widgets: the figure follows the term and the groups, in Python and in a real browser.

The browser test drives JupyterLab with Playwright on Debian's Chromium (``/usr/bin/chromium``; Playwright
never downloads a browser here). It is marked ``browser`` and skips cleanly where Chromium or playwright is
missing. It saves a screenshot (``$ANALYSIS_SCREENSHOTS`` or the test's tmp folder) to look at.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import analysis
from conftest import ROOT, SEEDS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _children(widget):
    out = [widget]
    for c in getattr(widget, "children", ()):
        out += _children(c)
    return out


def _parts(box):
    import ipywidgets as w

    kids = _children(box)
    pick = {t: [k for k in kids if type(k) is t] for t in (w.Combobox, w.SelectMultiple, w.HTML, w.Image)}
    return pick[w.Combobox][0], pick[w.SelectMultiple][0], pick[w.HTML][0], pick[w.Image][0]


def test_term_explorer_updates_its_own_figure_and_tables(seeds_corpus):
    """Every change of term or groups sets the Image widget's PNG and the HTML tables; no Output widget."""
    pytest.importorskip("ipywidgets")
    import ipywidgets as w
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    analysis.setup("test_explorer")
    box = analysis.term_explorer(seeds_corpus, "region", term="疫情防控")
    assert not any(isinstance(k, w.Output) for k in _children(box))
    term, groups, tables, figure = _parts(box)
    first = figure.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and "疫情防控" in tables.value
    term.value = "动态清零"  # pasted in one go
    assert figure.value != first and figure.value[:4] == b"\x89PNG" and "动态清零" in tables.value
    before = figure.value
    groups.value = groups.options[:1]
    assert figure.value != before and groups.options[1] not in tables.value.split("<tbody>")[1]
    term.value = "没有这个词"
    assert figure.layout.display == "none" and "does not occur" in tables.value
    assert plt.get_fignums() == []  # every figure was closed: no backend shows it a second time


def test_keyness_explorer_shows_the_pair_table(seeds_corpus):
    pytest.importorskip("ipywidgets")
    import ipywidgets as w

    box = analysis.keyness_explorer(seeds_corpus, "region")
    kids = _children(box)
    a, b = [k for k in kids if isinstance(k, w.Dropdown)]
    table = next(k for k in kids if type(k) is w.HTML)
    assert "more_in" in table.value and "Noto Sans SC" in table.value
    b.value = a.value
    assert "two different groups" in table.value


# --------------------------------------------------------------------------- the browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _notebook(folder: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import analysis\n"
        "cfg = analysis.setup('browser')\n"
        f"corp = analysis.load_corpus({str(SEEDS)!r})\n"
        "analysis.term_explorer(corp, 'region', term='疫情防控')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "explorer.ipynb"
    nbformat.write(nb, path)
    return path


def _wait_http(url: str, seconds: float = 90) -> None:
    end = time.time() + seconds
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.5)
    raise TimeoutError(url)


_BLANK_JS = """async img => {
  await img.decode();
  const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data; let ink = 0;
  for (let i = 0; i < d.length; i += 4) { if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) ink++; }
  return {w: img.naturalWidth, h: img.naturalHeight, ink: ink, src: img.src.length};
}"""


_REMEMBER = "() => { window.__figure = document.querySelector('img.widget-image').src; }"
_CHANGED = "() => document.querySelector('img.widget-image').src !== window.__figure"


@pytest.mark.browser
@pytest.mark.slow
def test_explorer_figure_follows_pasted_terms_and_groups_in_jupyterlab(tmp_path):
    if not CHROMIUM.is_file():
        pytest.skip("Chromium is not installed (/usr/bin/chromium; Debian: apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra)")
    jupyter = Path(sys.executable).with_name("jupyter")
    if not jupyter.is_file():
        pytest.skip("jupyter is not installed beside this Python")
    work = tmp_path / "lab"
    work.mkdir()
    _notebook(work)
    port, token = _free_port(), "analysis-browser-test"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JUPYTER_CONFIG_DIR": str(tmp_path / "jcfg"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "jrt"), "IPYTHONDIR": str(tmp_path / "ipy"),
           "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    server = subprocess.Popen([str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
                               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}", "--allow-root",
                               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shots = Path(os.environ.get("ANALYSIS_SCREENSHOTS", tmp_path))
    try:
        _wait_http(f"http://127.0.0.1:{port}/api/status?token={token}")
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch_persistent_context(  # a fresh profile (--user-data-dir) for this run
                str(tmp_path / "chrome-profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                viewport={"width": 1300, "height": 1100})
            page = browser.new_page()
            try:
                page.goto(f"http://127.0.0.1:{port}/lab/tree/explorer.ipynb?token={token}")
                page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
                page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
                for attempt in range(4):  # a run requested while the kernel still connects can be dropped
                    page.locator(".jp-Cell .jp-InputArea-editor").first.click()
                    page.keyboard.press("Shift+Enter")
                    try:
                        page.wait_for_function("() => /\\[(\\*|\\d+)\\]/.test(document.querySelector("
                                               "'.jp-Cell .jp-InputPrompt').textContent)", timeout=15_000)
                        break
                    except sync_api.TimeoutError:
                        if attempt == 3:
                            raise
                image = page.locator(".jp-OutputArea img.widget-image").first
                image.wait_for(timeout=120_000)
                page.wait_for_function("() => { const i = document.querySelector('img.widget-image');"
                                       " return i && i.naturalWidth > 0; }", timeout=60_000)
                first = image.evaluate(_BLANK_JS)
                page.evaluate(_REMEMBER)
                # paste a term in one go (the case that left a blank figure), then change the groups
                box = page.locator(".widget-combobox input, .jupyter-widgets.widget-text input").first
                box.fill("动态清零")
                box.press("Enter")
                page.wait_for_function(_CHANGED, timeout=60_000)
                page.wait_for_timeout(500)
                pasted = image.evaluate(_BLANK_JS)
                page.evaluate(_REMEMBER)
                select = page.locator("select[multiple]").first
                options = select.locator("option").all_inner_texts()
                select.select_option(options[:2])
                page.wait_for_function(_CHANGED, timeout=60_000)
                page.wait_for_timeout(500)
                regrouped = image.evaluate(_BLANK_JS)
                output_images = page.locator(".jp-Cell .jp-OutputArea img").count()
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shots / "explorer-jupyterlab.png"), full_page=True)
                html_text = page.locator(".jp-OutputArea").first.inner_text()
            except Exception:
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shots / "explorer-jupyterlab-failure.png"), full_page=True)
                raise
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(tmp_path / "jrt", ignore_errors=True)
    for view in (first, pasted, regrouped):
        assert view["w"] > 300 and view["h"] > 100 and view["ink"] > 2000, json.dumps(view)
    assert output_images == 1  # the widget's own figure, no second PNG
    assert "动态清零" in html_text


def test_html_the_package_renders_names_the_sites_font_stack(seeds_corpus, tmp_path):
    """Issue 19 §6: tables in JupyterLab name the same fonts as the site (with the system CJK fonts of the README)."""
    from analysis.display import FONT_STACK

    assert FONT_STACK.startswith("'Noto Sans SC', 'Noto Sans CJK SC'")
    html = analysis.show_kwic(analysis.kwic(seeds_corpus, "动态清零")).data
    assert f"font-family: {FONT_STACK}" in html
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "fonts-noto-cjk" in readme and "JupyterLab" in readme
