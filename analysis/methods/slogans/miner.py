"""The miner: :func:`find_slogans` and its steps (generate, confirm, count, score, rank, families)."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ...cluster import DaskPool, scheduler_address
from ...config import DEFAULT_BY
from ...corpus import Corpus
from ...lexicon import stopwords
from ...text import NUMERAL_CHARS
from .affixes import affix_patterns, filler, needs_confirmation
from .candidates import KINDS, Candidate, add_match
from .enumerations import enumerations
from .families import families
from .match import Match
from .ngrams import DocumentTexts, occurrences, recurring_ngrams, subset, text_lengths
from .numbered import numbered_formulations, numbered_shape
from .quoted import quoted_phrases
from .scoring import dispersion, score
from .settings import Settings, load_settings
from .words import all_words, cut, has_tag, is_boundary, is_dict_word, tag

__all__ = ["SLOGAN_COLUMNS", "find_slogans"]

#: Columns of :func:`find_slogans`' result, in order.
SLOGAN_COLUMNS = [
    "rank", "slogan", "kind", "family", "core", "count", "n_docs", "documents", "n_groups", "groups", "spread",
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
    extra_phrases: Iterable[str] | pd.DataFrame | None = None,
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
                + w_p·(1 − DP) + frequency − w_l·length_penalty

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
      Pair templates (三区两通道) score 1, other numbered formulations 0.5. N-grams and
      collocations: their length beyond ``ngram_min_chars`` (a long verbatim match is
      unlikely by chance), or ``four_char_regularity`` for a 四字格 (稳中求进);
    * ``evidence``: the strengths of the other generators that found the same text
      (四个意识 is quoted and numbered), plus 1 for an n-gram that is an item of a series;
    * spread: the documents (out of N) and groups (out of G) that use it, on a log
      scale relative to the corpus, so weights mean the same on 5 or 500 documents;
    * dispersion: 1 − DP (Gries' deviation of proportions,
      :func:`~analysis.methods.slogans.scoring.dispersion`): a formulation every document uses
      in proportion to its length is a shared formula whatever its kind;
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
        ``ngram_min_doc_share`` of the documents if that is more; an n-gram under it
        is kept when it reaches that share of the documents of one group or one
        period, and reported as concentrated in ``spread``). Given explicitly, it is
        the one threshold.
    include_titles : bool
        Also report document titles quoted in 《》 (kind ``title``).
    settings : Settings, optional
        Other settings than ``data/slogans.yaml`` (:func:`load_settings`).
    extra_phrases : iterable of str, or DataFrame with a ``phrase`` column, optional
        Candidate phrases found elsewhere, such as by collocation statistics
        (the seam for :mod:`analysis.collocations`): each becomes a candidate of kind
        ``collocation`` (or adds that evidence to a text another generator found),
        counted and scored like the others; the filters of bare n-grams apply.

    Returns
    -------
    DataFrame
        One row per slogan with the columns of :data:`SLOGAN_COLUMNS`: rank, slogan,
        kind, family, core, count, n_docs, documents (ids joined by ", "), n_groups,
        groups (joined by ", "), spread ("wide", or "concentrated: GROUP" or
        "concentrated: FIRST–LAST" when every occurrence lies in one group or one
        period of ordered groups), score, evidence (generators joined by "+"),
        length, context (the first occurrence, 【marked】 in its sentence).
    """
    s = settings or load_settings()
    docs = list(corp)
    groups = corp.groups(by)
    group_of = {d.id: str(groups[d.id]) for d in docs}
    wanted = _wanted_kinds(kinds, include_titles)
    texts = DocumentTexts(docs)  # read from the document cache as needed: a corpus larger than memory works
    labels = [group_of[d.id] for d in docs]
    periods = _periods(labels, s)
    corpus_min = _corpus_min_docs(len(texts), min_docs, s)
    cands = _generate(texts, include_titles, s)
    _add_ngrams(cands, texts, labels, periods, corpus_min, min_docs is None, s)
    _add_extra(cands, extra_phrases)
    _mark_components(cands)
    cands = {t: c for t, c in cands.items() if c.kind() in wanted}
    spread = _Spread(labels, periods, corpus_min, min_docs is None, s)
    rows = _count_and_score(cands, texts, [d.id for d in docs], group_of, spread, s)
    rows = _drop_subsumed(rows, s.subsumed_share, int(s.subsumed_max_chars))
    return _ranked(rows, cands)


