"""The static report, the explorer's plain functions, and notebook determinism."""
from __future__ import annotations

import hashlib
import json
import os

import nbformat
import pytest

import analysis
from analysis.explorer import pair_keyness, term_frequencies
from analysis.report import ReportError, _execute, build_report
from conftest import ROOT, make_corpus


def _notebook(path, *cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny\n\n| | |\n|---|---|\n| **Question** | does it render? |")]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.mark.notebooks
def test_report_renders_site_with_reader_version(tmp_path):
    nb = _notebook(tmp_path / "01_tiny.ipynb",
                   "import analysis, os\ncfg = analysis.setup('01_tiny')\ncorp = analysis.load_corpus()\nprint(os.environ['ANALYSIS_BY'], len(corp))",
                   "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.set_title('疫情防控')\nanalysis.save_fig(fig, 'title');")
    corpus = make_corpus(tmp_path / "c", {"a.txt": "坚持动态清零。", "b.txt": "外防输入。"}, province=["P", "Q"])
    index = build_report(tmp_path / "site", corpus=corpus, by="province", notebooks=[nb], progress=lambda m: None)
    html = index.read_text(encoding="utf-8")
    assert "Tiny" in html and "does it render?" in html and "01_tiny.html" in html and "reader/01_tiny.html" in html
    full = (tmp_path / "site" / "01_tiny.html").read_text(encoding="utf-8")
    reader = (tmp_path / "site" / "reader" / "01_tiny.html").read_text(encoding="utf-8")
    assert "province 2" in full and "province 2" in reader
    assert "load_corpus" in full and "load_corpus" not in reader
    assert "data:image/png;base64" in reader
    assert (tmp_path / "site" / "figures" / "01_tiny-title.png").is_file()
    # the shipped Chinese font: a file beside the pages, declared for Chinese characters only and
    # first in every font stack (after the system fonts, Chromium drew a page's first Chinese as boxes)
    import re

    site = tmp_path / "site"
    for page, folder in ((html, site), (full, site), (reader, site / "reader")):
        css = page[page.index("@font-face"):]
        face = re.match(r"@font-face \{ font-family: 'Noto Sans SC'; src: url\('([^']+)'\);[^}]*"
                        r"unicode-range: U\+2E80-9FFF", css)
        assert face and (folder / face.group(1)).is_file()
        stacks = re.findall(r"\{ font-family: ([^;]+);", css)[1:]  # the stacks after the face's own name
        assert stacks and all(s.replace('"', "'").startswith("'Noto Sans SC', ") for s in stacks)


@pytest.mark.notebooks
def test_report_failure_names_notebook_and_cell(tmp_path):
    nb = _notebook(tmp_path / "02_broken.ipynb", "x = 1", "raise ValueError('boom')")
    corpus = make_corpus(tmp_path / "c", {"a.txt": "坚持动态清零。", "b.txt": "外防输入。"}, region=["X", "Y"])
    with pytest.raises(ReportError, match=r"02_broken\.ipynb: cell 2 failed.*boom"):
        build_report(tmp_path / "site", corpus=corpus, notebooks=[nb], progress=lambda m: None)


@pytest.mark.notebooks
@pytest.mark.skipif(os.name != "posix", reason="IPC sockets are a POSIX transport; Windows keeps TCP")
def test_report_kernels_use_local_sockets_without_the_tcp_warning(tmp_path, capfd):
    nb = _notebook(tmp_path / "01_tiny.ipynb",
                   "from ipykernel.kernelapp import IPKernelApp\nprint(IPKernelApp.instance().transport)")
    out = _execute(nb, {}, timeout=120)
    assert out.cells[1].outputs[0]["text"].strip() == "ipc"
    assert "running over TCP" not in capfd.readouterr().err


def test_report_refuses_bad_corpus_before_running(tmp_path):
    nb = _notebook(tmp_path / "01_tiny.ipynb", "x = 1")
    corpus = make_corpus(tmp_path / "c", {"a.txt": "坚持。"}, manifest="id,file\na,a.txt\na,a.txt\n")
    with pytest.raises(analysis.CorpusError, match="more than once"):
        build_report(tmp_path / "site", corpus=corpus, notebooks=[nb], progress=lambda m: None)


def test_term_frequencies_known_counts(tmp_path):
    corpus = make_corpus(tmp_path / "c", {"a.txt": "动态清零，动态清零。", "b.txt": "动态清零。", "c.txt": "外防输入。"},
                         region=["X", "X", "Y"])
    corp = analysis.load_corpus(corpus)
    f = term_frequencies(corp, "动态清零", "region").set_index("group")
    assert f.loc["X", "count"] == 3 and f.loc["X", "docs_with_term"] == 2 and f.loc["Y", "count"] == 0
    assert f.loc["X", "per_10k"] == round(3 / (10 + 5) * 10_000, 2)


def test_pair_keyness_is_directional(seeds_corpus):
    """Each row reads from its ``more_in`` side: that group's count and rate, a positive G² and log ratio;
    numbers rounded (issue 19: group A's count showed on group B's rows, floats unrounded)."""
    groups = sorted(seeds_corpus.group_column("region").unique())
    t = pair_keyness(seeds_corpus, groups[0], groups[1])
    assert set(t.more_in) == {groups[0], groups[1]} and (t.more_in != t.than).all()
    assert (t.g2 > 0).all() and (t.log_ratio > 0).all() and (t.log_ratio_low <= t.log_ratio_high).all()
    assert (t["count"] > t["other_count"]).all() and (t["per_10k"] > t["other_per_10k"]).all()
    counts = analysis.dfm(seeds_corpus, by="region", drop_proper=True, content=True, phrases=True)  # keyness's view
    for r in t.itertuples():
        assert r.count == counts.to_frame().at[r.more_in, r.term]
    for col in ("per_10k", "g2", "log_ratio", "log_ratio_low"):
        assert (t[col].round(2) == t[col]).all()


def _text_outputs(nb) -> list[str]:
    """Each cell's text outputs; consecutive stream outputs of one stream are joined (as nbval does), because
    how printed text is cut into messages depends on timing, not on the results."""
    out = []
    for cell in nb.cells:
        last_stream = None
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                if last_stream == o.get("name"):
                    out[-1] = json.dumps(json.loads(out[-1]) + o.get("text", ""))
                else:
                    out.append(json.dumps(o.get("text", "")))
                last_stream = o.get("name")
                continue
            last_stream = None
            data = o.get("data", {})
            out.append(json.dumps({k: v for k, v in data.items() if k.startswith("text/")} or o.get("text", ""), sort_keys=True))
    return out


@pytest.mark.slow
@pytest.mark.notebooks
@pytest.mark.parametrize("name", ["01_corpus", "02_rhetoric", "03_slogans", "04_emphasis"])
def test_notebook_runs_twice_identically(name, tmp_path):
    """Text outputs and saved figure files are identical across two runs of a notebook
    (nbval compares the text with the committed outputs; this also compares the figure bytes)."""
    path = ROOT / "notebooks" / f"{name}.ipynb"
    runs = []
    for i in range(2):
        figs = tmp_path / f"run{i}" / "figures"
        env = {"ANALYSIS_FIGURES": str(figs), "ANALYSIS_CORPUS": str(ROOT / "seeds"), "ANALYSIS_BY": "region",
               "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
        nb = _execute(path, env, timeout=600)
        hashes = {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(figs.glob("*"))}
        runs.append((_text_outputs(nb), hashes))
    assert runs[0][1] and runs[0][1] == runs[1][1]
    assert runs[0][0] == runs[1][0]


# --------------------------------------------------------------------------- a first hour with the report (issue 19)


def _two_notebooks(tmp_path):
    """Two tiny notebooks: the first loads the corpus (so it would warn about unlisted files) and saves one
    figure always and one only when $DRAW_EXTRA is set; the second loads the corpus too."""
    first = _notebook(tmp_path / "01_first.ipynb",
                      "import analysis, os\ncfg = analysis.setup('01_first')\ncorp = analysis.load_corpus()\nprint(len(corp))",
                      "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nanalysis.save_fig(fig, 'always')\n"
                      "if os.environ.get('DRAW_EXTRA'):\n    analysis.save_fig(fig, 'sometimes')")
    second = _notebook(tmp_path / "02_second.ipynb",
                       "import analysis\ncfg = analysis.setup('02_second')\ncorp = analysis.load_corpus()\nprint(len(corp))")
    return [first, second]


@pytest.mark.notebooks
def test_a_report_inside_the_corpus_never_reads_its_own_output(tmp_path):
    """README's --out DIR/site: the second build (and check) must not find the first build's pages."""
    from analysis.report import REPORT_MARKER

    nbs = _two_notebooks(tmp_path)
    corpus = make_corpus(tmp_path / "c", {"a.txt": "坚持动态清零。", "b.txt": "外防输入。"}, region=["X", "Y"])
    site = corpus / "site"
    for _ in range(2):
        build_report(site, corpus=corpus, notebooks=nbs, progress=lambda m: None)
    assert (site / REPORT_MARKER).is_file()
    assert analysis.validate(corpus) == []
    from conftest import run_cli

    code, out, _ = run_cli(["check", "--corpus", str(corpus), "--by", "region"])
    assert code == 0 and "not listed" not in out and "site" not in out and "ERROR" not in out
    for page in [*site.glob("*.html"), *(site / "reader").glob("*.html")]:
        text = page.read_text(encoding="utf-8")
        assert "not listed" not in text and "UserWarning" not in text, page


@pytest.mark.notebooks
def test_corpus_warnings_appear_once_on_the_index_not_on_the_pages(tmp_path):
    nbs = _two_notebooks(tmp_path)[1:]
    corpus = make_corpus(tmp_path / "c", {"a.txt": "坚持动态清零。", "b.txt": "外防输入。"}, region=["X", "Y"])
    (corpus / "stray.txt").write_text("没有列出。", encoding="utf-8")
    index = build_report(tmp_path / "site", corpus=corpus, notebooks=nbs, progress=lambda m: None)
    assert "stray.txt" in index.read_text(encoding="utf-8")
    for page in (tmp_path / "site" / "02_second.html", tmp_path / "site" / "reader" / "02_second.html"):
        text = page.read_text(encoding="utf-8")
        assert "stray.txt" not in text and "UserWarning" not in text


@pytest.mark.notebooks
def test_every_page_links_to_the_index_and_its_neighbours_in_both_versions(tmp_path):
    nbs = _two_notebooks(tmp_path)
    corpus = make_corpus(tmp_path / "c", {"a.txt": "坚持动态清零。", "b.txt": "外防输入。"}, region=["X", "Y"])
    site = tmp_path / "site"
    build_report(site, corpus=corpus, notebooks=nbs, progress=lambda m: None)
    import re

    def links(page):
        return set(re.findall(r'<nav class="analysis-nav[^"]*">(.*?)</nav>', page.read_text(encoding="utf-8"), re.S)[0]
                   .split('href="')[1:]) and {h.split('"')[0] for h in re.findall(
                       r'<nav class="analysis-nav top">(.*?)</nav>', page.read_text(encoding="utf-8"), re.S)[0]
                       .split('href="')[1:]}

    assert links(site / "01_first.html") == {"index.html", "02_second.html", "reader/01_first.html"}
    assert links(site / "02_second.html") == {"index.html", "01_first.html", "reader/02_second.html"}
    assert links(site / "reader" / "01_first.html") == {"../index.html", "02_second.html", "../01_first.html"}
    assert links(site / "reader" / "02_second.html") == {"../index.html", "01_first.html", "../02_second.html"}
    for page in [*site.glob("0*.html"), *(site / "reader").glob("0*.html")]:
        text = page.read_text(encoding="utf-8")
        assert text.count('class="analysis-nav') == 2  # at the top and at the bottom
        for href in re.findall(r'<nav class="analysis-nav[^"]*">.*?</nav>', text, re.S)[0].split('href="')[1:]:
            assert (page.parent / href.split('"')[0]).is_file()


@pytest.mark.notebooks
def test_the_gallery_shows_this_runs_figures_only(tmp_path, monkeypatch):
    """A figure drawn only under some condition must not survive into a later run that does not draw it."""
    nbs = _two_notebooks(tmp_path)[:1]
    corpus = make_corpus(tmp_path / "c", {"a.txt": "坚持动态清零。", "b.txt": "外防输入。"}, region=["X", "Y"])
    site = tmp_path / "site"
    monkeypatch.setenv("DRAW_EXTRA", "1")
    build_report(site, corpus=corpus, notebooks=nbs, progress=lambda m: None)
    assert sorted(p.name for p in (site / "figures").iterdir()) == ["01_first-always.png", "01_first-sometimes.png"]
    (site / "figures" / "99_other-corpus.png").write_bytes(b"old")  # a figure of an earlier run elsewhere
    monkeypatch.delenv("DRAW_EXTRA")
    index = build_report(site, corpus=corpus, notebooks=nbs, progress=lambda m: None)
    assert sorted(p.name for p in (site / "figures").iterdir()) == ["01_first-always.png"]
    html = index.read_text(encoding="utf-8")
    assert "sometimes" not in html and "99_other" not in html


@pytest.mark.browser
@pytest.mark.notebooks
def test_chinese_in_code_cells_is_drawn_with_the_shipped_font(tmp_path):
    """JupyterLab's CSS gives code cells its own monospace stack (no Chinese), which won over the site's rule:
    Chromium drew 、 in a code cell as a box. The page's code is now drawn with the shipped font."""
    from pathlib import Path

    if not Path("/usr/bin/chromium").is_file():
        pytest.skip("Chromium is not installed (/usr/bin/chromium; Debian: apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra)")
    nb = _notebook(tmp_path / "01_tiny.ipynb", "print('、'.join(['疫情', '防控']))  # 中文注释")
    corpus = make_corpus(tmp_path / "c", {"a.txt": "坚持动态清零。", "b.txt": "外防输入。"}, region=["X", "Y"])
    build_report(tmp_path / "site", corpus=corpus, notebooks=[nb], progress=lambda m: None)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto((tmp_path / "site" / "01_tiny.html").as_uri())
            page.wait_for_load_state("load")
            page.evaluate("document.fonts.ready")
            cdp = page.context.new_cdp_session(page)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".jp-InputArea-editor pre"})["nodeId"]
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        finally:
            browser.close()
    assert any(f["isCustomFont"] and "Noto Sans SC" in f["familyName"] for f in fonts), fonts
