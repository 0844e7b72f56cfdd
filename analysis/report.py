"""Render the notebook suite as a small static site.

:func:`build_report` executes every notebook (``notebooks/NN_*.ipynb``, in
order) against the chosen corpus and grouping column, in fresh kernels, and
writes::

    OUT/index.html            links, each notebook's card, notes on the corpus, this run's figures
    OUT/NN_name.html          the notebook with code
    OUT/reader/NN_name.html   the same without code cells, for readers
    OUT/figures/*.png         the figures of this run only (also in the project's figures/ for the seeds)
    OUT/fonts/                the Chinese font, so pages show Chinese without a CJK system font
    OUT/analysis-report.json  the marker: this folder is a report (never read as part of a corpus)

Every page links to the index and to the previous and next notebook, in its
own version. The output folder is checked first (:func:`check_out`): never
``/``, a home folder, the corpus folder itself, a file, or a non-empty folder
that is not an earlier report. Inside the corpus folder it is left out of the
corpus by its marker. Warnings about the corpus appear once, on the index,
not on every page that loads it.

The committed notebooks are not modified. A failing cell stops the build with
an error naming the notebook and the cell. Nothing is fetched from the network:
pages embed their figures; interactive widgets are replaced by the static
default view each explorer cell prints below them; exercise solutions stay
folded.
"""
from __future__ import annotations

import copy
import html
import json
import os
import re
import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .config import DEFAULT_BY, corpus_dir, figures_dir, project_root, resolve_by
from .corpus import REPORT_MARKER, grouping_problems, load_corpus
from .display import CODE_FONT_STACK, FONT_STACK
from .errors import AnalysisError, CorpusError
from .plots import font_path

__all__ = ["build_report", "ReportError", "notebook_paths", "check_out", "is_report", "REPORT_MARKER"]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


class ReportError(AnalysisError):
    """A notebook failed while the report was built."""


@dataclass
class Page:
    name: str
    title: str
    card_html: str
    seconds: float


def notebook_paths(folder: Path | None = None) -> list[Path]:
    """The suite's notebooks, ``NN_name.ipynb``, in order."""
    folder = folder or project_root() / "notebooks"
    paths = sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise ReportError(f"{folder}: no notebooks (NN_name.ipynb) found. Fix: run from the project checkout.")
    return paths


def _execute(path: Path, env: dict[str, str], timeout: int):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = nbformat.read(path, as_version=4)
    old_env = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the kernel inherits the environment of this process
    try:
        with tempfile.TemporaryDirectory(prefix="analysis-kernel-") as sockets:
            client = NotebookClient(nb, timeout=timeout, kernel_name="python3", config=_kernel_config(sockets),
                                    resources={"metadata": {"path": str(path.parent)}})
            client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        cell = _failed_cell(nb)
        where = f"cell {cell}" if cell is not None else "a cell"
        first = str(exc).strip().splitlines()
        summary = next((l for l in reversed(first) if l.strip()), "kernel error")
        raise ReportError(f"{path.name}: {where} failed: {summary}") from None
    finally:
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb


def _kernel_config(socket_dir: str):
    """Kernels talk over Unix sockets in ``socket_dir`` where the platform has them, not TCP.

    Over TCP, ipykernel warns on every start that the traffic is unencrypted;
    the sockets sit in a private temporary folder. The path is absolute: the
    kernel runs in the notebook's folder, this process elsewhere. Windows keeps TCP.
    """
    from traitlets.config import Config

    config = Config()
    if os.name == "posix":
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = os.path.join(socket_dir, "kernel")
    return config


def _failed_cell(nb) -> int | None:
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i
    return None