# --------------------------------------------------------------------------- the steps


def _wanted_kinds(kinds: Iterable[str] | None, include_titles: bool) -> set[str]:
    """The kinds to report: ``kinds``, else all but ``title`` (unless ``include_titles``)."""
    wanted = set(kinds) if kinds is not None else set(KINDS) - ({"title"} if not include_titles else set())
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kind(s) {sorted(unknown)}; use some of {', '.join(KINDS)}")
    return wanted


def text_matches(texts: Sequence[str], include_titles: bool, s: Settings) -> list[tuple[list[Match], list[Match]]]:
    """For each text: the matches of the quoted, numbered and enumeration generators, in order, and the affix
    patterns (a task on a Dask cluster for a run of texts)."""
    out = []
    for text in texts:
        found: list[Match] = []
        for m in quoted_phrases(text, titles=include_titles, settings=s):
            found.append(m)
            if m.kind == "quoted" and numbered_shape(m.text, s):
                found.append(Match(m.start, m.end, m.text, "numbered", regularity=1.0))
        found += numbered_formulations(text, settings=s)
        found += enumerations(text, settings=s)
        out.append((found, list(affix_patterns(text, settings=s))))
    return out


#: characters of text in each task on a Dask cluster
CLUSTER_CHARS = 4_000_000


def _generate(texts: Sequence[str], include_titles: bool, s: Settings) -> dict[str, Candidate]:
    """Run the four text generators on every text (:func:`text_matches`) and merge their matches by text.

    With a Dask scheduler (``$ANALYSIS_SCHEDULER``) the texts go to the cluster's workers in runs of
    :data:`CLUSTER_CHARS` characters, the settings travelling with each task; the matches are merged here in
    corpus order, as on this machine.

    Prefix patterns are scored against the corpus' paradigm (:func:`_add_prefix_patterns`);
    suffix patterns and frames are kept only when the corpus confirms them
    (:func:`_add_confirmed_patterns`).
    """
    cands: dict[str, Candidate] = {}
    # affix patterns, scored or confirmed below once the corpus is read: each distinct one (its place in the text
    # aside) with the number of times it was found, in order of first appearance, so memory holds the patterns,
    # not every occurrence
    pending: dict[Match, int] = {}  # suffix patterns and frames
    prefixed: dict[Match, int] = {}

    def merge(per_text) -> None:
        for found, affixes in per_text:
            for m in found:
                add_match(cands, m)
            for m in affixes:
                bucket = pending if needs_confirmation(m) else prefixed
                key = replace(m, start=0, end=0)
                bucket[key] = bucket.get(key, 0) + 1

    if scheduler_address():
        with DaskPool(scheduler_address()) as pool:
            for f in pool.map_runs(text_matches, texts, CLUSTER_CHARS, include_titles, s):
                merge(f.result())
    else:
        for text in texts:
            merge(text_matches([text], include_titles, s))
    _add_prefix_patterns(cands, prefixed, s)
    _add_confirmed_patterns(cands, pending, s)
    return cands


