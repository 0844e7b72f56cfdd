"""The instruments: emphasis lexicons read from YAML by name or path, validated, and compiled for matching.

:func:`load_emphasis_lexicon` reads an instrument (a name listed in
``data/emphasis_settings.yaml``: ``governance``, ``covid``, ``force``; a file;
or a mapping) into an :class:`EmphasisLexicon`; every problem of the file is
reported at once in a :class:`LexiconError`. An instrument may ``include``
others (the shared force markers): their categories follow its own.
:func:`corpus_instrument` says which instrument a corpus uses when none is given:
the one its folder names in ``corpus.yaml`` (``emphasis: covid``), else the
default of the settings (``governance``). :func:`instrument_data` gives an
instrument as one mapping, includes resolved, to edit and load again.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import pandas as pd

from ...cleaning.corpus_options import corpus_options
from ...config import data_file
from ...errors import AnalysisError
from ...text import SENTENCE_ENDS

__all__ = ["LexiconError", "Term", "EmphasisLexicon", "load_emphasis_lexicon", "KINDS", "TOTALS",
           "emphasis_settings", "instrument_names", "instrument_path", "instrument_data", "corpus_instrument",
           "instrument_for", "emphasis_instruments"]

KINDS = ("topic", "force")
#: Names of the rows that pool all categories of one kind (each stretch of text counted once).
TOTALS = {"topic": "all_topic", "force": "all_force"}

_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TERM_KEYS = {"term", "match", "exclude", "note"}
_MATCH_MODES = ("substring", "token")


class LexiconError(AnalysisError, ValueError):
    """An emphasis lexicon file is malformed; the message lists every problem."""


@dataclass(frozen=True)
class Term:
    """One distinct term of a lexicon, compiled for matching.

    ``categories`` are indices into :attr:`EmphasisLexicon.category_ids` (a
    declared shared term has several); ``match`` is ``substring`` or
    ``token``; ``exclude`` the sorted exclusion contexts.
    """

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
    compiled : tuple of Term
        Each distinct term once, in code-point order: what the matcher searches.
    """

    source: str
    name: str
    rationale: str
    matching: str
    categories: pd.DataFrame = field(repr=False)
    terms: pd.DataFrame = field(repr=False)
    overlaps: pd.DataFrame = field(repr=False)
    key: str = field(repr=False)
    compiled: tuple[Term, ...] = field(repr=False, default=())

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


# =========================================================================== parsing


