"""Emphasis: what each group of documents stresses, and how forcefully, with honest uncertainty.

The instrument is a lexicon of categories in ``data/emphasis.yaml`` (topic
categories: *what* a text spends its words on; force categories: *how
forcefully* it speaks). Read it with :func:`load_emphasis_lexicon`; every
function takes ``lexicon=`` (a path, a parsed mapping or a loaded lexicon), so
another instrument needs no code change.

Matching (documented in the data file too):

* every term is searched as a substring of the clean text;
* **longest match first**: overlapping matches are resolved by accepting the
  longest first (ties: earlier start, then code-point order of the term), so
  决不能 counts once as 决不能 and not also as 不能; a stretch of text counts
  for at most one term, and a term declared in two categories credits both;
* ``exclude`` contexts drop occurrences inside longer words (要 in 要求, 重要);
* ``match: token`` keeps an occurrence only where jieba makes it a word of its
  own (须 but not 须臾); only the sentences of occurrences that would
  otherwise count are segmented.

Statistics:

* rates are hits per 1,000 characters of clean text (``n_chars`` as in
  :meth:`analysis.Corpus.to_frame`);
* the interval is a percentile bootstrap that resamples **sentences** (split
  after 。！？；!?; and line breaks, closing quotes kept with their sentence)
  with replacement within each group, and takes the ratio of sums
  (hits / characters) in each replicate. ``unit="document"`` resamples whole
  documents instead (wider, and degenerate for a group of one document).
  Sentences of one document are not independent, so the sentence interval is
  a lower bound on the uncertainty about *the issuer's* style; it is exact
  about the uncertainty of *these texts'* rate;
* each group gets its own random stream derived from ``seed`` and the group's
  name (numpy ``default_rng``), so a group's interval does not change when
  other groups are added or removed.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import math
import os
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import sparse

from .corpus import Corpus
from .config import DEFAULT_BY
from .errors import AnalysisError
from .config import SEED, data_file
from .text import SENTENCE_ENDS, codepoints, sentence_spans
from ._callable import make_callable

__all__ = [
    "LexiconError",
    "EmphasisLexicon",
    "load_emphasis_lexicon",
    "sentence_spans",
    "match_text",
    "emphasis_hits",
    "emphasis",
    "emphasis_by_document",
    "emphasis_positions",
    "emphasis_curve",
    "emphasis_robustness",
    "robustness_summary",
    "emphasis_kwic",
    "emphasis_leaders",
    "term_table",
    "lexicon_coverage",
    "token_check",
    "suggest_terms",
    "DEFAULT_SEED",
    "KINDS",
]

#: The suite's seed (:data:`analysis.plots.SEED`), used when no ``seed`` is given.
DEFAULT_SEED = SEED
KINDS = ("topic", "force")
#: Names of the rows that pool all categories of one kind (each stretch of text counted once).
TOTALS = {"topic": "all_topic", "force": "all_force"}
_TOTAL_NAMES = {"all_topic": ("全部主题词", "All topic terms"), "all_force": ("全部语气标记", "All force markers")}

_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TERM_KEYS = {"term", "match", "exclude", "note"}
_MATCH_MODES = ("substring", "token")

# candidate statuses
_COUNTED, _EXCLUDED, _NOT_TOKEN, _INSIDE = 0, 1, 2, 3


class LexiconError(AnalysisError, ValueError):
    """An emphasis lexicon file is malformed; the message lists every problem."""


# =========================================================================== lexicon


@dataclass(frozen=True)
class _Term:
    term: str
    categories: tuple[int, ...]
    match: str
    exclude: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class EmphasisLexicon:
    """A loaded, validated emphasis lexicon.

    Attributes
    ----------
    source : str
        File it was read from (or ``"<mapping>"``).
    name, rationale, matching : str
        The file's title and its documentation of the categories and of matching.
    categories : DataFrame
        category, kind, zh, en, definition, rationale, examples, n_terms (file order).
    terms : DataFrame
        category, term, match, exclude (tuple), shared (bool), note; one row per
        listing, so a declared shared term has one row per category.
    overlaps : DataFrame
        term, categories (tuple), reason: the declared shared terms.
    key : str
        Hash of the normalised content (cache key; equal content, equal key).
    """

    source: str
    name: str
    rationale: str
    matching: str
    categories: pd.DataFrame = field(repr=False)
    terms: pd.DataFrame = field(repr=False)
    overlaps: pd.DataFrame = field(repr=False)
    key: str = field(repr=False)
    _terms: tuple[_Term, ...] = field(repr=False, default=())

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other) -> bool:
        return isinstance(other, EmphasisLexicon) and other.key == self.key

    def __repr__(self) -> str:
        kinds = self.categories["kind"].value_counts()
        return (f"<EmphasisLexicon {self.name!r} · {len(self.categories)} categories "
                f"({kinds.get('topic', 0)} topic, {kinds.get('force', 0)} force) · "
                f"{self.terms['term'].nunique()} terms · {len(self.overlaps)} declared overlaps>")

    @property
    def category_ids(self) -> list[str]:
        """Category ids in file order."""
        return list(self.categories["category"])

    def terms_of(self, category: str) -> list[str]:
        """The terms listed in ``category`` (file order)."""
        if category not in self.category_ids:
            raise KeyError(f"no category {category!r}; categories: {', '.join(self.category_ids)}")
        return list(self.terms.loc[self.terms["category"] == category, "term"])

    def nesting(self) -> pd.DataFrame:
        """Pairs of terms where one contains the other, across different categories.

        Longest-match-first resolves them (the longer term wins where both
        match), but they are where a category can lose hits to another:
        columns shorter, shorter_category, longer, longer_category.
        """
        cats = self.terms.groupby("term", sort=False)["category"].agg(lambda s: tuple(s))
        rows = []
        terms = sorted(cats.index)
        for short in terms:
            for long in terms:
                if short != long and short in long and set(cats[short]) - set(cats[long]):
                    rows.append((short, "+".join(cats[short]), long, "+".join(cats[long])))
        return pd.DataFrame(rows, columns=["shorter", "shorter_category", "longer", "longer_category"])


def _as_str_list(value) -> list[str] | None:
    """``value`` as a list of strings (None: empty; a string: one item), or None if it is not one."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(x, str) for x in value):
        return list(value)
    return None