def _add_prefix_patterns(cands: dict[str, Candidate], prefixed: Mapping[Match, int], s: Settings) -> None:
    """Add the prefix patterns, their regularity raised by the corpus' paradigm.

    A slot that takes several affixes (实: 压实, 落实, 抓实, 从实) and an affix that takes
    several slots (做: 做大, 做强, 做优) mark a productive formula; two dictionary words
    sharing a character (检验检测, 教育教学) are vocabulary.
    """
    pr = s.prefix_regularity
    slot_affixes: dict[str, set[str]] = defaultdict(set)
    affix_slots: dict[str, set[str]] = defaultdict(set)
    for m in prefixed:
        affix = m.core[:-1]
        for u in m.items:
            slot_affixes[u[len(affix):]].add(affix)
            affix_slots[affix].add(u[len(affix):])
    for m, times in prefixed.items():
        affix = m.core[:-1]
        paradigm = sum(len(slot_affixes[u[len(affix):]]) >= 2 for u in m.items) / len(m.items)
        productive = len(affix_slots[affix]) >= pr["productive_min_slots"]
        base = (pr["two_units"] if len(m.items) == 2 else pr["more_units"]) * (
            1.0 if len({len(u) for u in m.items}) == 1 else pr["unequal_lengths"])
        reg = base + pr["paradigm"] * paradigm + pr["productive"] * productive - s.vocabulary_penalty * all_words(m.items)
        add_match(cands, replace(m, regularity=round(max(0.0, reg), 4)), times)


def _add_confirmed_patterns(cands: dict[str, Candidate], pending: Mapping[Match, int], s: Settings) -> None:
    """Add the suffix patterns and frames whose core takes ``frame_min_fillers`` fillers in the corpus."""
    fillers: dict[str, set[str]] = defaultdict(set)
    for m in pending:
        fillers[m.core].add(filler(m))
    for m, times in pending.items():
        if len(fillers[m.core]) >= s.frame_min_fillers:
            add_match(cands, replace(m, regularity=float(s.confirmed_regularity)), times)


def _corpus_min_docs(n_texts: int, min_docs: int | None, s: Settings) -> int:
    """Documents an n-gram must recur in over the whole corpus (see :func:`find_slogans`)."""
    if min_docs is not None:
        return int(min_docs)
    return max(int(s.ngram_min_docs), math.ceil(s.ngram_min_doc_share * n_texts))


def _local_min_docs(n_texts: int, s: Settings) -> int:
    """Documents an n-gram must recur in within one group or period of ``n_texts`` documents."""
    return max(int(s.ngram_min_docs), math.ceil(s.ngram_min_doc_share * n_texts))


def _order_key(label: str):
    """A sortable value when the label is a number or an ISO date (2022, 2022-03, 2022-03-31), else None."""
    try:
        return (0, float(label))
    except ValueError:
        pass
    parts = label.split("-")
    if 1 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        return (1, tuple(int(p) for p in parts))
    return None


def _periods(labels: Sequence[str], s: Settings) -> list[tuple[str, ...]]:
    """Runs of 2 to ``period_max_groups`` consecutive groups, when every group label is ordered; else none."""
    names = sorted(set(labels))
    keys = {g: _order_key(g) for g in names}
    if len(names) < 3 or any(k is None for k in keys.values()) or len({k[0] for k in keys.values()}) > 1:
        return []
    ordered = sorted(names, key=keys.__getitem__)
    width = int(s.period_max_groups)
    return [tuple(ordered[i:i + w]) for w in range(2, width + 1) for i in range(len(ordered) - w + 1)]


def _add_ngrams(cands: dict[str, Candidate], texts: Sequence[str], labels: Sequence[str],
                periods: Sequence[tuple[str, ...]], corpus_min: int, local: bool, s: Settings) -> None:
    """Add the recurring n-grams (:func:`recurring_ngrams`) that pass :func:`_ngram_ok`, or that
    another generator found already: those of the corpus, and (``local``) those of each group
    and each period at the group's or period's own threshold."""
    stop = stopwords()
    subsets = [list(range(len(texts)))]
    if local and len(set(labels)) > 1:
        members = defaultdict(list)
        for i, g in enumerate(labels):
            members[g].append(i)
        subsets += [members[g] for g in sorted(members)]
        subsets += [[i for g in p for i in members[g]] for p in periods]
    seen: set[str] = set()
    for k, idx in enumerate(subsets):
        need = corpus_min if k == 0 else _local_min_docs(len(idx), s)
        if k and need >= corpus_min:
            continue  # nothing the corpus-wide pass has not found
        if len(idx) < need:
            continue
        ng = recurring_ngrams(subset(texts, idx), min_docs=need, min_len=s.ngram_min_chars,
                              max_len=s.ngram_max_chars)
        for g in ng["ngram"]:
            if g in seen:
                continue
            seen.add(g)
            if g in cands or _ngram_ok(g, s, stop):
                add_match(cands, Match(0, 0, g, "ngram"))