def _as_str_list(value) -> list[str] | None:
    """``value`` as a list of strings (None: empty; a string: one item), or None if it is not one."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(x, str) for x in value):
        return list(value)
    return None


def _parse_terms(cid: str, where: str, terms: list, errors: list[str]) -> tuple[list[dict], set]:
    """The term rows of one category (and the set of its terms), appending problems to ``errors``."""
    rows, listed = [], set()
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
        rows.append({"category": cid, "term": term, "match": match, "exclude": tuple(sorted(set(exclude))),
                     "note": str(spec.get("note") or "").strip()})
    return rows, listed


def _parse_categories(cats_in: list, errors: list[str]) -> tuple[list[dict], list[dict], set]:
    """Category rows, term rows and the set of category ids, appending problems to ``errors``."""
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
        rows, listed = _parse_terms(cid, where, terms, errors)
        term_rows.extend(rows)
        cat_rows.append({"category": cid, "kind": kind, "zh": str(c.get("zh", "")).strip(),
                         "en": str(c.get("en", "")).strip(),
                         "definition": " ".join(str(c.get("definition", "")).split()),
                         "rationale": " ".join(str(c.get("rationale") or "").split()),
                         "examples": tuple(examples), "n_terms": len(listed)})
    return cat_rows, term_rows, seen_ids


def _parse_overlaps(ov_in, seen_ids: set, errors: list[str]) -> dict[str, tuple[set, str]]:
    """The declared overlaps: term -> (its categories, reason), appending problems to ``errors``."""
    declared: dict[str, tuple[set, str]] = {}
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
    return declared


def _check_overlaps(terms_df: pd.DataFrame, declared: dict[str, tuple[set, str]], errors: list[str]) -> None:
    """Every term listed in several categories is declared for exactly those, with equal options, and vice versa."""
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


def _compile(terms_df: pd.DataFrame, cats_df: pd.DataFrame) -> tuple[Term, ...]:
    """Each distinct term once (code-point order), with the indices of its categories."""
    index = {c: i for i, c in enumerate(cats_df["category"])}
    compiled = []
    for term, grp in terms_df.groupby("term", sort=True):
        first = grp.iloc[0]
        compiled.append(Term(term, tuple(sorted(index[c] for c in grp["category"])), first["match"], first["exclude"]))
    return tuple(compiled)


def _content_key(cat_rows: list[dict], term_rows: list[dict], declared: dict[str, tuple[set, str]]) -> str:
    """Hash of the normalised categories, terms and overlaps (equal content, equal key)."""
    canonical = {
        "categories": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in r.items()} for r in cat_rows],
        "terms": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in r.items()} for r in term_rows],
        "overlaps": sorted((t, sorted(cs)) for t, (cs, _) in declared.items()),
    }
    return hashlib.sha256(json.dumps(canonical, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def _parse(data: Mapping, source: str) -> EmphasisLexicon:
    if not isinstance(data, Mapping):
        raise LexiconError(f"{source}: the lexicon must be a mapping with a 'categories' list")
    data = _resolved(data, source, Path(source).parent if source != "<mapping>" else data_file(""), ())
    cats_in = data.get("categories")
    if not isinstance(cats_in, list) or not cats_in:
        raise LexiconError(f"{source}: the lexicon needs a non-empty 'categories' list")

    errors: list[str] = []
    cat_rows, term_rows, seen_ids = _parse_categories(cats_in, errors)
    terms_df = pd.DataFrame(term_rows, columns=["category", "term", "match", "exclude", "note"])
    declared = _parse_overlaps(data.get("overlaps") or [], seen_ids, errors)
    _check_overlaps(terms_df, declared, errors)
    if errors:
        lines = "\n".join(f"  - {e}" for e in errors)
        raise LexiconError(f"{source}: {len(errors)} problem(s) in the emphasis lexicon:\n{lines}")

    terms_df["shared"] = terms_df["term"].map(lambda t: t in declared)
    terms_df = terms_df[["category", "term", "match", "exclude", "shared", "note"]]
    cats_df = pd.DataFrame(cat_rows)
    ov_df = pd.DataFrame([(t, tuple(c for c in cats_df["category"] if c in cs), r) for t, (cs, r) in declared.items()],
                         columns=["term", "categories", "reason"])
    return EmphasisLexicon(
        source=source, name=str(data.get("name") or Path(source).stem), rationale=str(data.get("rationale") or "").strip(),
        matching=str(data.get("matching") or "").strip(), categories=cats_df, terms=terms_df.reset_index(drop=True),
        overlaps=ov_df, key=_content_key(cat_rows, term_rows, declared), compiled=_compile(terms_df, cats_df),
    )


def _read_yaml(path: Path):
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: is not valid YAML ({exc})") from None


@lru_cache(maxsize=16)
def _load_file(path: str, mtime: float, included: tuple) -> EmphasisLexicon:
    return _parse(_read_yaml(Path(path)), path)


# =========================================================================== instruments by name


@lru_cache(maxsize=4)
def _settings_file(path: str, mtime: float) -> dict:
    data = _read_yaml(Path(path)) or {}
    if not isinstance(data, Mapping) or not isinstance(data.get("instruments"), Mapping):
        raise LexiconError(f"{path}: needs an 'instruments' mapping of names to files")
    return dict(data)


def emphasis_settings() -> dict:
    """The settings of the emphasis analysis (``data/emphasis_settings.yaml``, see its comments)."""
    path = data_file("emphasis_settings.yaml")
    return _settings_file(str(path), path.stat().st_mtime)


def instrument_names() -> list[str]:
    """The names of the shipped instruments (``governance``, ``covid``, ``force`` …)."""
    return list(emphasis_settings()["instruments"])


def _is_name(source) -> bool:
    return isinstance(source, str) and _ID_RE.match(source) is not None and not source.endswith("yaml")


def instrument_path(source: str | os.PathLike | None = None, *, base: Path | None = None) -> Path:
    """The file of an instrument: a name of :func:`instrument_names`, a path (relative to ``base``), or None for the default."""
    settings = emphasis_settings()
    if source is None:
        source = settings["default_instrument"]
    if _is_name(source):
        files = settings["instruments"]
        if source not in files:
            raise LexiconError(f"no emphasis instrument named {source!r}; the instruments are "
                               f"{', '.join(files)} (data/emphasis_settings.yaml), or pass the path of a YAML file")
        return data_file(files[source])
    path = Path(source).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    if not path.is_file():
        raise LexiconError(f"{path}: no such lexicon file (an instrument is a name: "
                           f"{', '.join(settings['instruments'])}, or the path of a YAML file)")
    return path


def _resolved(data: Mapping, source: str, base: Path, seen: tuple) -> dict:
    """``data`` with the categories and overlaps of the instruments it includes appended after its own."""
    includes = data.get("include") or []
    if isinstance(includes, str):
        includes = [includes]
    if not includes:
        return dict(data)
    if not isinstance(includes, list) or not all(isinstance(x, str) for x in includes):
        raise LexiconError(f"{source}: 'include' must be a list of instrument names or paths")
    out = dict(data)
    out["categories"] = list(data.get("categories") or [])
    out["overlaps"] = list(data.get("overlaps") or [])
    for name in includes:
        path = instrument_path(name, base=base).resolve()
        if str(path) in seen:
            raise LexiconError(f"{source}: includes {name!r}, which includes it again")
        sub = _read_yaml(path)
        if not isinstance(sub, Mapping):
            raise LexiconError(f"{path}: the lexicon must be a mapping with a 'categories' list")
        sub = _resolved(sub, str(path), path.parent, (*seen, str(path)))
        out["categories"] += list(sub.get("categories") or [])
        out["overlaps"] += list(sub.get("overlaps") or [])
        if not str(out.get("matching") or "").strip():
            out["matching"] = sub.get("matching", "")
    out.pop("include", None)
    return out


def instrument_data(source: str | os.PathLike | Mapping | None = None) -> dict:
    """An instrument as one plain mapping, its includes resolved: a copy to edit and load again.

    ``load_emphasis_lexicon(instrument_data("covid")) == load_emphasis_lexicon("covid")``.
    """
    import copy

    if isinstance(source, Mapping):
        return copy.deepcopy(_resolved(source, "<mapping>", data_file(""), ()))
    path = instrument_path(source).resolve()
    return copy.deepcopy(_resolved(_read_yaml(path), str(path), path.parent, (str(path),)))


def corpus_instrument(corp) -> str | Path:
    """The instrument a corpus uses when none is given: its folder's ``corpus.yaml`` (``emphasis:``), else the default.

    A name is returned as a name, a path relative to the corpus folder as a full path.
    """
    try:
        named = corpus_options(getattr(corp, "path", None)).get("emphasis")
    except ValueError as exc:
        raise LexiconError(str(exc)) from None
    if named is None:
        return emphasis_settings()["default_instrument"]
    if not isinstance(named, str) or not named.strip():
        raise LexiconError(f"{corp.path}/corpus.yaml: 'emphasis' must name an instrument "
                           f"({', '.join(instrument_names())}) or a YAML file in the folder")
    return named if _is_name(named) else instrument_path(named, base=Path(corp.path))


def instrument_for(corp, lexicon=None) -> "EmphasisLexicon":
    """``lexicon`` loaded, or, when it is None, the corpus's own instrument (:func:`corpus_instrument`)."""
    return load_emphasis_lexicon(corpus_instrument(corp) if lexicon is None else lexicon)