def _parse(data: Mapping, source: str) -> EmphasisLexicon:
    errors: list[str] = []
    if not isinstance(data, Mapping):
        raise LexiconError(f"{source}: the lexicon must be a mapping with a 'categories' list")
    cats_in = data.get("categories")
    if not isinstance(cats_in, list) or not cats_in:
        raise LexiconError(f"{source}: the lexicon needs a non-empty 'categories' list")

    cat_rows, term_rows, seen_ids = [], [], set()
    for i, c in enumerate(cats_in, start=1):
        where = f"category #{i}"
        if not isinstance(c, Mapping):
            errors.append(f"{where} is not a mapping (id, kind, zh, en, definition, terms)")
            continue
        cid = c.get("id")
        if not isinstance(cid, str) or not _ID_RE.match(cid):
            errors.append(f"{where}: id {cid!r} must be a short ASCII name (letters, digits, _)")
            continue
        where = f"category {cid!r}"
        if cid in seen_ids:
            errors.append(f"{where} is defined twice")
            continue
        if cid in TOTALS.values():
            errors.append(f"{where}: the id is reserved for the pooled rows; choose another")
            continue
        seen_ids.add(cid)
        for key in ("zh", "en", "definition"):
            if not isinstance(c.get(key), str) or not c.get(key).strip():
                errors.append(f"{where}: '{key}' must be a non-empty string")
        kind = c.get("kind")
        if kind not in KINDS:
            errors.append(f"{where}: kind must be one of {', '.join(KINDS)} (got {kind!r})")
        examples = _as_str_list(c.get("examples"))
        if examples is None:
            errors.append(f"{where}: examples must be a list of strings")
            examples = []
        terms = c.get("terms")
        if not isinstance(terms, list) or not terms:
            errors.append(f"{where}: 'terms' must be a non-empty list")
            terms = []
        listed = set()
        for entry in terms:
            spec = {"term": entry} if isinstance(entry, str) else entry
            if not isinstance(spec, Mapping) or "term" not in spec:
                errors.append(f"{where}: a term must be a string or a mapping with 'term' (got {entry!r})")
                continue
            unknown = set(spec) - _TERM_KEYS
            if unknown:
                errors.append(f"{where}: term {spec.get('term')!r} has unknown keys {sorted(unknown)} "
                              f"(allowed: {', '.join(sorted(_TERM_KEYS))})")
            term = spec["term"]
            if not isinstance(term, str) or not term.isprintable() or any(ch.isspace() or ch in SENTENCE_ENDS for ch in term):
                errors.append(f"{where}: term {term!r} must be non-empty, without spaces or sentence punctuation")
                continue
            if term in listed:
                errors.append(f"{where}: term {term!r} is listed twice")
                continue
            listed.add(term)
            match = spec.get("match", "substring")
            if match not in _MATCH_MODES:
                errors.append(f"{where}: term {term!r}: match must be one of {', '.join(_MATCH_MODES)} (got {match!r})")
            exclude = _as_str_list(spec.get("exclude"))
            if exclude is None:
                errors.append(f"{where}: term {term!r}: exclude must be a list of strings")
                exclude = []
            for ctx in exclude:
                if term not in ctx or ctx == term:
                    errors.append(f"{where}: term {term!r}: the exclusion context {ctx!r} must contain the term and be longer")
            term_rows.append({"category": cid, "term": term, "match": match, "exclude": tuple(sorted(set(exclude))),
                              "note": str(spec.get("note") or "").strip()})
        cat_rows.append({"category": cid, "kind": kind, "zh": str(c.get("zh", "")).strip(),
                         "en": str(c.get("en", "")).strip(),
                         "definition": " ".join(str(c.get("definition", "")).split()),
                         "rationale": " ".join(str(c.get("rationale") or "").split()),
                         "examples": tuple(examples), "n_terms": len(listed)})

    terms_df = pd.DataFrame(term_rows, columns=["category", "term", "match", "exclude", "note"])

    # ------------------------------------------------------------------ overlaps
    declared: dict[str, tuple[set, str]] = {}
    ov_in = data.get("overlaps") or []
    if not isinstance(ov_in, list):
        errors.append("'overlaps' must be a list of {term, categories, reason}")
        ov_in = []
    for o in ov_in:
        if not isinstance(o, Mapping) or not isinstance(o.get("term"), str):
            errors.append(f"overlaps: entry {o!r} needs a term, its categories and a reason")
            continue
        cs = _as_str_list(o.get("categories"))
        if not cs or len(cs) < 2:
            errors.append(f"overlaps: term {o['term']!r} must name at least two categories")
            continue
        unknown = [x for x in cs if x not in seen_ids]
        if unknown:
            errors.append(f"overlaps: term {o['term']!r} names unknown categor{'y' if len(unknown) == 1 else 'ies'} "
                          f"{', '.join(map(repr, unknown))}")
        if not str(o.get("reason") or "").strip():
            errors.append(f"overlaps: term {o['term']!r} needs a reason")
        if o["term"] in declared:
            errors.append(f"overlaps: term {o['term']!r} is declared twice")
        declared[o["term"]] = (set(cs), " ".join(str(o.get("reason") or "").split()))

    where_listed = terms_df.groupby("term", sort=True)["category"].agg(list) if len(terms_df) else pd.Series(dtype=object)
    for term, cs in where_listed.items():
        if len(cs) > 1:
            if term not in declared:
                names = ", ".join(repr(x) for x in cs[:-1]) + f" and {cs[-1]!r}"
                errors.append(
                    f"term {term!r} is listed in categories {names} but is not declared under 'overlaps': "
                    f"declare it (term: {term}, categories: [{', '.join(cs)}], reason: …) or remove it from all but one")
            elif declared[term][0] != set(cs):
                errors.append(f"overlaps: term {term!r} is declared for [{', '.join(sorted(declared[term][0]))}] "
                              f"but listed in [{', '.join(cs)}]")
            options = terms_df.loc[terms_df["term"] == term, ["match", "exclude"]].drop_duplicates()
            if len(options) > 1:
                errors.append(f"term {term!r} has different match/exclude options in {', '.join(cs)}; make them equal")
    for term, (cs, _) in declared.items():
        listed_in = where_listed.get(term, [])
        if len(listed_in) < 2:
            errors.append(f"overlaps: term {term!r} is declared for [{', '.join(sorted(cs))}] but listed only in "
                          f"[{', '.join(listed_in) or 'no category'}]; remove the declaration or list the term")

    if errors:
        lines = "\n".join(f"  - {e}" for e in errors)
        raise LexiconError(f"{source}: {len(errors)} problem(s) in the emphasis lexicon:\n{lines}")

    terms_df["shared"] = terms_df["term"].map(lambda t: t in declared)
    terms_df = terms_df[["category", "term", "match", "exclude", "shared", "note"]]
    cats_df = pd.DataFrame(cat_rows)
    ov_df = pd.DataFrame([(t, tuple(c for c in cats_df["category"] if c in cs), r) for t, (cs, r) in declared.items()],
                         columns=["term", "categories", "reason"])

    index = {c: i for i, c in enumerate(cats_df["category"])}
    compiled = []
    for term, grp in terms_df.groupby("term", sort=True):
        first = grp.iloc[0]
        compiled.append(_Term(term, tuple(sorted(index[c] for c in grp["category"])), first["match"], first["exclude"]))
    canonical = {
        "categories": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in r.items()} for r in cat_rows],
        "terms": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in r.items()} for r in term_rows],
        "overlaps": sorted((t, sorted(cs)) for t, (cs, _) in declared.items()),
    }
    key = hashlib.sha256(json.dumps(canonical, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]
    return EmphasisLexicon(
        source=source, name=str(data.get("name") or Path(source).stem), rationale=str(data.get("rationale") or "").strip(),
        matching=str(data.get("matching") or "").strip(), categories=cats_df, terms=terms_df.reset_index(drop=True),
        overlaps=ov_df, key=key, _terms=tuple(compiled),
    )


@lru_cache(maxsize=16)
def _load_file(path: str, mtime: float) -> EmphasisLexicon:
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: is not valid YAML ({exc})") from None
    return _parse(data, path)


def load_emphasis_lexicon(source: str | os.PathLike | Mapping | EmphasisLexicon | None = None) -> EmphasisLexicon:
    """Read and validate an emphasis lexicon.

    Parameters
    ----------
    source : path, mapping or EmphasisLexicon, optional
        A YAML file (default: ``analysis/data/emphasis.yaml``), a mapping with
        the same structure (e.g. a parsed and edited copy), or an already
        loaded lexicon (returned unchanged).

    Returns
    -------
    EmphasisLexicon

    Raises
    ------
    LexiconError
        Listing every problem: missing fields, unknown kinds or match modes,
        a term listed twice in a category, an exclusion context that does not
        contain its term, and any term listed in two categories without a
        matching entry under ``overlaps`` (the message names the term and the
        categories).
    """
    if isinstance(source, EmphasisLexicon):
        return source
    if isinstance(source, Mapping):
        return _parse(source, "<mapping>")
    path = Path(source) if source is not None else data_file("emphasis.yaml")
    if not path.is_file():
        raise LexiconError(f"{path}: no such lexicon file")
    path = path.resolve()
    return _load_file(str(path), path.stat().st_mtime)


# =========================================================================== sentences and matching


@dataclass
class _DocMatch:
    """All occurrences of all terms in one text, with what happened to each."""

    n_chars: int
    sentences: np.ndarray  # (n, 2)
    start: np.ndarray
    end: np.ndarray
    term: np.ndarray  # index into lexicon._terms
    status: np.ndarray
    detail: list  # exclusion context, covering token, or index of the winning occurrence


def _find_all(text: str, sub: str) -> list[int]:
    out, i = [], text.find(sub)
    while i >= 0:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


def _resolve(start: np.ndarray, end: np.ndarray, order_key: list[str], live: np.ndarray, n_chars: int):
    """Longest match first among the ``live`` occurrences.

    Returns (accepted mask, blocker index or -1). Occurrences that overlap no
    other live occurrence are accepted without the greedy loop.
    """
    n = len(start)
    accepted = np.zeros(n, dtype=bool)
    blocker = np.full(n, -1, dtype=np.int64)
    idx = np.flatnonzero(live)
    if idx.size == 0:
        return accepted, blocker
    by_start = idx[np.lexsort((end[idx], start[idx]))]
    s, e = start[by_start], end[by_start]
    run_end = np.maximum.accumulate(e)
    new_cluster = np.ones(len(by_start), dtype=bool)
    new_cluster[1:] = s[1:] >= run_end[:-1]
    cluster = np.cumsum(new_cluster)
    sizes = np.bincount(cluster)
    single = sizes[cluster] == 1
    accepted[by_start[single]] = True
    crowded = by_start[~single]
    if crowded.size:
        lengths = end[crowded] - start[crowded]
        keys = np.asarray(order_key, dtype=object)[crowded].astype(str)
        order = crowded[np.lexsort((keys, start[crowded], -lengths))]
        owner = np.full(n_chars, -1, dtype=np.int64)
        for ci in order:
            seg = owner[start[ci]:end[ci]]
            taken = seg[seg >= 0]
            if taken.size:
                blocker[ci] = taken[0]
            else:
                owner[start[ci]:end[ci]] = ci
                accepted[ci] = True
    return accepted, blocker


class _Finder:
    """All (also overlapping) occurrences of literal strings in one text, with numpy.

    The text's code points are sorted once (stable, so equal characters keep
    their order); the occurrences of a string are the positions of its first
    character, narrowed by comparing each following character.
    """

    def __init__(self, text: str):
        self.codes = codepoints(text)
        self.order = np.argsort(self.codes, kind="stable")
        self.sorted = self.codes[self.order]

    def find(self, s: str) -> np.ndarray:
        c = codepoints(s)
        lo, hi = np.searchsorted(self.sorted, c[0], side="left"), np.searchsorted(self.sorted, c[0], side="right")
        pos = self.order[lo:hi]
        n = self.codes.size
        for k in range(1, c.size):
            pos = pos[pos + k < n]
            pos = pos[self.codes[pos + k] == c[k]]
        return pos.astype(np.int64)


_SEP = "\x00"  # joins the texts of a corpus; no term contains it, so no match spans two documents


@lru_cache(maxsize=8)
def _match_texts(texts: tuple[str, ...], lex: EmphasisLexicon) -> tuple[_DocMatch, ...]:
    """Match the lexicon in several texts at once (one search per term over the joined texts)."""
    joined = _SEP.join(texts)
    lens = np.array([len(t) for t in texts], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lens + 1)[:-1]]).astype(np.int64)
    doc_sents = [sentence_spans(t) for t in texts]
    sents = np.vstack([s + o for s, o in zip(doc_sents, offsets)]) if texts else np.zeros((0, 2), dtype=np.int64)
    finder = _Finder(joined)
    starts, terms, status, detail = [], [], [], []
    for ti, t in enumerate(lex._terms):
        pos = finder.find(t.term)
        if not pos.size:
            continue
        st = np.full(pos.size, _COUNTED, dtype=np.int8)
        det = np.full(pos.size, None, dtype=object)
        for ctx in t.exclude:  # sorted: the first context that covers an occurrence is reported
            where = finder.find(ctx)
            if where.size:
                blocked = (where[:, None] + np.array(_find_all(ctx, t.term))[None, :]).ravel()
                hit = np.isin(pos, blocked) & (st == _COUNTED)
                st[hit], det[hit] = _EXCLUDED, ctx
        starts.append(pos)
        terms.append(np.full(pos.size, ti, dtype=np.int64))
        status.append(st)
        detail.append(det)
    start = np.concatenate(starts) if starts else np.zeros(0, dtype=np.int64)
    term = np.concatenate(terms) if terms else np.zeros(0, dtype=np.int64)
    status_a = np.concatenate(status) if status else np.zeros(0, dtype=np.int8)
    detail_a = np.concatenate(detail) if detail else np.zeros(0, dtype=object)
    lengths = np.array([len(t.term) for t in lex._terms], dtype=np.int64)
    end = start + lengths[term]
    names = np.array([t.term for t in lex._terms], dtype=object)[term]
    accepted, blocker = _resolve(start, end, names, status_a == _COUNTED, len(joined))
    # token matching: only occurrences that win the overlap resolution need the segmenter;
    # one that is not a word of its own is dropped and the resolution is run again
    token_mode = np.array([t.match == "token" for t in lex._terms], dtype=bool)[term]
    checked = np.zeros(len(start), dtype=bool)
    while (check := np.flatnonzero(accepted & token_mode & ~checked)).size:
        from .tokenization import segment_pairs

        checked[check] = True
        sidx = np.searchsorted(sents[:, 0], start[check], side="right") - 1
        for si in np.unique(sidx):
            s0, s1 = (int(x) for x in sents[si])
            tok_starts, toks, off = [], [], s0
            for tok, _ in segment_pairs(joined[s0:s1]):
                tok_starts.append(off)
                toks.append(tok)
                off += len(tok)
            for ci in check[sidx == si]:
                k = bisect.bisect_right(tok_starts, int(start[ci])) - 1
                if toks[k] != names[ci] or tok_starts[k] != start[ci]:
                    status_a[ci], detail_a[ci] = _NOT_TOKEN, toks[k]
        accepted, blocker = _resolve(start, end, names, status_a == _COUNTED, len(joined))
    inside = (status_a == _COUNTED) & ~accepted
    status_a[inside] = _INSIDE
    # split by document; occurrences in document order of start, then term
    doc = np.searchsorted(offsets, start, side="right") - 1
    perm = np.lexsort((term, start, doc))
    local = np.empty(len(perm), dtype=np.int64)
    local[perm] = np.arange(len(perm))
    first = np.searchsorted(doc[perm], np.arange(len(texts)), side="left")
    local -= first[doc]
    detail_a[inside] = local[blocker[inside]]  # the winning occurrence, by its index within the document
    bounds = np.append(first, len(perm))
    out = []
    for di in range(len(texts)):
        sel = perm[bounds[di]:bounds[di + 1]]
        out.append(_DocMatch(int(lens[di]), doc_sents[di], start[sel] - offsets[di], end[sel] - offsets[di],
                             term[sel], status_a[sel], list(detail_a[sel])))
    return tuple(out)


