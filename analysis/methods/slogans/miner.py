"""The miner: :func:`find_slogans` and its steps (generate, confirm, count, score, rank, families)."""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ...config import DEFAULT_BY
from ...corpus import Corpus
from ...lexicon import stopwords
from .affixes import affix_patterns, filler, needs_confirmation
from .candidates import KINDS, Candidate, add_match
from .enumerations import enumerations
from .families import families
from .match import Match
from .ngrams import TextIndex, positions, recurring_ngrams
from .numbered import numbered_formulations, numbered_shape
from .quoted import quoted_phrases
from .scoring import score
from .settings import Settings, load_settings
from .words import all_words, cut, has_tag, is_boundary, is_dict_word, tag

__all__ = ["SLOGAN_COLUMNS", "find_slogans"]

#: Columns of :func:`find_slogans`' result, in order.
SLOGAN_COLUMNS = [
    "rank", "slogan", "kind", "family", "core", "count", "n_docs", "documents", "n_groups", "groups",
    "score", "evidence", "length", "context",
]


def find_slogans(
    corp: Corpus,
    by: str | None = DEFAULT_BY,
    *,
    kinds: Iterable[str] | None = None,
    min_docs: int | None = None,
    include_titles: bool = False,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Mine the recurring formulations of a corpus, ranked, with their spread across groups.

    Works on the clean Simplified text (``d.text``) of any corpus: a Traditional
    original gives the same result. Candidates come from five generators
    (:func:`quoted_phrases`, :func:`numbered_formulations`, :func:`enumerations`,
    :func:`affix_patterns`, :func:`recurring_ngrams`); a text found by several is
    merged into one row, reported under its most specific kind (order of
    :data:`KINDS`) with every generator listed in ``evidence``. Every candidate is
    then counted wherever it occurs, quoted or not.

    Ranking. Each slogan gets (weights ``w`` in ``data/slogans.yaml``)

        score = prior[kind]·strength + w_s·regularity + w_e·evidence
                + w_d·log2(n_docs)/log2(N) + w_g·log2(n_groups)/log2(G)
                + frequency − w_l·length_penalty

    * ``prior[kind]``: how strong the kind's evidence of a fixed formulation is: a
      numeral summarising a list and a repeated affix are deliberate constructions
      (highest), a parallel series and quotation marks (the author's own flag) come next,
      a bare recurring n-gram is the weakest (negative);
    * ``strength`` (0–1): 1 for structural kinds; for a quotation the share of the
      phrase's occurrences that are quoted (full from ``quote_share_full``), so a word
      quoted once among thousands of uses is not a slogan;
    * ``regularity`` (0–1): structure. Series: whether the items share a template, the
      share of characters they share by position, equal lengths, the number of items.
      Affix patterns: the number of units, whether their slots also take other affixes
      (实: 压实, 落实, 抓实) and whether the affix takes several slots. Both lose
      ``vocabulary_penalty`` when every item is an ordinary dictionary word (检验检测).
      Pair templates (三区两通道) score 1, other numbered formulations 0.5. N-grams: their
      length beyond ``ngram_min_chars`` (a long verbatim match is unlikely by chance);
    * ``evidence``: the strengths of the other generators that found the same text
      (四个意识 is quoted and numbered), plus 1 for an n-gram that is an item of a series;
    * spread: the documents (out of N) and groups (out of G) that use it, on a log
      scale relative to the corpus, so weights mean the same on 5 or 500 documents;
    * ``frequency``: ``w_c·log2(1 + count/n_docs)`` for structured kinds; for a bare
      n-gram ``−w_b·log2(count/n_docs)``, because repetition within documents marks a
      topic (疫情防控 on every line), not a formulation;
    * ``length_penalty``: log2 distance of the length in Chinese characters from
      ``ideal_min_chars``–``ideal_max_chars``.

    Ties are broken by the slogan's text, so the order is deterministic. A text inside
    a longer slogan that accounts for at least ``subsumed_share`` of its occurrences is
    dropped, so a long formula is not also reported as its fragments.

    Families. Variants that share a core are one family (see :func:`~analysis.methods.slogans.families.families`): same
    template or affix (守土□责; 从□ with a shared unit), two series sharing two items,
    or a single formulation that is an item of a templated series. The family is
    labelled with its best-ranked member, and members join it only through that member.

    Parameters
    ----------
    corp : Corpus
    by : str or None
        Manifest column whose values are the groups (None: each document is a group).
    kinds : iterable of str, optional
        Keep only these kinds (default: all but ``title``).
    min_docs : int, optional
        Documents an n-gram must recur in (default: ``ngram_min_docs``, or
        ``ngram_min_doc_share`` of the documents if that is more).
    include_titles : bool
        Also report document titles quoted in 《》 (kind ``title``).
    settings : Settings, optional
        Other settings than ``data/slogans.yaml`` (:func:`load_settings`).

    Returns
    -------
    DataFrame
        One row per slogan with the columns of :data:`SLOGAN_COLUMNS`: rank, slogan,
        kind, family, core, count, n_docs, documents (ids joined by ", "), n_groups,
        groups (joined by ", "), score, evidence (generators joined by "+"), length,
        context (the first occurrence, 【marked】 in its sentence).
    """
    s = settings or load_settings()
    docs = list(corp)
    groups = corp.groups(by)
    group_of = {d.id: str(groups[d.id]) for d in docs}
    wanted = _wanted_kinds(kinds, include_titles)
    texts = [d.text for d in docs]
    cands = _generate(texts, include_titles, s)
    _add_ngrams(cands, texts, min_docs, s)
    _mark_components(cands)
    cands = {t: c for t, c in cands.items() if c.kind() in wanted}
    rows = _count_and_score(cands, texts, [d.id for d in docs], group_of, s)
    rows = _drop_subsumed(rows, s.subsumed_share)
    return _ranked(rows, cands)


# --------------------------------------------------------------------------- the steps


def _wanted_kinds(kinds: Iterable[str] | None, include_titles: bool) -> set[str]:
    """The kinds to report: ``kinds``, else all but ``title`` (unless ``include_titles``)."""
    wanted = set(kinds) if kinds is not None else set(KINDS) - ({"title"} if not include_titles else set())
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kind(s) {sorted(unknown)}; use some of {', '.join(KINDS)}")
    return wanted


def _generate(texts: Sequence[str], include_titles: bool, s: Settings) -> dict[str, Candidate]:
    """Run the four text generators on every text and merge their matches by text.

    Prefix patterns are scored against the corpus' paradigm (:func:`_add_prefix_patterns`);
    suffix patterns and frames are kept only when the corpus confirms them
    (:func:`_add_confirmed_patterns`).
    """
    cands: dict[str, Candidate] = {}
    pending: list[Match] = []  # suffix patterns and frames, confirmed below
    prefixed: list[Match] = []
    for text in texts:
        for m in quoted_phrases(text, titles=include_titles, settings=s):
            add_match(cands, m)
            if m.kind == "quoted" and numbered_shape(m.text, s):
                add_match(cands, Match(m.start, m.end, m.text, "numbered", regularity=1.0))
        for m in numbered_formulations(text, settings=s):
            add_match(cands, m)
        for m in enumerations(text, settings=s):
            add_match(cands, m)
        for m in affix_patterns(text, settings=s):
            (pending if needs_confirmation(m) else prefixed).append(m)
    _add_prefix_patterns(cands, prefixed, s)
    _add_confirmed_patterns(cands, pending, s)
    return cands


def _add_prefix_patterns(cands: dict[str, Candidate], prefixed: Sequence[Match], s: Settings) -> None:
    """Add the prefix patterns, their regularity raised by the corpus' paradigm.

    A slot that takes several affixes (实: 压实, 落实, 抓实, 从实) and an affix that takes
    several slots (做: 做大, 做强, 做优) mark a productive formula; two dictionary words
    sharing a character (检验检测, 教育教学) are vocabulary.
    """
    slot_affixes: dict[str, set[str]] = defaultdict(set)
    affix_slots: dict[str, set[str]] = defaultdict(set)
    for m in prefixed:
        affix = m.core[:-1]
        for u in m.items:
            slot_affixes[u[len(affix):]].add(affix)
            affix_slots[affix].add(u[len(affix):])
    for m in prefixed:
        affix = m.core[:-1]
        paradigm = sum(len(slot_affixes[u[len(affix):]]) >= 2 for u in m.items) / len(m.items)
        productive = len(affix_slots[affix]) >= 3
        base = (0.3 if len(m.items) == 2 else 0.5) * (1.0 if len({len(u) for u in m.items}) == 1 else 0.8)
        reg = base + 0.3 * paradigm + 0.2 * productive - s.vocabulary_penalty * all_words(m.items)
        add_match(cands, Match(m.start, m.end, m.text, m.kind, m.core, m.items, round(max(0.0, reg), 4)))


def _add_confirmed_patterns(cands: dict[str, Candidate], pending: Sequence[Match], s: Settings) -> None:
    """Add the suffix patterns and frames whose core takes ``frame_min_fillers`` fillers in the corpus."""
    fillers: dict[str, set[str]] = defaultdict(set)
    for m in pending:
        fillers[m.core].add(filler(m))
    for m in pending:
        if len(fillers[m.core]) >= s.frame_min_fillers:
            add_match(cands, Match(m.start, m.end, m.text, m.kind, m.core, m.items, 0.8))


def _add_ngrams(cands: dict[str, Candidate], texts: Sequence[str], min_docs: int | None, s: Settings) -> None:
    """Add the recurring n-grams (:func:`recurring_ngrams`) that pass :func:`_ngram_ok`, or that
    another generator found already."""
    stop = stopwords()
    if min_docs is None:
        min_docs = max(int(s.ngram_min_docs), math.ceil(s.ngram_min_doc_share * len(texts)))
    if len(texts) >= min_docs:
        ng = recurring_ngrams(texts, min_docs=min_docs, min_len=s.ngram_min_chars, max_len=s.ngram_max_chars)
        for g in ng["ngram"]:
            if g in cands or _ngram_ok(g, s, stop):
                add_match(cands, Match(0, 0, g, "ngram"))


def _mark_components(cands: Mapping[str, Candidate]) -> None:
    """Mark the candidates that are an item of a series or a unit of an affix pattern."""
    parts = {u for c in cands.values() for k in ("enumeration", "affix") for u in c.units.get(k, ())}
    for t, c in cands.items():
        c.component = t in parts


def _count_and_score(cands: Mapping[str, Candidate], texts: Sequence[str], ids: Sequence[str],
                     group_of: Mapping[str, str], s: Settings) -> list[dict]:
    """Count every candidate wherever it occurs and score it: one row per candidate found.

    An n-gram found by no other generator is dropped when it cuts words (:func:`_aligned`).
    """
    idx = TextIndex(texts)
    found = positions(idx, cands, s)
    g_total = len(set(group_of.values()))
    rows = []
    for t, c in cands.items():
        pos = found[t]
        if not len(pos):
            continue
        if c.kinds == {"ngram"} and not _aligned(idx, pos, len(t)):
            continue
        dix = idx.doc_of[pos]
        doc_ids = [ids[i] for i in sorted(set(int(x) for x in dix))]
        grp = sorted({group_of[i] for i in doc_ids})
        d0, off = idx.local(int(pos[0]))
        value = score(c, len(pos), len(doc_ids), len(grp), len(texts), g_total, s)
        rows.append({
            "slogan": t, "kind": c.kind(), "core": c.core(), "count": int(len(pos)), "n_docs": len(doc_ids),
            "documents": ", ".join(doc_ids), "n_groups": len(grp), "groups": ", ".join(grp),
            "score": round(value, 4), "evidence": "+".join(k for k in KINDS if k in c.kinds),
            "length": len(t), "context": _context(texts[d0], off, off + len(t)),
        })
    return rows


def _ranked(rows: list[dict], cands: Mapping[str, Candidate]) -> pd.DataFrame:
    """The rows sorted by score (ties: by text), ranked, with their family (:data:`SLOGAN_COLUMNS`)."""
    df = pd.DataFrame(rows, columns=[c for c in SLOGAN_COLUMNS if c not in ("rank", "family")])
    if df.empty:
        out = pd.DataFrame(columns=SLOGAN_COLUMNS)
        return out
    df = df.sort_values(["score", "slogan"], ascending=[False, True], kind="stable").reset_index(drop=True)
    family = families(list(df["slogan"]), cands)
    df.insert(2, "family", [family[t] for t in df["slogan"]])
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    return df[SLOGAN_COLUMNS]


# --------------------------------------------------------------------------- filters and helpers


def _ngram_ok(g: str, s: Settings, stop: frozenset[str]) -> bool:
    """An n-gram is a candidate when it does not start or end with a stopword or a
    function word, is not one ordinary dictionary word (idioms, tags i and l, are
    fine) and is not mostly names."""
    toks = cut(g)
    if not toks:
        return False
    for t in (toks[0], toks[-1]):
        if t in stop or has_tag(t, s.function_tags):
            return False
    if len(toks) == 1 and is_dict_word(g) and tag(g) not in ("i", "l"):
        return False
    proper = sum(len(t) for t in toks if has_tag(t, s.proper_tags))
    return proper / len(g) < 0.5



def _drop_subsumed(rows: list[dict], share: float) -> list[dict]:
    """Keep formulations maximal: drop a text when a longer one contains it and accounts
    for at least ``share`` of its occurrences (四好农村 inside 四好农村路, 132 of 132)."""
    count = {r["slogan"]: r["count"] for r in rows}
    drop = set()
    for r in rows:
        u, cu = r["slogan"], r["count"]
        if len(u) > 16:
            continue
        for a in range(len(u)):
            for b in range(a + 2, len(u) + 1):
                v = u[a:b]
                if v != u and v in count and cu >= share * count[v]:
                    drop.add(v)
    return [r for r in rows if r["slogan"] not in drop]


def _aligned(idx: TextIndex, pos: np.ndarray, n: int, sample: int = 3) -> bool:
    """Does the n-gram start and end on word boundaries in most of its first occurrences?

    阻断疫情传播 and 切断疫情传播 both contain 断疫情传播, a closed n-gram that cuts a word
    in two: it is dropped here.
    """
    ok = 0
    picks = pos[:: max(1, len(pos) // sample)][:sample]
    for p in picks:
        d, off = idx.local(int(p))
        text = idx.texts[d]
        ok += is_boundary(text, off) and is_boundary(text, off + n)
    return 2 * ok >= len(picks)


def _context(text: str, start: int, end: int, width: int = 12) -> str:
    """The occurrence at ``start:end`` 【marked】 with ``width`` characters either side (line breaks as ⏎)."""
    left = text[max(0, start - width) : start].replace("\n", "⏎")
    right = text[end : end + width].replace("\n", "⏎")
    return f"{'…' if start > width else ''}{left}【{text[start:end]}】{right}{'…' if end + width < len(text) else ''}"
