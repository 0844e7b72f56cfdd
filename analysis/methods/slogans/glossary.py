"""The bilingual glossary (:func:`load_glossary`, :func:`glossary_join`, :func:`pinyin`) and lexicon candidates for review."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from ...config import data_file
from ...lexicon import is_word, load_lexicon
from ...text import CJK_CLASS

__all__ = [
    "LEXICON_COLUMNS", "lexicon_candidates", "write_lexicon_candidates", "GLOSSARY_COLUMNS", "pinyin",
    "load_glossary", "glossary_join", "missing_glosses",
]

LEXICON_COLUMNS = ["term", "freq", "pos", "gloss"]


def lexicon_candidates(slogans: pd.DataFrame, *, top: int | None = 100, min_docs: int = 1,
                       lexicon: str | Path | None = None, glossary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mined formulations that the segmentation lexicon does not have yet, for review.

    Never writes the lexicon: the rows are proposals for a person to check and paste
    into ``data/lexicon.tsv`` (see ``docs/feeding-the-lexicon.md``).

    A candidate term is a slogan among the ``top`` first (or an item of a series among
    them) that is made only of Chinese characters, 3–12 long, found in at least
    ``min_docs`` documents, is not in the lexicon, and that the segmenter (jieba with the
    current lexicon) does not already keep whole.

    Returns
    -------
    DataFrame
        term, freq (empty: jieba picks the smallest frequency that keeps it whole), pos
        (``l``: fixed expression or formulation), gloss (from the glossary, else empty: to
        write), then the evidence for the reviewer: rank, kind, count, n_docs, source
        (the slogan it comes from).
    """
    known = set(load_lexicon(lexicon)["term"])
    gl = load_glossary() if glossary is None else glossary
    gloss = dict(zip(gl["term"], gl["english"])) if len(gl) else {}
    sl = slogans.head(top) if top is not None else slogans
    sl = sl[sl["n_docs"] >= min_docs]
    rows, seen = [], set()
    only_cjk = re.compile(f"^[{CJK_CLASS}]{{3,12}}$")
    for r in sl.itertuples(index=False):
        terms = [(r.slogan, r.slogan)]
        if "、" in r.slogan or "，" in r.slogan:
            terms = [(it, r.slogan) for it in re.split("[、，]", r.slogan)]
        for term, source in terms:
            term = term.strip("“”「」")
            if term in seen or term in known or not only_cjk.match(term):
                continue
            seen.add(term)
            if is_word(term, lexicon):
                continue
            rows.append({"term": term, "freq": "", "pos": "l", "gloss": gloss.get(term, ""),
                         "rank": int(r.rank), "kind": r.kind, "count": int(r.count), "n_docs": int(r.n_docs),
                         "source": source})
    return pd.DataFrame(rows, columns=LEXICON_COLUMNS + ["rank", "kind", "count", "n_docs", "source"])


def write_lexicon_candidates(candidates: pd.DataFrame, path: str | Path) -> Path:
    """Write :func:`lexicon_candidates` as a TSV for review (never into the lexicon itself).

    The file has the lexicon's four columns; above each row a ``#`` comment gives the
    evidence (rank, kind, count, documents, source), so reviewed rows can be pasted
    into ``analysis/data/lexicon.tsv`` as they are. Refuses to overwrite the lexicon.
    """
    path = Path(path)
    if path.resolve() == data_file("lexicon.tsv").resolve():
        raise ValueError("write the candidates to a review file, not into the lexicon itself")
    lines = [
        "# Lexicon candidates mined by analysis.find_slogans(); NOT part of the lexicon.",
        "# Review each row (docs/feeding-the-lexicon.md): keep real formulations, write or check",
        "# the English gloss, then paste the kept rows (without the comment lines) into",
        "# analysis/data/lexicon.tsv.",
        "\t".join(LEXICON_COLUMNS),
    ]
    for r in candidates.itertuples(index=False):
        lines.append(f"# rank {r.rank} · {r.kind} · {r.count} occurrences in {r.n_docs} documents · from {r.source}")
        lines.append("\t".join(str(getattr(r, c)) for c in LEXICON_COLUMNS))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GLOSSARY_COLUMNS = ["term", "pinyin", "english", "note"]


def pinyin(text: str) -> str:
    """Hanyu pinyin with tone marks, one syllable per character, separated by spaces.

    Uses pypinyin's own dictionary of words for the readings of polyphones (重要 zhòng,
    重复 chóng); punctuation and other characters are kept as they are.
    """
    from pypinyin import Style, pinyin as _pinyin

    opening, tight = "“「『‘（", "“「『‘（、，。；：！？"
    out = ""
    for (syl,) in _pinyin(text, style=Style.TONE, errors=lambda x: [x]):
        if not any(c.isalpha() for c in syl):  # a run of punctuation
            if syl[0] in opening:
                out += (" " if out and not out.endswith(" ") else "") + syl
            else:
                out = out.rstrip(" ") + syl
        else:
            out += ("" if not out or out[-1] in tight else " ") + syl
    return out


def load_glossary(path: str | Path | None = None) -> pd.DataFrame:
    """The bilingual glossary of formulations (``data/glossary.tsv``).

    Columns term, pinyin, english, note; an empty pinyin is generated with :func:`pinyin`.
    Raises ValueError for a missing column, a duplicate term or a row without English.
    """
    path = Path(path) if path else data_file("glossary.tsv")
    df = pd.read_csv(path, sep="\t", dtype=str, comment="#", keep_default_na=False, quoting=csv.QUOTE_NONE)
    missing = set(GLOSSARY_COLUMNS) - set(df.columns)
    if missing:
        raise ValueError(f"{path}: the glossary needs the columns {', '.join(GLOSSARY_COLUMNS)}; missing {sorted(missing)}")
    for c in GLOSSARY_COLUMNS:
        df[c] = df[c].str.strip()
    dup = sorted(df.loc[df["term"].duplicated(), "term"])
    if dup:
        raise ValueError(f"{path}: duplicate terms {dup}")
    empty = df.loc[(df["term"] == "") | (df["english"] == ""), "term"].tolist()
    if empty:
        raise ValueError(f"{path}: every row needs a term and an English gloss (check {empty})")
    df["pinyin"] = [p or pinyin(t) for t, p in zip(df["term"], df["pinyin"])]
    return df[GLOSSARY_COLUMNS].reset_index(drop=True)


def glossary_join(slogans: pd.DataFrame, glossary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Slogans with pinyin and their English gloss, for readers who do not read Chinese.

    Every slogan keeps its row: ``pinyin`` is taken from the glossary or generated, and
    ``english`` is empty (``glossed`` False) when the glossary has no entry yet, so
    missing glosses show instead of disappearing (see :func:`missing_glosses`).
    """
    gl = load_glossary() if glossary is None else glossary
    out = slogans.merge(gl.rename(columns={"term": "slogan"}), on="slogan", how="left")
    out["glossed"] = out["english"].fillna("").ne("")
    out["pinyin"] = [p if isinstance(p, str) and p else pinyin(t) for t, p in zip(out["slogan"], out["pinyin"])]
    out[["english", "note"]] = out[["english", "note"]].fillna("")
    return out


def missing_glosses(slogans: pd.DataFrame, glossary: pd.DataFrame | None = None, *, top: int = 50) -> pd.DataFrame:
    """The ``top`` best-ranked slogans that the glossary does not gloss yet (rank, slogan, kind, pinyin)."""
    joined = glossary_join(slogans.head(top), glossary)
    return joined.loc[~joined["glossed"], ["rank", "slogan", "kind", "pinyin"]].reset_index(drop=True)