def emphasis_instruments() -> pd.DataFrame:
    """The shipped instruments: name, file, title, topic and force categories, terms, and whether it is the default."""
    settings = emphasis_settings()
    rows = []
    for name, file in settings["instruments"].items():
        lex = load_emphasis_lexicon(name)
        kinds = lex.categories["kind"].value_counts()
        rows.append((name, file, lex.name, int(kinds.get("topic", 0)), int(kinds.get("force", 0)),
                     int(lex.terms["term"].nunique()), name == settings["default_instrument"]))
    return pd.DataFrame(rows, columns=["name", "file", "title", "topic_categories", "force_categories", "terms",
                                       "default"])


def load_emphasis_lexicon(source: str | os.PathLike | Mapping | EmphasisLexicon | None = None) -> EmphasisLexicon:
    """Read and validate an emphasis instrument.

    Parameters
    ----------
    source : name, path, mapping or EmphasisLexicon, optional
        A name of ``data/emphasis_settings.yaml`` (``"governance"``, ``"covid"``,
        ``"force"``; :func:`instrument_names`), a YAML file, a mapping with the
        same structure (e.g. an edited :func:`instrument_data`), or an already
        loaded lexicon (returned unchanged). Default: the settings'
        ``default_instrument`` (governance). The analyses that take a corpus
        default to the corpus's own instrument instead (:func:`corpus_instrument`).

    Returns
    -------
    EmphasisLexicon

    Raises
    ------
    LexiconError
        Listing every problem: an unknown name, missing fields, unknown kinds or
        match modes, a term listed twice in a category, an exclusion context that
        does not contain its term, and any term listed in two categories without
        a matching entry under ``overlaps`` (the message names the term and the
        categories).
    """
    if isinstance(source, EmphasisLexicon):
        return source
    if isinstance(source, Mapping):
        return _parse(source, "<mapping>")
    path = instrument_path(source).resolve()
    return _load_file(str(path), path.stat().st_mtime, _include_mtimes(path))


def _include_mtimes(path: Path) -> tuple:
    """The modification times of the shipped instrument files (a cached lexicon is re-read when one changes)."""
    files = sorted(set(emphasis_settings()["instruments"].values()))
    return tuple((f, data_file(f).stat().st_mtime) for f in files if data_file(f).is_file())