def _add_extra(cands: dict[str, Candidate], extra) -> None:
    """Add phrases proposed elsewhere (collocation statistics) as candidates of kind ``collocation``."""
    if extra is None:
        return
    phrases = extra["phrase"] if isinstance(extra, pd.DataFrame) else extra
    for p in dict.fromkeys(str(x) for x in phrases):
        if len(p) >= 2:
            add_match(cands, Match(0, 0, p, "collocation"))


class _Spread:
    """Where a candidate's documents lie: widely, or concentrated in one group or one period."""

    def __init__(self, labels: Sequence[str], periods, corpus_min: int, local: bool, s: Settings):
        self.labels, self.corpus_min, self.local = list(labels), corpus_min, local
        self.size = defaultdict(int)
        for g in labels:
            self.size[g] += 1
        self.periods = [(set(p), p) for p in periods]
        self.n_groups = len(self.size)
        self.s = s

    def label(self, doc_idx: Sequence[int]) -> tuple[str, bool]:
        """("wide" or "concentrated: …", whether a bare n-gram in these documents is kept)."""
        n = len(doc_idx)
        groups = {self.labels[i] for i in doc_idx}
        if self.n_groups > 1 and len(groups) == 1:
            (g,) = groups
            return f"concentrated: {g}", n >= self.corpus_min or (self.local and n >= _local_min_docs(self.size[g], self.s))
        for members, p in self.periods:
            if groups <= members and len(groups) > 1:
                size = sum(self.size[g] for g in p)
                return (f"concentrated: {p[0]}–{p[-1]}",
                        n >= self.corpus_min or (self.local and n >= _local_min_docs(size, self.s)))
        return "wide", n >= self.corpus_min


def _mark_components(cands: Mapping[str, Candidate]) -> None:
    """Mark the candidates that are an item of a series or a unit of an affix pattern."""
    parts = {u for c in cands.values() for k in ("enumeration", "affix") for u in c.units.get(k, ())}
    for t, c in cands.items():
        c.component = t in parts


def _count_and_score(cands: Mapping[str, Candidate], texts: Sequence[str], ids: Sequence[str],
                     group_of: Mapping[str, str], spread: "_Spread", s: Settings) -> list[dict]:
    """Count every candidate wherever it occurs and score it: one row per candidate found.

    Dropped: numbers (二千二百), generic single words (:func:`_generic_word`), and an n-gram
    found by no other generator when it cuts words (:func:`_aligned`) or recurs in too few
    documents for its spread (:class:`_Spread`).
    """
    found = occurrences(texts, cands, s)
    g_total = len(set(group_of.values()))
    doc_len = text_lengths(texts).astype(np.float64)
    rows = []
    for t, c in cands.items():
        dix, offs = found[t]
        if not len(dix) or _is_number(t):
            continue
        bare = c.kinds <= _BARE
        if bare and not _aligned(texts, dix, offs, len(t)):
            continue
        if c.kinds <= _BARE | {"quoted", "title"} and _generic_word(t, c, len(dix), s):
            continue
        doc_idx = sorted(set(int(x) for x in dix))
        where, enough = spread.label(doc_idx)
        if bare and not enough:
            continue
        doc_ids = [ids[i] for i in doc_idx]
        grp = sorted({group_of[i] for i in doc_ids})
        d0, off = int(dix[0]), int(offs[0])
        dp = dispersion(np.bincount(dix, minlength=len(texts)), doc_len)
        value = score(c, len(dix), len(doc_ids), len(grp), len(texts), g_total, s, dp=dp)
        rows.append({
            "slogan": t, "kind": c.kind(), "core": c.core(), "count": int(len(dix)), "n_docs": len(doc_ids),
            "documents": ", ".join(doc_ids), "n_groups": len(grp), "groups": ", ".join(grp), "spread": where,
            "score": round(value, 4), "evidence": "+".join(k for k in KINDS if k in c.kinds),
            "length": len(t), "context": _context(texts[d0], off, off + len(t)),
        })
    return rows