def _match(text: str, lex: EmphasisLexicon) -> _DocMatch:
    return _match_texts((text,), lex)[0]


def _match_corpus(corp: Corpus, lex: EmphasisLexicon) -> tuple[_DocMatch, ...]:
    return _match_texts(tuple(d.text for d in corp), lex)


def _status_label(m: _DocMatch, i: int, lex: EmphasisLexicon) -> str:
    st = m.status[i]
    if st == _COUNTED:
        return "counted"
    if st == _EXCLUDED:
        return f"excluded: inside {m.detail[i]}"
    if st == _NOT_TOKEN:
        return f"not a word: inside {m.detail[i]}"
    return f"overlapped by {lex._terms[m.term[m.detail[i]]].term}"


def match_text(text: str, lexicon=None) -> pd.DataFrame:
    """Every occurrence of every lexicon term in ``text``, and whether it counts.

    Returns
    -------
    DataFrame
        start, end, term, categories (``+``-joined ids), counted (bool) and
        status: ``counted``, ``excluded: inside 要求``, ``not a word: inside
        须臾`` (token matching) or ``overlapped by 决不能`` (a longer match won);
        sorted by start, then term.
    """
    lex = load_emphasis_lexicon(lexicon)
    m = _match(text, lex)
    cats = lex.category_ids
    rows = [(int(m.start[i]), int(m.end[i]), lex._terms[m.term[i]].term,
             "+".join(cats[c] for c in lex._terms[m.term[i]].categories),
             bool(m.status[i] == _COUNTED), _status_label(m, i, lex)) for i in range(len(m.start))]
    df = pd.DataFrame(rows, columns=["start", "end", "term", "categories", "counted", "status"])
    return df.sort_values(["start", "term"], kind="stable").reset_index(drop=True)