def _strip_widgets(nb):
    """Drop widget views (they need a live kernel); the static default view stays."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [o for o in cell.get("outputs", []) if WIDGET_MIME not in o.get("data", {})]
    nb.metadata.pop("widgets", None)
    return nb


def _card(nb) -> tuple[str, str]:
    """Title and the first markdown cell rendered as HTML (the notebook's card)."""
    from nbconvert.filters.markdown import markdown2html

    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first is None:
        return "Untitled", ""
    m = re.search(r"^#\s+(.+)$", first.source, re.MULTILINE)
    title = m.group(1).strip() if m else "Untitled"
    body = re.sub(r"^#\s+.+$", "", first.source, count=1, flags=re.MULTILINE)
    return title, markdown2html(body)


#: the characters the shipped Chinese font draws (CJK radicals to ideographs, compatibility
#: ideographs, vertical and full-width forms, supplementary ideographs). With this range the
#: font can come first in every font stack: it draws only Chinese, Latin text keeps the system
#: font. Listed after the system fonts instead, Chromium without a CJK system font showed the
#: first Chinese text of a page as empty boxes.
_CJK_RANGES = "U+2E80-9FFF, U+F900-FAFF, U+FE10-FE1F, U+FE30-FE4F, U+FF00-FFEF, U+20000-2FA1F"


def _font_face(font_url: str) -> str:
    """The @font-face rule of the shipped Chinese font, for Chinese characters only."""
    return (f"@font-face {{ font-family: 'Noto Sans SC'; src: url('{font_url}'); font-display: swap; "
            f"unicode-range: {_CJK_RANGES}; }}")


def _font_css(font_url: str) -> str:
    """CSS that ships the suite's Chinese font with the site, so pages show Chinese
    on machines without a CJK system font; long output lines wrap instead of running off the page."""
    return (
        "<style>\n"
        f"{_font_face(font_url)}\n"
        f"body, .jp-RenderedHTMLCommon, .jp-RenderedHTMLCommon table, .jp-OutputArea-output {{ font-family: {FONT_STACK}; }}\n"
        f"pre, code, .jp-OutputArea-output pre, .highlight pre {{ font-family: {CODE_FONT_STACK}; }}\n"
        # JupyterLab's own rules give code cells var(--jp-code-font-family), a stack without Chinese, and win on
        # specificity: set the variable itself (on body, so it holds whatever order the style sheets come in)
        f"body {{ --jp-code-font-family: {CODE_FONT_STACK}; --jp-code-font-family-default: {CODE_FONT_STACK}; }}\n"
        ".jp-OutputArea-output pre { white-space: pre-wrap; overflow-wrap: anywhere; }\n"
        ".analysis-nav { display: flex; flex-wrap: wrap; gap: 0.4em 1.4em; align-items: baseline; padding: 0.6em 1em;"
        " margin: 0 0 1em 0; border-bottom: 1px solid #ddd; font-size: 0.95em; }\n"
        ".analysis-nav.bottom { border-top: 1px solid #ddd; border-bottom: none; margin: 2em 0 0 0; }\n"
        ".analysis-nav .spacer { flex: 1; } .analysis-nav a { text-decoration: none; }\n"
        "</style>\n"
    )


@dataclass
class NavLinks:
    """Where a page's navigation bar points (relative URLs), and the labels."""

    index: str
    prev: tuple[str, str] | None
    next: tuple[str, str] | None
    other: tuple[str, str]


def _nav(links: NavLinks, where: str) -> str:
    """The navigation bar of a page: index, previous and next notebook, the other version."""
    def a(href, text):
        return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'

    parts = [a(links.index, "⌂ Index")]
    parts.append(a(links.prev[0], f"← {links.prev[1]}") if links.prev else '<span class="meta">← (first)</span>')
    parts.append(a(links.next[0], f"{links.next[1]} →") if links.next else '<span class="meta">(last) →</span>')
    parts.append('<span class="spacer"></span>')
    parts.append(a(*links.other))
    return f'<nav class="analysis-nav {where}">' + "".join(parts) + "</nav>"


def _render(nb, exclude_input: bool, font_url: str, links: NavLinks | None = None) -> str:
    from nbconvert import HTMLExporter

    if exclude_input:  # readers see no code: an exercise's cell to complete (and its "not yet") is left out
        nb = copy.deepcopy(nb)
        nb.cells = [c for c in nb.cells if "exercise" not in c.get("metadata", {}).get("tags", [])]
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = exclude_input
    exporter.exclude_input_prompt = exclude_input
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    body = body.replace("</head>", _font_css(font_url) + "</head>", 1)
    if links is not None:
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + _nav(links, "top"), body, count=1)
        body = body.replace("</body>", _nav(links, "bottom") + "\n</body>", 1)
    return body


