"""Reading one listed document: decode, clean, and check what came out (empty, HTML, not Chinese …)."""
from __future__ import annotations

import re
from pathlib import Path

from ..cleaning import clean, decode, rules_over_share
from ..errors import DecodeError, Problem
from ..text import count_cjk
from .documents import Document

__all__ = ["load_document", "document_from_text", "READING_VERSION"]

#: Bump when :func:`load_document` changes what it records (its problems' wording included):
#: part of the key of cached documents.
READING_VERSION = "2"

_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*[^<>]{0,200}>")
# scripts that mark a document as Japanese or Korean (a Chinese document may quote a few kana
# in a name, not a tenth of its characters)
_FOREIGN_SCRIPTS = (
    ("Japanese", "kana", re.compile("[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff]+")),
    ("Korean", "Hangul", re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+")),
)
_FOREIGN_MIN, _FOREIGN_SHARE = 20, 0.1


def _foreign_script(text: str, n_cjk: int) -> tuple[str, str, int] | None:
    """``(language, script, count)`` when kana or Hangul make up a tenth or more of the text's CJK characters."""
    for language, script, run_re in _FOREIGN_SCRIPTS:
        n = len(text) - len(run_re.sub("", text))
        if n >= _FOREIGN_MIN and n >= _FOREIGN_SHARE * (n + n_cjk):
            return language, script, n
    return None


def load_document(path: Path, row: dict, problems: list[Problem], data: bytes | None = None) -> Document | None:
    """Read, decode and clean one listed file; record its problems (None when it cannot be used). ``data``: the
    file's bytes, read already (by the process that sent this document to a Dask worker)."""
    fpath = path / row["file"]
    where = str(fpath)
    try:
        if data is None:
            data = fpath.read_bytes()
        raw, encoding = decode(data, fpath)
    except DecodeError as exc:
        problems.append(exc.problem)
        return None
    except OSError as exc:
        problems.append(Problem("error", where, f"cannot be read ({exc.strerror})", "check the file's permissions"))
        return None
    if not raw.strip():
        what = "is empty (0 bytes)" if not data else "contains only whitespace"
        problems.append(Problem("error", where, what, "add the document's text or remove its manifest row"))
        return None
    return document_from_text(row, raw, encoding, where, problems)


def document_from_text(row: dict, raw: str, encoding: str, where: str, problems: list[Problem]) -> Document | None:
    """Clean a document's text and check what came out; record its problems under ``where`` (a file, or a
    table's row). None when nothing is left to analyse."""
    result = clean(raw)
    if not result.text.strip():
        removed = result.audit().groupby("rule")["chars_removed"].sum().sort_values(ascending=False)
        rules = ", ".join(f"{rule} ({n:,} characters)" for rule, n in removed.items() if n > 0)
        problems.append(Problem("error", where, f"has no text left after cleaning: the cleaning rules removed all of it ({rules})",
                                "check the file's content, or the rules in analysis/data/boilerplate.yaml"))
        return None
    for _, rule, removed, n_chars, share in rules_over_share(result, n_chars=len(raw)).itertuples(index=False):
        problems.append(Problem("warning", where, f"the cleaning rule {rule} removed {removed:,} of {n_chars:,} "
                                f"characters ({share * 100:.0f} %)",
                                "check the rule in analysis/data/boilerplate.yaml against what it removed (the audit "
                                "lists it): if that is the document's text, narrow the rule's pattern or limit it to "
                                "the document's edges with 'where: edge'"))
    head = raw.lstrip()[:200].lower()
    n_cjk = count_cjk(result.text)
    foreign = _foreign_script(result.text, n_cjk)
    if head.startswith(("<!doctype html", "<html", "<?xml")) or len(_TAG_RE.findall(raw[:20000])) > 20:
        problems.append(Problem("warning", where, "looks like an HTML or XML page: its tags and scripts are counted as text",
                                "save the page's text only (in a browser: select the article, copy, paste into a .txt file)"))
    elif foreign:
        language, script, n = foreign
        problems.append(Problem("warning", where, f"looks like {language}, not Chinese: {n:,} of its characters are "
                                f"{script} (against {n_cjk:,} Chinese characters)",
                                "remove it from the manifest: jieba segments Chinese, and its words would be counted as Chinese"))
    elif n_cjk == 0:
        problems.append(Problem("warning", where, "contains no Chinese characters",
                                "check that this is the right file; it adds nothing to Chinese word counts"))
    elif (share := n_cjk / max(1, len(result.text) - result.text.count("\n"))) < 0.2:
        problems.append(Problem("warning", where, f"is only {share:.0%} Chinese characters",
                                "check for a wrong encoding or leftover markup"))
    return Document(row["id"], row["file"], dict(row), raw, encoding, result)