# =========================================================================== corpus tables


@dataclass
class _Tables:
    """Per-sentence counts of a corpus under a lexicon (rows: sentences in corpus order)."""

    doc_ids: list
    doc_len: np.ndarray
    sent_doc: np.ndarray  # document index per sentence
    sent_len: np.ndarray
    sent_start: np.ndarray
    hit_doc: np.ndarray  # accepted hits
    hit_sent: np.ndarray  # global sentence index
    hit_start: np.ndarray
    hit_term: np.ndarray
    matches: list


def _tables(corp: Corpus, lex: EmphasisLexicon) -> _Tables:
    doc_len, sent_doc, sent_len, sent_start = [], [], [], []
    hit_doc, hit_sent, hit_start, hit_term, matches = [], [], [], [], []
    offset = 0
    for di, m in enumerate(_match_corpus(corp, lex)):
        matches.append(m)
        n = len(m.sentences)
        doc_len.append(m.n_chars)
        sent_doc.append(np.full(n, di))
        sent_len.append(m.sentences[:, 1] - m.sentences[:, 0])
        sent_start.append(m.sentences[:, 0])
        ok = m.status == _COUNTED
        st = m.start[ok]
        hit_doc.append(np.full(st.size, di))
        hit_sent.append(offset + np.searchsorted(m.sentences[:, 0], st, side="right") - 1)
        hit_start.append(st)
        hit_term.append(m.term[ok])
        offset += n
    cat = lambda xs: np.concatenate(xs) if xs else np.zeros(0, dtype=np.int64)  # noqa: E731
    return _Tables(corp.ids, np.array(doc_len, dtype=np.int64), cat(sent_doc), cat(sent_len), cat(sent_start),
                   cat(hit_doc), cat(hit_sent), cat(hit_start), cat(hit_term), matches)


def _columns(lex: EmphasisLexicon, totals: bool) -> tuple[pd.DataFrame, np.ndarray]:
    """Reported categories (file order, then pooled rows) and the term × category incidence matrix."""
    cats = lex.categories[["category", "kind", "zh", "en"]].copy()
    M = np.zeros((len(lex._terms), len(cats)), dtype=np.float64)
    for ti, t in enumerate(lex._terms):
        M[ti, list(t.categories)] = 1.0
    if totals:
        extra, cols = [], []
        for kind in KINDS:
            in_kind = (cats["kind"] == kind).to_numpy()
            if in_kind.any():
                name = TOTALS[kind]
                extra.append({"category": name, "kind": kind, "zh": _TOTAL_NAMES[name][0], "en": _TOTAL_NAMES[name][1]})
                cols.append((M[:, in_kind].sum(axis=1) > 0).astype(np.float64))
        if extra:
            cats = pd.concat([cats, pd.DataFrame(extra)], ignore_index=True)
            M = np.column_stack([M] + cols)
    return cats.reset_index(drop=True), M


def _sentence_counts(tab: _Tables, M: np.ndarray) -> np.ndarray:
    """Hits per sentence and reported category (dense, sentences × categories)."""
    n_sent = len(tab.sent_len)
    Y = sparse.csr_matrix((np.ones(tab.hit_sent.size), (tab.hit_sent, tab.hit_term)), shape=(n_sent, M.shape[0]))
    return np.asarray(Y @ M)


def emphasis_hits(corp: Corpus, *, by: str | None = DEFAULT_BY, lexicon=None) -> pd.DataFrame:
    """Every counted hit, one row per hit and category.

    Returns
    -------
    DataFrame
        doc_id, group, sentence (index within the document), start, end,
        position (start / document length), term, category, kind; in corpus
        order, then by start. A declared shared term gives one row per category.
    """
    lex = load_emphasis_lexicon(lexicon)
    tab = _tables(corp, lex)
    groups = corp.groups(by)
    first_sent = np.searchsorted(tab.sent_doc, np.arange(len(tab.doc_ids)), side="left")
    rows = []
    cats, kinds = lex.category_ids, dict(zip(lex.categories["category"], lex.categories["kind"]))
    for k in range(tab.hit_start.size):
        t = lex._terms[tab.hit_term[k]]
        di = tab.hit_doc[k]
        doc_id = tab.doc_ids[di]
        for c in t.categories:
            rows.append((doc_id, groups[doc_id], int(tab.hit_sent[k] - first_sent[di]), int(tab.hit_start[k]),
                         int(tab.hit_start[k]) + len(t.term), round(tab.hit_start[k] / max(1, tab.doc_len[di]), 4),
                         t.term, cats[c], kinds[cats[c]]))
    df = pd.DataFrame(rows, columns=["doc_id", "group", "sentence", "start", "end", "position", "term", "category", "kind"])
    order = {d: i for i, d in enumerate(tab.doc_ids)}
    df["_o"] = df["doc_id"].map(order)
    return df.sort_values(["_o", "start", "category"], kind="stable").drop(columns="_o").reset_index(drop=True)


# =========================================================================== bootstrap


def _rng(seed: int, group: str) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(str(group).encode("utf-8")),)))