def _page_links(names: list[str], titles: dict[str, str], i: int, reader: bool) -> NavLinks:
    """Links of page ``i``: relative to ``reader/`` for reader pages, to the site's root otherwise."""
    up = "../" if reader else ""

    def label(name):
        return titles.get(name, name)

    prev = (f"{names[i - 1]}.html", label(names[i - 1])) if i > 0 else None
    nxt = (f"{names[i + 1]}.html", label(names[i + 1])) if i + 1 < len(names) else None
    other = (f"../{names[i]}.html", "version with code") if reader else (f"reader/{names[i]}.html", "reader version")
    return NavLinks(f"{up}index.html", prev, nxt, other)


# --------------------------------------------------------------------------- the output folder

#: What a report writes into its folder (an earlier report without a marker holds only these).
_REPORT_NAMES = re.compile(r"^(index\.html|reader|fonts|figures|\d\d_[^/]*\.html|" + re.escape(REPORT_MARKER) + ")$")


def is_report(folder: Path) -> bool:
    """True when ``folder`` is an earlier report: it holds the marker, or only what a report writes."""
    folder = Path(folder)
    if (folder / REPORT_MARKER).is_file():
        return True
    names = [p.name for p in folder.iterdir() if not p.name.startswith(".")] if folder.is_dir() else []
    return "index.html" in names and "reader" in names and all(_REPORT_NAMES.match(n) for n in names)


def check_out(out: Path, corpus: Path) -> Path:
    """The output folder, resolved, after refusing a place a report must not write into.

    Refused, each with a :class:`ReportError` saying why and what to do: a file;
    the root of a file system; a home folder; the corpus folder itself; an
    existing, non-empty folder that is not an earlier report (see
    :func:`is_report`). A folder inside the corpus folder is fine: its marker
    keeps it out of the corpus.
    """
    out = Path(out).expanduser()
    target = out.resolve()
    fix = "choose a new folder, for example --out site or --out DIR/site"
    if target.exists() and not target.is_dir():
        raise ReportError(f"--out {out} is a file, not a folder. Fix: {fix}")
    if target == Path(target.anchor):
        raise ReportError(f"--out {out} is the root of the file system; a report writes index.html, reader/, "
                          f"fonts/ and figures/ into its folder. Fix: {fix}")
    homes = {Path.home().resolve()} | ({Path(os.environ["HOME"]).resolve()} if os.environ.get("HOME") else set())
    if target in homes:
        raise ReportError(f"--out {out} is a home folder. Fix: {fix}")
    if target == Path(corpus).resolve():
        raise ReportError(f"--out {out} is the corpus folder itself. Fix: write the report into a folder of its "
                          "own, for example --out DIR/site")
    if target.is_dir() and any(not p.name.startswith(".") for p in target.iterdir()) and not is_report(target):
        raise ReportError(f"--out {out} is a folder that holds other files and is not an earlier report "
                          f"(it has no {REPORT_MARKER}); a report would mix its pages with them. Fix: {fix}, "
                          "or empty that folder")
    return target