#: Kinds that vouch for nothing but recurrence: a candidate found only by them is a "bare" phrase.
_BARE = frozenset({"ngram", "collocation"})


def _is_number(t: str) -> bool:
    """A string of numerals only (二千二百, 2024): a number, never a formulation."""
    return all(ch in NUMERAL_CHARS for ch in t)


def _generic_word(t: str, c: Candidate, count: int, s: Settings) -> bool:
    """One ordinary dictionary word (not an idiom or fixed expression), not quoted in most of its uses."""
    if not is_dict_word(t) or tag(t) in ("i", "l") or len(cut(t)) != 1:
        return False
    return c.matches.get("quoted", 0) < s.quote_share_full * count


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
    fine) and is not mostly names (``proper_min_parts`` proper nouns covering half
    of it: one part tagged nz, as in 中国式现代化, does not reject it)."""
    toks = cut(g)
    if not toks:
        return False
    for t in (toks[0], toks[-1]):
        if t in stop or has_tag(t, s.function_tags):
            return False
    if len(toks) == 1 and is_dict_word(g) and tag(g) not in ("i", "l"):
        return False
    names = [t for t in toks if has_tag(t, s.proper_tags)]
    if len(toks) == 1:
        return not names
    return len(names) < int(s.proper_min_parts) or sum(map(len, names)) / len(g) < 0.5



def _drop_subsumed(rows: list[dict], share: float, max_chars: int = 16) -> list[dict]:
    """Keep formulations maximal: drop a text when a longer one (of at most ``max_chars``)
    contains it and accounts for at least ``share`` of its occurrences (四好农村 inside
    四好农村路, 132 of 132)."""
    count = {r["slogan"]: r["count"] for r in rows}
    drop = set()
    for r in rows:
        u, cu = r["slogan"], r["count"]
        if len(u) > max_chars:
            continue
        for a in range(len(u)):
            for b in range(a + 2, len(u) + 1):
                v = u[a:b]
                if v != u and v in count and cu >= share * count[v]:
                    drop.add(v)
    return [r for r in rows if r["slogan"] not in drop]


def _aligned(texts: Sequence[str], docs: np.ndarray, offs: np.ndarray, n: int, sample: int = 3) -> bool:
    """Does the n-gram start and end on word boundaries in most of its first occurrences?

    ``docs`` and ``offs`` are its occurrences (:func:`~analysis.methods.slogans.ngrams.occurrences`).
    阻断疫情传播 and 切断疫情传播 both contain 断疫情传播, a closed n-gram that cuts a word
    in two: it is dropped here.
    """
    ok = 0
    picks = range(len(docs))[:: max(1, len(docs) // sample)][:sample]
    for k in picks:
        text, off = texts[int(docs[k])], int(offs[k])
        ok += is_boundary(text, off) and is_boundary(text, off + n)
    return 2 * ok >= len(picks)


def _context(text: str, start: int, end: int, width: int = 12) -> str:
    """The occurrence at ``start:end`` 【marked】 with ``width`` characters either side (line breaks as ⏎)."""
    left = text[max(0, start - width) : start].replace("\n", "⏎")
    right = text[end : end + width].replace("\n", "⏎")
    return f"{'…' if start > width else ''}{left}【{text[start:end]}】{right}{'…' if end + width < len(text) else ''}"
