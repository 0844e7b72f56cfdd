"""Render the notebook suite as a small static site.

:func:`build_report` executes every notebook (``notebooks/NN_*.ipynb``, in
order) against the chosen corpus and grouping column, in fresh kernels, and
writes::

    OUT/index.html            links, each notebook's card, a figure gallery
    OUT/NN_name.html          the notebook with code
    OUT/reader/NN_name.html   the same without code cells, for readers
    OUT/figures/*.png         every figure (also in the project's figures/)
    OUT/fonts/                the Chinese font, so pages show Chinese without a CJK system font

The committed notebooks are not modified. A failing cell stops the build with
an error naming the notebook and the cell. Nothing is fetched from the network:
pages embed their figures; interactive widgets are replaced by the static
default view each explorer cell prints below them.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import AnalysisError
from .corpus import load_corpus
from .config import DEFAULT_BY, corpus_dir, figures_dir, project_root, resolve_by
from .plots import font_path

__all__ = ["build_report", "ReportError", "notebook_paths"]

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
    on machines without a CJK system font."""
    return (
        "<style>\n"
        f"{_font_face(font_url)}\n"
        "body, .jp-RenderedHTMLCommon, .jp-RenderedHTMLCommon table, .jp-OutputArea-output { font-family: "
        "'Noto Sans SC', system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; }\n"
        "pre, code, .jp-OutputArea-output pre, .highlight pre { font-family: 'Noto Sans SC', 'SFMono-Regular', "
        "Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace; }\n"
        "</style>\n"
    )


def _render(nb, exclude_input: bool, font_url: str) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = exclude_input
    exporter.exclude_input_prompt = exclude_input
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    return body.replace("</head>", _font_css(font_url) + "</head>", 1)


_INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
{font_face}
body {{ font-family: "Noto Sans SC", system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       max-width: 980px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.5; }}
h1 {{ font-weight: 600; }} .nb {{ border: 1px solid #ddd; border-radius: 6px; padding: 0.8em 1.2em; margin: 1em 0; }}
.nb h2 {{ margin: 0.2em 0; font-size: 1.25em; }} .links a {{ margin-right: 1.2em; }}
.meta {{ color: #666; font-size: 0.9em; }} table {{ border-collapse: collapse; }} td, th {{ padding: 2px 8px; vertical-align: top; text-align: left; }}
.gallery {{ display: flex; flex-wrap: wrap; gap: 10px; }} .gallery figure {{ width: 300px; margin: 0; }}
.gallery img {{ width: 300px; border: 1px solid #eee; }} .gallery figcaption {{ font-size: 0.8em; color: #555; word-break: break-all; }}
</style></head><body>
<h1>{title}</h1>
<p class="meta">Corpus: <code>{corpus}</code> · grouped by <code>{by}</code> · {n_docs} documents · built in {seconds:.0f} s</p>
<p>Each analysis comes in two versions: <b>with code</b> (for analysts) and <b>reader</b> (text, tables and figures only).</p>
{pages}
<h2>Figures</h2>
<div class="gallery">{gallery}</div>
</body></html>
"""


def build_report(out: str | Path | None = None, *, corpus: str | Path | None = None, by=DEFAULT_BY,
                 notebooks: list[Path] | None = None, timeout: int = 900, progress=print) -> Path:
    """Execute the notebooks against ``corpus`` grouped by ``by`` and write the site into ``out``.

    Parameters
    ----------
    out : path, optional
        Output folder (default ``site/`` in the project).
    corpus : path, optional
        Corpus folder (default ``$ANALYSIS_CORPUS``, else ``seeds/``); validated first.
    by : str, optional
        Grouping column (default ``$ANALYSIS_BY``, else ``region``; None or ``"id"``: each document).
    notebooks : list of paths, optional
        Subset of notebooks to run (default: all, in order).

    Returns
    -------
    Path of ``index.html``.
    """
    import warnings

    start = time.perf_counter()
    root = project_root()
    out = Path(out) if out else root / "site"
    folder = corpus_dir(corpus).resolve()
    by = resolve_by(by) or "id"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corp = load_corpus(folder)  # fails early, listing every problem of the corpus
    corp.groups(by)  # fails early if the column is missing
    default_corpus = folder == (root / "seeds").resolve()
    figs = figures_dir() if default_corpus else out / "figures"
    env = {"ANALYSIS_CORPUS": str(folder), "ANALYSIS_BY": by, "ANALYSIS_FIGURES": str(figs.resolve()),
           "MPLBACKEND": "module://matplotlib_inline.backend_inline", "ANALYSIS_PROGRESS": "0"}
    # (the inline backend, whatever MPLBACKEND the caller has, so figures appear in the pages)
    (out / "reader").mkdir(parents=True, exist_ok=True)
    (out / "fonts").mkdir(exist_ok=True)
    font = out / "fonts" / font_path().name
    shutil.copy2(font_path(), font)
    pages: list[Page] = []
    for path in notebooks or notebook_paths():
        t0 = time.perf_counter()
        progress(f"running {path.name} …")
        nb = _strip_widgets(_execute(path, env, timeout))
        name = path.stem
        (out / f"{name}.html").write_text(_render(nb, False, f"fonts/{font.name}"), encoding="utf-8")
        (out / "reader" / f"{name}.html").write_text(_render(nb, True, f"../fonts/{font.name}"), encoding="utf-8")
        title, card = _card(nb)
        pages.append(Page(name, title, card, time.perf_counter() - t0))
    site_figs = out / "figures"
    if figs.resolve() != site_figs.resolve():
        site_figs.mkdir(exist_ok=True)
        for f in sorted(figs.glob("*.png")) + sorted(figs.glob("*.svg")):
            shutil.copy2(f, site_figs / f.name)
    gallery = "".join(
        f'<figure><a href="figures/{html.escape(f.name)}"><img src="figures/{html.escape(f.name)}" alt="{html.escape(f.stem)}"></a>'
        f"<figcaption>{html.escape(f.stem)}</figcaption></figure>"
        for f in sorted(site_figs.glob("*.png"))
        if any(f.name.startswith(p.name) for p in pages)
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
                      pages=blocks, gallery=gallery, font_face=_font_face(f"fonts/{html.escape(font.name)}")),
        encoding="utf-8",
    )
    return index