def _claim(out: Path, corpus: Path, by: str) -> None:
    """Create the output folder and write its marker; an unwritable place is a :class:`ReportError`."""
    try:
        (out / "reader").mkdir(parents=True, exist_ok=True)
        (out / "fonts").mkdir(exist_ok=True)
        marker = {"made_by": f"analysis {__version__} report", "corpus": str(corpus), "by": by,
                  "note": "This folder is a report of the analysis suite: it is never read as part of a corpus."}
        (out / REPORT_MARKER).write_text(json.dumps(marker, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"--out {out}: cannot write there ({exc.strerror or exc}). "
                          "Fix: choose a folder you can write to") from None


def _own_files(out: Path, names: set[str]) -> None:
    """Remove pages of notebooks that this run did not render (a report shows this run only)."""
    for folder in (out, out / "reader"):
        for page in folder.glob("[0-9][0-9]_*.html"):
            if page.stem not in names:
                page.unlink()


def _publish_figures(fresh: Path, site_figs: Path, mirror: Path | None, names: list[str]) -> list[Path]:
    """Make ``site_figs`` hold exactly this run's figures (from ``fresh``); mirror them into ``mirror``.

    In ``mirror`` (the project's figures/ for the seeds) only the files of the
    notebooks that ran are replaced: figures a notebook no longer draws go.
    """
    if site_figs.exists():
        shutil.rmtree(site_figs)
    shutil.copytree(fresh, site_figs) if fresh.is_dir() else site_figs.mkdir()
    if mirror is not None and mirror.resolve() != site_figs.resolve():
        mirror.mkdir(parents=True, exist_ok=True)
        for old in mirror.iterdir():
            if old.suffix in (".png", ".svg") and any(old.name.startswith(f"{n}-") for n in names):
                old.unlink()
        for f in site_figs.iterdir():
            shutil.copy2(f, mirror / f.name)
    return sorted(site_figs.glob("*.png"))


# --------------------------------------------------------------------------- warnings that belong to the build


_WARNING_LINE = re.compile(r"^\S.*:\d+: \w*Warning: ")


def _drop_build_warnings(nb, known: list[str]):
    """Remove from stderr outputs the corpus warnings the index lists once (with the source line Python
    prints under a warning), so a page never repeats a note about the build or the corpus folder."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream" and o.get("name") == "stderr":
                out, source_line_follows = [], False
                for line in o.get("text", "").splitlines(keepends=True):
                    if source_line_follows and line.startswith("  ") and not _WARNING_LINE.match(line):
                        source_line_follows = False
                        continue
                    source_line_follows = False
                    if any(k in line for k in known):
                        source_line_follows = _WARNING_LINE.match(line) is not None
                        continue
                    out.append(line)
                if not "".join(out).strip():
                    continue
                o["text"] = "".join(out)
            kept.append(o)
        cell.outputs = kept
    return nb


_INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
{font_face}
body {{ font-family: {font_stack};
       max-width: 980px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.5; }}
h1 {{ font-weight: 600; }} .nb {{ border: 1px solid #ddd; border-radius: 6px; padding: 0.8em 1.2em; margin: 1em 0; }}
.nb h2 {{ margin: 0.2em 0; font-size: 1.25em; }} .links a {{ margin-right: 1.2em; }}
.meta {{ color: #666; font-size: 0.9em; }} table {{ border-collapse: collapse; }} td, th {{ padding: 2px 8px; vertical-align: top; text-align: left; }}
.notes li {{ font-size: 0.9em; color: #444; }}
.gallery {{ display: flex; flex-wrap: wrap; gap: 10px; }} .gallery figure {{ width: 300px; margin: 0; }}
.gallery img {{ width: 300px; border: 1px solid #eee; }} .gallery figcaption {{ font-size: 0.8em; color: #555; word-break: break-all; }}
</style></head><body>
<h1>{title}</h1>
<p class="meta">Corpus: <code>{corpus}</code> · grouped by <code>{by}</code> · {n_docs} documents · built in {seconds:.0f} s</p>
<p>Each analysis comes in two versions: <b>with code</b> (for analysts) and <b>reader</b> (text, tables and figures only).
Every page links back here and on to the next notebook.</p>
{notes}
{pages}
<h2>Figures</h2>
<div class="gallery">{gallery}</div>
</body></html>
"""


def _notes(problems) -> str:
    """The corpus's warnings, listed once on the index (the pages leave them out)."""
    if not problems:
        return ""
    items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
    return (f'<details class="notes"><summary>Notes on the corpus ({len(problems)}): what '
            f"<code>python -m analysis check</code> reports</summary><ul>{items}</ul></details>")


def _title(path: Path) -> str:
    """A notebook's title, read from its first markdown heading (before it runs)."""
    import nbformat

    return _card(nbformat.read(path, as_version=4))[0]


def build_report(out: str | Path | None = None, *, corpus: str | Path | None = None, by=DEFAULT_BY,
                 notebooks: list[Path] | None = None, timeout: int = 900, progress=print,
                 id_column: str | None = None, text_column: str | None = None,
                 metadata: str | Path | None = None) -> Path:
    """Execute the notebooks against ``corpus`` grouped by ``by`` and write the site into ``out``.

    Parameters
    ----------
    out : path, optional
        Output folder (default ``site/`` in the project); checked by :func:`check_out`.
    corpus : path, optional
        Corpus folder (default ``$ANALYSIS_CORPUS``, else ``seeds/``); validated first,
        with its grouping column.
    by : str, optional
        Grouping column (default ``$ANALYSIS_BY``, else ``region``; None or ``"id"``: each document).
    notebooks : list of paths, optional
        Subset of notebooks to run (default: all, in order).
    id_column, text_column, metadata : optional
        As for :func:`analysis.load_corpus` (a table's columns, a metadata CSV); passed on to the notebooks.

    Returns
    -------
    Path of ``index.html``.
    """
    start = time.perf_counter()
    root = project_root()
    folder = corpus_dir(corpus).resolve()
    out = check_out(Path(out) if out else root / "site", folder)
    by = resolve_by(by) or "id"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corp = load_corpus(folder, id_column=id_column, text_column=text_column,
                           metadata=metadata)  # fails early, listing every problem of the corpus
    problems = list(corp.problems) + grouping_problems(corp, None if by == "id" else by)
    errors = [p for p in problems if p.severity == "error"]
    if errors:  # and of its grouping: a single group fails in the first comparison
        raise CorpusError(errors, str(folder), check=f"python -m analysis check --corpus DIR --by {by}")
    _claim(out, folder, by)
    # the marker now keeps the output folder out of the corpus: warnings about it are not the corpus's
    notes = [p for p in problems if not Path(p.file).resolve().is_relative_to(out)]
    default_corpus = folder == (root / "seeds").resolve()
    paths = list(notebooks) if notebooks is not None else notebook_paths()
    names = [p.stem for p in paths]
    titles = {p.stem: _title(p) for p in paths}
    font = out / "fonts" / font_path().name
    shutil.copy2(font_path(), font)
    known = [p.problem for p in problems if p.severity == "warning"]
    pages: list[Page] = []
    with tempfile.TemporaryDirectory(prefix="analysis-report-") as tmp:
        fresh = Path(tmp) / "figures"  # the folder's name is what the notebooks print ("saved figures/…")
        env = {"ANALYSIS_CORPUS": str(folder), "ANALYSIS_BY": by, "ANALYSIS_FIGURES": str(fresh),
               "MPLBACKEND": "module://matplotlib_inline.backend_inline", "ANALYSIS_PROGRESS": "0",
               "PYTHONWARNINGS": "ignore::DeprecationWarning,ignore::PendingDeprecationWarning,ignore::FutureWarning"}
        for name, value in (("ANALYSIS_ID_COLUMN", id_column), ("ANALYSIS_TEXT_COLUMN", text_column),
                            ("ANALYSIS_METADATA", str(Path(metadata).resolve()) if metadata else None)):
            if value:
                env[name] = value
        # (the inline backend, whatever MPLBACKEND the caller has, so figures appear in the pages)
        for i, path in enumerate(paths):
            t0 = time.perf_counter()
            progress(f"running {path.name} …")
            nb = _drop_build_warnings(_strip_widgets(_execute(path, env, timeout)), known)
            name = path.stem
            (out / f"{name}.html").write_text(
                _render(nb, False, f"fonts/{font.name}", _page_links(names, titles, i, reader=False)), encoding="utf-8")
            (out / "reader" / f"{name}.html").write_text(
                _render(nb, True, f"../fonts/{font.name}", _page_links(names, titles, i, reader=True)), encoding="utf-8")
            title, card = _card(nb)
            pages.append(Page(name, title, card, time.perf_counter() - t0))
        _own_files(out, set(names))
        figs = _publish_figures(fresh, out / "figures", figures_dir() if default_corpus else None, names)
    gallery = "".join(
        f'<figure><a href="figures/{html.escape(f.name)}"><img src="figures/{html.escape(f.name)}" alt="{html.escape(f.stem)}"></a>'
        f"<figcaption>{html.escape(f.stem)}</figcaption></figure>"
        for f in figs
    )
    blocks = "".join(
        f'<div class="nb"><h2>{html.escape(p.title)}</h2>{p.card_html}'
        f'<p class="links"><a href="{p.name}.html">with code</a><a href="reader/{p.name}.html">reader version</a>'
        f'<span class="meta">ran in {p.seconds:.0f} s</span></p></div>'
        for p in pages
    )
    index = out / "index.html"
    index.write_text(
        _INDEX.format(title="Policy rhetoric, slogans and emphasis · 政策文本比较", corpus=html.escape(folder.name),
                      by=html.escape(by), n_docs=len(corp), seconds=time.perf_counter() - start,
                      pages=blocks, gallery=gallery, notes=_notes(notes), font_stack=FONT_STACK,
                      font_face=_font_face(f"fonts/{html.escape(font.name)}")),
        encoding="utf-8",
    )
    return index