def _bootstrap_sums(X: np.ndarray, n_boot: int, rng: np.random.Generator, max_cells: int = 4_000_000) -> np.ndarray:
    """Column sums of ``X`` (units × columns) over ``n_boot`` resamples of its rows.

    Each replicate draws ``n`` row indices with replacement; the draws become
    a count matrix W (replicates × units, by ``bincount``) and the sums are
    ``W @ X``. Work is done in chunks of at most ``max_cells`` draws.
    """
    n = X.shape[0]
    out = np.empty((n_boot, X.shape[1]))
    chunk = max(1, min(n_boot, max_cells // max(1, n)))
    for b0 in range(0, n_boot, chunk):
        b = min(chunk, n_boot - b0)
        idx = rng.integers(0, n, size=(b, n))
        idx += (np.arange(b) * n)[:, None]
        W = np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype(np.float64)
        out[b0:b0 + b] = W @ X
    return out


def _check_boot(n_boot: int, level: float) -> None:
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ValueError(f"n_boot must be a non-negative integer (got {n_boot!r}); 0 skips the intervals")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (got {level!r})")


def emphasis(corp: Corpus, by: str | None = DEFAULT_BY, *, lexicon=None, n_boot: int = 2000, level: float = 0.95,
             seed: int = DEFAULT_SEED, unit: str = "sentence", categories: Iterable[str] | None = None,
             totals: bool = True) -> pd.DataFrame:
    """Rate of each category per 1,000 characters in each group, with bootstrap intervals.

    Parameters
    ----------
    corp : Corpus
    by : str or None
        Manifest column to group by; ``None`` (or ``"id"``) scores each document.
    lexicon : path, mapping or EmphasisLexicon, optional
        Default ``analysis/data/emphasis.yaml``.
    n_boot : int
        Bootstrap replicates (0: point estimates only, intervals NaN).
    level : float
        Confidence level of the percentile intervals.
    seed : int
        Seed of the random streams (one per group, derived from seed and name).
    unit : {"sentence", "document"}
        What the bootstrap resamples within a group.
    categories : iterable of str, optional
        Report only these category ids (pooled rows included by name).
    totals : bool
        Add the pooled rows ``all_topic`` and ``all_force`` (every stretch of
        text counted once, even where a shared term credits two categories).

    Returns
    -------
    DataFrame
        group, category, kind, zh, en, count, n_chars, n_sentences, n_docs,
        rate_per_1000, ci_low, ci_high, sentences_with, sentence_share,
        share_low, share_high. ``sentence_share`` is the share of sentences
        with at least one hit of the category (for ``obligation``: the share
        of sentences that carry an obligation or imperative marker); its
        interval comes from the same replicates. Rows: groups sorted, then
        categories in lexicon order.

    Notes
    -----
    Each replicate computes a ratio of sums (hits in the resampled sentences
    / their characters) and the interval is the percentile interval of the
    replicates. A category with no hit in a group gets the interval [0, 0]:
    the bootstrap cannot see beyond the words that are there, so read zero
    counts with the group's n_chars in mind.
    """
    _check_boot(n_boot, level)
    if unit not in ("sentence", "document"):
        raise ValueError(f"unit must be 'sentence' or 'document' (got {unit!r})")
    lex = load_emphasis_lexicon(lexicon)
    tab = _tables(corp, lex)
    cats, M = _columns(lex, totals)
    if categories is not None:
        wanted = list(dict.fromkeys(categories))
        unknown = [c for c in wanted if c not in set(cats["category"])]
        if unknown:
            raise KeyError(f"unknown categories {unknown}; categories: {', '.join(cats['category'])}")
        keep = cats["category"].isin(wanted).to_numpy()
        cats, M = cats[keep].reset_index(drop=True), M[:, keep]
    C = len(cats)
    Y = _sentence_counts(tab, M)
    # units × [hits (C), sentences with a hit (C), characters, sentences]
    X_all = np.column_stack([Y, (Y > 0), tab.sent_len, np.ones(len(tab.sent_len))]).astype(np.float64)
    groups = corp.groups(by)
    doc_group = groups.loc[tab.doc_ids].to_numpy()
    sent_group = doc_group[tab.sent_doc] if len(tab.sent_doc) else np.array([], dtype=object)
    alpha = (1 - level) / 2
    names = sorted(set(doc_group), key=str)
    G = len(names)
    tot = np.zeros((G, 2 * C + 2))
    bounds = np.full((G, 4, C), np.nan)  # rate low/high, share low/high
    n_docs = np.zeros(G, dtype=np.int64)
    for gi, g in enumerate(names):
        rows = np.flatnonzero(sent_group == g)
        X = X_all[rows]
        if unit == "document":
            X = sparse.csr_matrix((np.ones(rows.size), (np.unique(tab.sent_doc[rows], return_inverse=True)[1],
                                                         np.arange(rows.size)))) @ X
        tot[gi] = X.sum(axis=0)
        n_docs[gi] = int((doc_group == g).sum())
        if n_boot > 0:
            S = _bootstrap_sums(X, n_boot, _rng(seed, g))
            stats = np.hstack([1000 * S[:, :C] / S[:, [2 * C]], S[:, C:2 * C] / S[:, [2 * C + 1]]])
            lo, hi = np.quantile(stats, [alpha, 1 - alpha], axis=0)
            bounds[gi] = [lo[:C], hi[:C], lo[C:], hi[C:]]
    out = pd.DataFrame({"group": np.repeat(np.array(names, dtype=object), C)})
    for col in ("category", "kind", "zh", "en"):
        out[col] = np.tile(cats[col].to_numpy(), G)
    out["count"] = tot[:, :C].ravel().astype(np.int64)
    out["n_chars"] = np.repeat(tot[:, 2 * C], C).astype(np.int64)
    out["n_sentences"] = np.repeat(tot[:, 2 * C + 1], C).astype(np.int64)
    out["n_docs"] = np.repeat(n_docs, C)
    out["rate_per_1000"] = (1000 * tot[:, :C] / tot[:, [2 * C]]).ravel()
    out["ci_low"], out["ci_high"] = bounds[:, 0].ravel(), bounds[:, 1].ravel()
    out["sentences_with"] = tot[:, C:2 * C].ravel().astype(np.int64)
    out["sentence_share"] = (tot[:, C:2 * C] / tot[:, [2 * C + 1]]).ravel()
    out["share_low"], out["share_high"] = bounds[:, 2].ravel(), bounds[:, 3].ravel()
    return out


def emphasis_by_document(corp: Corpus, **options) -> pd.DataFrame:
    """:func:`emphasis` for each document (``group`` holds the document id); same options."""
    options.pop("by", None)
    return emphasis(corp, by=None, **options)


# =========================================================================== position


_THIRDS = ("beginning", "middle", "end")


def emphasis_positions(corp: Corpus, by: str | None = DEFAULT_BY, *, lexicon=None, bins: int = 3,
                       totals: bool = True) -> pd.DataFrame:
    """Where in the documents each category concentrates: rates in equal parts of each document.

    Each document is cut into ``bins`` parts of (nearly) equal length by
    character position (character ``i`` of a document of length ``L`` is in
    part ``floor(i * bins / L)``); a hit belongs to the part of its first
    character. Parts are pooled over the documents of a group.

    Returns
    -------
    DataFrame
        group, category, kind, zh, en, part (0-based), label (beginning /
        middle / end for three parts, else ``1/5`` …), count, n_chars,
        rate_per_1000, share (of the category's hits in the group that fall
        in this part; NaN without hits).
    """
    if bins < 1:
        raise ValueError("bins must be at least 1")
    lex = load_emphasis_lexicon(lexicon)
    tab = _tables(corp, lex)
    cats, M = _columns(lex, totals)
    doc_group = corp.groups(by).loc[tab.doc_ids].to_numpy()
    labels = list(_THIRDS) if bins == 3 else [f"{k + 1}/{bins}" for k in range(bins)]
    L = tab.doc_len
    k = np.arange(bins + 1)
    bounds = -((-L[:, None] * k[None, :]) // bins)  # ceil(L * k / bins)
    part_chars = np.diff(bounds, axis=1)  # docs × bins
    hit_part = (tab.hit_start * bins) // np.maximum(1, L[tab.hit_doc])
    frames = []
    for g in sorted(set(doc_group), key=str):
        docs = np.flatnonzero(doc_group == g)
        sel = np.isin(tab.hit_doc, docs)
        H = sparse.csr_matrix((np.ones(sel.sum()), (hit_part[sel], tab.hit_term[sel])), shape=(bins, M.shape[0]))
        counts = np.asarray(H @ M)  # bins × categories
        chars = part_chars[docs].sum(axis=0)
        for b in range(bins):
            out = cats.copy()
            out.insert(0, "group", g)
            out["part"], out["label"] = b, labels[b]
            out["count"] = counts[b].astype(np.int64)
            out["n_chars"] = int(chars[b])
            out["rate_per_1000"] = 1000 * counts[b] / chars[b] if chars[b] else np.nan
            tot = counts.sum(axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                out["share"] = np.where(tot > 0, counts[b] / np.where(tot > 0, tot, 1), np.nan)
            frames.append(out)
    df = pd.concat(frames, ignore_index=True)
    order = {c: i for i, c in enumerate(cats["category"])}
    df["_c"] = df["category"].map(order)
    return df.sort_values(["group", "_c", "part"], kind="stable").drop(columns="_c").reset_index(drop=True)


def emphasis_curve(corp: Corpus, by: str | None = DEFAULT_BY, *, lexicon=None, points: int = 101,
                   bandwidth: float = 0.08, totals: bool = True) -> pd.DataFrame:
    """A smoothed rate of each category over relative position in the document (0 = start, 1 = end).

    The rate at position ``p`` is a ratio of two Gaussian-kernel smooths:
    hits at their relative positions ``u = (start + 0.5) / L``, divided by the
    characters, which lie uniformly on [0, 1] with density ``L`` in each
    document: ``rate(p) = 1000 · Σ_hits K(p − u) / (Σ_docs L · ∫₀¹ K(p − u) du)``.
    If hits are spread evenly at rate r, the curve is flat at r, also near
    the edges (the kernel's mass outside [0, 1] cancels in the ratio).

    Returns
    -------
    DataFrame
        group, category, kind, zh, en, position, rate_per_1000.
    """
    from scipy.special import ndtr  # standard normal CDF

    if bandwidth <= 0 or points < 2:
        raise ValueError("bandwidth must be positive and points at least 2")
    lex = load_emphasis_lexicon(lexicon)
    tab = _tables(corp, lex)
    cats, M = _columns(lex, totals)
    doc_group = corp.groups(by).loc[tab.doc_ids].to_numpy()
    grid = np.linspace(0, 1, points)
    mass = ndtr((1 - grid) / bandwidth) - ndtr((0 - grid) / bandwidth)
    u = (tab.hit_start + 0.5) / np.maximum(1, tab.doc_len[tab.hit_doc])
    frames = []
    for g in sorted(set(doc_group), key=str):
        docs = np.flatnonzero(doc_group == g)
        sel = np.flatnonzero(np.isin(tab.hit_doc, docs))
        z = (grid[:, None] - u[None, sel]) / bandwidth
        K = np.exp(-0.5 * z * z) / (bandwidth * math.sqrt(2 * math.pi))  # Gaussian kernel, points × hits
        by_term = sparse.csr_matrix((np.ones(sel.size), (np.arange(sel.size), tab.hit_term[sel])),
                                    shape=(sel.size, M.shape[0]))
        smooth_hits = K @ np.asarray(by_term @ M)  # points × categories
        chars = tab.doc_len[docs].sum() * mass
        for ci, row in cats.iterrows():
            frames.append(pd.DataFrame({"group": g, "category": row["category"], "kind": row["kind"], "zh": row["zh"],
                                        "en": row["en"], "position": grid,
                                        "rate_per_1000": 1000 * smooth_hits[:, ci] / chars}))
    return pd.concat(frames, ignore_index=True)


# =========================================================================== robustness


def _freed_by_removal(tab: _Tables, lex: EmphasisLexicon, ti: int, cat: int, doc_gidx: np.ndarray, n_groups: int,
                      winners: list, member: np.ndarray) -> np.ndarray:
    """Hits of category ``cat`` per group that appear when term ``ti`` is removed from the lexicon.

    Only documents where ``ti`` won an overlap are re-resolved (from the stored
    occurrences, without searching the text again); elsewhere removing the
    term changes nothing but its own hits.
    """
    freed = np.zeros(n_groups)
    names = np.array([t.term for t in lex._terms], dtype=object)
    for di, m in enumerate(tab.matches):
        if ti not in winners[di]:
            continue
        live = ((m.status == _COUNTED) | (m.status == _INSIDE)) & (m.term != ti)
        accepted, _ = _resolve(m.start, m.end, names[m.term], live, m.n_chars)
        in_cat = member[m.term, cat]
        before = ((m.status == _COUNTED) & in_cat & (m.term != ti)).sum()
        freed[doc_gidx[di]] += (accepted & in_cat).sum() - before
    return freed


def emphasis_robustness(corp: Corpus, by: str | None = DEFAULT_BY, *, lexicon=None, shrink: float = 0.5,
                        min_rel_diff: float = 0.1, pairs: Iterable[tuple[str, str]] | None = None,
                        categories: Iterable[str] | None = None) -> pd.DataFrame:
    """Leave-one-term-out: does a difference between two groups hang on a single word?

    For every category, every pair of groups and every term of the category
    with hits in either group, the two rates are recomputed as if the term
    were not in the category. A term that belongs only to this category is
    removed from the lexicon, so text it claimed can go to a shorter term
    (without 决不能, 决不 may match); a declared shared term is removed from
    this category only. Rates are point estimates (no bootstrap).

    Parameters
    ----------
    shrink : float
        Flag a term whose removal shrinks the absolute difference by more
        than this fraction (0.5: by more than half).
    min_rel_diff : float
        Differences smaller than this fraction of the pair's mean rate count
        as no difference: they are reported but never flagged (any term can
        flip a difference of nearly zero).
    pairs : iterable of (str, str), optional
        Group pairs to compare (default: all pairs of groups, in sorted order).
    categories : iterable of str, optional
        Category ids (default: all).

    Returns
    -------
    DataFrame
        category, group_a, group_b, term, count_a, count_b, rate_a, rate_b,
        diff (rate_a − rate_b), rel_diff (|diff| / mean of the two rates),
        rate_a_without, rate_b_without, diff_without, shrink (1 −
        |diff_without| / |diff|; negative when the gap widens, NaN when diff
        is 0), flips (the sign of the difference reverses), fragile (rel_diff
        ≥ ``min_rel_diff`` and the term flips the difference or shrinks it by
        more than ``shrink``). Sorted by category (lexicon order), pair, then
        shrink descending and term.
    """
    lex = load_emphasis_lexicon(lexicon)
    tab = _tables(corp, lex)
    doc_group = corp.groups(by).loc[tab.doc_ids].to_numpy()
    groups = sorted(set(doc_group), key=str)
    if pairs is None:
        pairs = [(a, b) for i, a in enumerate(groups) for b in groups[i + 1:]]
    pairs = list(pairs)
    bad = [g for p in pairs for g in p if g not in groups]
    if bad:
        raise KeyError(f"unknown groups {sorted(set(bad))}; groups: {', '.join(map(str, groups))}")
    wanted = lex.category_ids if categories is None else list(categories)
    unknown = [c for c in wanted if c not in lex.category_ids]
    if unknown:
        raise KeyError(f"unknown categories {unknown}; categories: {', '.join(lex.category_ids)}")
    gi = {g: i for i, g in enumerate(groups)}
    doc_gidx = np.array([gi[g] for g in doc_group], dtype=np.int64)
    ia = np.array([gi[a] for a, _ in pairs], dtype=np.int64)
    ib = np.array([gi[b] for _, b in pairs], dtype=np.int64)
    chars = np.bincount(doc_gidx, weights=tab.doc_len, minlength=len(groups)).astype(np.float64)
    A = np.zeros((len(groups), len(lex._terms)))  # accepted hits, groups × terms
    np.add.at(A, (doc_gidx[tab.hit_doc], tab.hit_term), 1)
    member = _columns(lex, totals=False)[1] > 0  # terms × categories
    winners = [set(m.term[[m.detail[i] for i in np.flatnonzero(m.status == _INSIDE)]].tolist()) for m in tab.matches]
    frames = []
    for cname in wanted:
        ci = lex.category_ids.index(cname)
        term_ids = np.flatnonzero(member[:, ci])
        base = A[:, term_ids].sum(axis=1)
        rate = 1000 * base / chars
        ra, rb = rate[ia], rate[ib]
        diff = ra - rb
        mean = (ra + rb) / 2
        rel = np.divide(np.abs(diff), mean, out=np.zeros_like(diff), where=mean > 0)
        for ti in term_ids:
            t = lex._terms[ti]
            own = A[:, ti]
            freed = (np.zeros(len(groups)) if len(t.categories) > 1
                     else _freed_by_removal(tab, lex, ti, ci, doc_gidx, len(groups), winners, member))
            changed = (own != 0) | (freed != 0)
            sel = changed[ia] | changed[ib]
            if not sel.any():
                continue
            w = 1000 * (base - own + freed) / chars
            wa, wb = w[ia][sel], w[ib][sel]
            d, dw = diff[sel], wa - wb
            with np.errstate(invalid="ignore", divide="ignore"):
                sh = np.where(d != 0, 1 - np.abs(dw) / np.abs(d), np.nan)
            flips = (d != 0) & (np.sign(dw) != np.sign(d))
            fragile = (rel[sel] >= min_rel_diff) & (flips | (np.nan_to_num(sh, nan=-np.inf) > shrink))
            frames.append(pd.DataFrame({
                "category": cname, "group_a": np.array([a for a, _ in pairs], dtype=object)[sel],
                "group_b": np.array([b for _, b in pairs], dtype=object)[sel], "term": t.term,
                "count_a": own[ia][sel].astype(np.int64), "count_b": own[ib][sel].astype(np.int64),
                "rate_a": ra[sel], "rate_b": rb[sel], "diff": d, "rel_diff": rel[sel], "rate_a_without": wa,
                "rate_b_without": wb, "diff_without": dw, "shrink": sh, "flips": flips, "fragile": fragile}))
    cols = ["category", "group_a", "group_b", "term", "count_a", "count_b", "rate_a", "rate_b", "diff", "rel_diff",
            "rate_a_without", "rate_b_without", "diff_without", "shrink", "flips", "fragile"]
    if not frames:
        return pd.DataFrame(columns=cols)
    df = pd.concat(frames, ignore_index=True)[cols]
    order = {c: i for i, c in enumerate(lex.category_ids)}
    df["_c"] = df["category"].map(order)
    df["_s"] = df["shrink"].fillna(-np.inf)
    df = df.sort_values(["_c", "group_a", "group_b", "_s", "term"], ascending=[True, True, True, False, True],
                        kind="stable")
    return df.drop(columns=["_c", "_s"]).reset_index(drop=True)


_SUMMARY_COLUMNS = ["category", "group_a", "group_b", "rate_a", "rate_b", "diff", "rel_diff", "n_terms", "top_term",
                    "max_shrink", "flip_terms", "fragile"]


def robustness_summary(detail: pd.DataFrame) -> pd.DataFrame:
    """One row per category and pair from :func:`emphasis_robustness`.

    Returns
    -------
    DataFrame
        category, group_a, group_b, rate_a, rate_b, diff, rel_diff, n_terms
        (terms with hits in either group), top_term (whose removal shrinks the difference
        most; ties by term), max_shrink, flip_terms (terms whose removal
        reverses the difference, 、-joined), fragile.
    """
    if detail.empty:
        return pd.DataFrame(columns=_SUMMARY_COLUMNS)
    rows = []
    for (c, a, b), g in detail.groupby(["category", "group_a", "group_b"], sort=False):
        top = g.assign(_s=g["shrink"].fillna(-np.inf)).sort_values(["_s", "term"], ascending=[False, True]).iloc[0]
        rows.append((c, a, b, g["rate_a"].iat[0], g["rate_b"].iat[0], g["diff"].iat[0], g["rel_diff"].iat[0], len(g),
                     top["term"], top["shrink"], "、".join(sorted(g.loc[g["flips"], "term"])), bool(g["fragile"].any())))
    return pd.DataFrame(rows, columns=_SUMMARY_COLUMNS)


# =========================================================================== concordance and validity


def emphasis_leaders(scores: pd.DataFrame) -> pd.DataFrame:
    """For each category of :func:`emphasis` output: the group with the highest rate and the runner-up.

    ``separated`` is True when the leader's interval lies wholly above every
    other group's interval. That is a conservative reading: overlapping
    intervals do not show that two rates are equal.

    Returns
    -------
    DataFrame
        category, kind, leader, rate, ci_low, ci_high, runner_up,
        runner_up_rate, runner_up_ci_high, separated; categories in table
        order (ties between groups go to the group name that sorts first).
    """
    rows = []
    for cat, g in scores.groupby("category", sort=False):
        g = g.sort_values(["rate_per_1000", "group"], ascending=[False, True], kind="stable")
        top = g.iloc[0]
        rest = g.iloc[1:]
        second = rest.iloc[0] if len(rest) else None
        rows.append((cat, top.get("kind", ""), top["group"], top["rate_per_1000"], top["ci_low"], top["ci_high"],
                     None if second is None else second["group"],
                     np.nan if second is None else second["rate_per_1000"],
                     np.nan if second is None else second["ci_high"],
                     bool(len(rest) and top["ci_low"] > rest["ci_high"].max())))
    return pd.DataFrame(rows, columns=["category", "kind", "leader", "rate", "ci_low", "ci_high", "runner_up",
                                       "runner_up_rate", "runner_up_ci_high", "separated"])


def term_table(corp: Corpus, *, lexicon=None) -> pd.DataFrame:
    """Every lexicon term with what happened to its occurrences in the corpus.

    Returns
    -------
    DataFrame
        category, term, match, counted, excluded (inside an exclusion
        context), not_a_word (token matching), overlapped (a longer match
        won), occurrences (their sum); one row per listing (a shared term
        appears under each of its categories); lexicon order.
    """
    lex = load_emphasis_lexicon(lexicon)
    n = len(lex._terms)
    tally = np.zeros((n, 4), dtype=np.int64)
    for m in _match_corpus(corp, lex):
        np.add.at(tally, (m.term, m.status.astype(np.int64)), 1)
    index = {t.term: i for i, t in enumerate(lex._terms)}
    out = lex.terms[["category", "term", "match"]].copy()
    rows = tally[[index[t] for t in out["term"]]]
    for k, col in enumerate(["counted", "excluded", "not_a_word", "overlapped"]):
        out[col] = rows[:, k]
    out["occurrences"] = rows.sum(axis=1)
    return out.reset_index(drop=True)


def lexicon_coverage(corp: Corpus, *, lexicon=None) -> pd.DataFrame:
    """How each category's terms fire in the corpus: a first check of what the instrument measures.

    Returns
    -------
    DataFrame
        category, kind, n_terms, terms_used (with at least one counted hit),
        hits, top_term, top_share (share of the category's hits that come
        from its most frequent term: near 1, the category measures one word),
        not_counted (occurrences dropped by exclusions, token matching or
        longer matches).
    """
    lex = load_emphasis_lexicon(lexicon)
    tt = term_table(corp, lexicon=lex)
    rows = []
    for cat, g in tt.groupby("category", sort=False):
        hits = int(g["counted"].sum())
        top = g.sort_values(["counted", "term"], ascending=[False, True], kind="stable").iloc[0]
        rows.append((cat, len(g), int((g["counted"] > 0).sum()), hits, top["term"] if hits else "",
                     top["counted"] / hits if hits else np.nan,
                     int(g[["excluded", "not_a_word", "overlapped"]].to_numpy().sum())))
    out = pd.DataFrame(rows, columns=["category", "n_terms", "terms_used", "hits", "top_term", "top_share",
                                      "not_counted"])
    out.insert(1, "kind", out["category"].map(dict(zip(lex.categories["category"], lex.categories["kind"]))))
    return out



def emphasis_kwic(corp: Corpus, *, category: str | None = None, term: str | Iterable[str] | None = None,
                  by: str | None = DEFAULT_BY, window: int = 20, lexicon=None, counted: bool | None = None) -> pd.DataFrame:
    """Concordance lines of a category's terms (or of given terms), with what the measure made of each.

    Built on :func:`analysis.kwic` (literal matching of the terms); each line
    gets the term's status in the emphasis count.

    Parameters
    ----------
    category : str, optional
        A category id: all its terms.
    term : str or iterable of str, optional
        Terms to look up (they need not be in the lexicon).
    counted : bool, optional
        Keep only counted lines (True) or only lines the measure did not count
        (False); default all.

    Returns
    -------
    DataFrame
        The columns of :func:`analysis.kwic` plus counted (bool) and status
        (``counted``, ``excluded: inside 要求``, ``not a word: inside 须臾``,
        ``overlapped by 决不能`` or ``not in the lexicon``).
    """
    from .methods.concordance import kwic

    lex = load_emphasis_lexicon(lexicon)
    if (category is None) == (term is None):
        raise ValueError("give either category= or term=")
    terms = lex.terms_of(category) if category is not None else ([term] if isinstance(term, str) else list(term))
    lines = kwic(corp, terms, by=by, window=window)
    status, flag = [], []
    index = {t.term: i for i, t in enumerate(lex._terms)}
    by_id = dict(zip(corp.ids, _match_corpus(corp, lex)))
    for r in lines.itertuples(index=False):
        ti = index.get(r.keyword)
        if ti is None:
            status.append("not in the lexicon")
            flag.append(False)
            continue
        m = by_id[r.doc_id]
        hit = np.flatnonzero((m.start == r.start) & (m.term == ti))
        label = _status_label(m, int(hit[0]), lex) if hit.size else "not in the lexicon"
        status.append(label)
        flag.append(label == "counted")
    lines["counted"] = flag
    lines["status"] = status
    if counted is not None:
        lines = lines[lines["counted"] == counted].reset_index(drop=True)
    return lines


def token_check(corp: Corpus, term: str, *, by: str | None = DEFAULT_BY, window: int = 20, lexicon=None) -> pd.DataFrame:
    """Every occurrence of ``term``: what the lexicon counted, and what the segmenter says.

    A second opinion on a risky term: the jieba segmentation of the whole
    document (:func:`analysis.segmentation.segment_pairs`, the project
    lexicon) tells whether the occurrence is a word of its own. Where the
    two disagree, one of them is wrong; read the lines.

    Returns
    -------
    DataFrame
        The columns of :func:`emphasis_kwic` plus token (the word jieba puts
        the occurrence in) and standalone (token == term).
    """
    from .tokenization import segment_pairs

    lines = emphasis_kwic(corp, term=term, by=by, window=window, lexicon=lexicon)
    tokens, alone = [], []
    cache: dict[str, tuple[np.ndarray, list]] = {}
    for r in lines.itertuples(index=False):
        if r.doc_id not in cache:
            pairs = segment_pairs(corp[r.doc_id].text)
            starts = np.cumsum([0] + [len(t) for t, _ in pairs[:-1]]) if pairs else np.zeros(0, int)
            cache[r.doc_id] = (np.asarray(starts), [t for t, _ in pairs])
        starts, toks = cache[r.doc_id]
        k = int(np.searchsorted(starts, r.start, side="right") - 1)
        tok = toks[k]
        covers = starts[k] + len(tok) >= r.end
        tokens.append(tok if covers else tok + "|…")
        alone.append(bool(tok == term and starts[k] == r.start))
    lines["token"] = tokens
    lines["standalone"] = alone
    return lines


def suggest_terms(corp: Corpus, category: str, *, lexicon=None, n: int = 20, min_count: int = 3) -> pd.DataFrame:
    """Words over-represented in sentences that carry the category: candidates the lexicon may miss.

    Sentences with at least one hit of ``category`` are compared with all
    other sentences. Each content word (:func:`analysis.tokenize` rules:
    stopwords, punctuation, numbers, single characters and proper nouns
    dropped) gets a
    smoothed log2 ratio of its relative frequency in the two sets; words that
    contain a lexicon term or are contained in one are left out (they are
    the terms themselves). Read the result as leads to check with
    :func:`emphasis_kwic`, not as new terms.

    Returns
    -------
    DataFrame
        word, in_category (occurrences in sentences with a hit), elsewhere,
        log2_ratio; the ``n`` highest ratios with at least ``min_count``
        occurrences in the category's sentences (ties: more occurrences, then
        the word).
    """
    from .lexicon import TokenOptions, filter_tokens
    from .tokenization import segment_pairs

    lex = load_emphasis_lexicon(lexicon)
    ci = lex.category_ids.index(category) if category in lex.category_ids else None
    if ci is None:
        raise KeyError(f"no category {category!r}; categories: {', '.join(lex.category_ids)}")
    tab = _tables(corp, lex)
    in_cat = np.array([ci in t.categories for t in lex._terms])
    marked = np.zeros(len(tab.sent_len), dtype=bool)
    marked[tab.hit_sent[in_cat[tab.hit_term]]] = True
    opts = TokenOptions(drop_proper=True)  # places, people and organisations are not ways of speaking
    inside: dict[str, int] = {}
    outside: dict[str, int] = {}
    first_sent = np.searchsorted(tab.sent_doc, np.arange(len(tab.doc_ids)), side="left")
    for di, d in enumerate(corp):
        pos = 0
        starts = tab.sent_start[tab.sent_doc == di]
        for tok, flag in segment_pairs(d.text):
            kept = filter_tokens([(tok, flag)], opts)
            if kept:
                s = first_sent[di] + np.searchsorted(starts, pos, side="right") - 1
                target = inside if marked[s] else outside
                target[kept[0]] = target.get(kept[0], 0) + 1
            pos += len(tok)
    all_terms = set(lex.terms["term"])
    A, B = sum(inside.values()), sum(outside.values())
    rows = []
    for w, a in inside.items():
        if a < min_count or any(t in w or w in t for t in all_terms):
            continue
        b = outside.get(w, 0)
        lr = math.log2((a + 0.5) / (A + 0.5)) - math.log2((b + 0.5) / (B + 0.5))
        rows.append((w, a, b, lr))
    df = pd.DataFrame(rows, columns=["word", "in_category", "elsewhere", "log2_ratio"])
    df = df.sort_values(["log2_ratio", "in_category", "word"], ascending=[False, False, True], kind="stable")
    return df.head(n).reset_index(drop=True)


make_callable(__name__, "emphasis")  # see analysis/_callable.py
