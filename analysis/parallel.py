"""Scale: load and segment many documents on all cores, with caches and progress bars.

* :func:`iter_segmented` yields the segmentation of each text in order;
  texts already segmented come from the caches (:mod:`analysis.cache`), the
  others are segmented by a pool of worker processes when there is enough
  text to be worth it (long texts are cut at line breaks, which never changes
  a segmentation: jieba never joins tokens across a line break).
* :func:`load_corpus` is what :func:`analysis.load_corpus` runs: the same
  result as the one-process reference (``analysis.corpus._load_serial``),
  reading and cleaning documents in parallel and caching each cleaned
  document on disk, keyed by the file's bytes and the cleaning code and rules.

Environment variables: ``ANALYSIS_WORKERS`` (processes; default: the CPUs
this process may use), ``ANALYSIS_PROGRESS`` (``0`` never shows progress
bars, ``1`` always does; by default they show only on a terminal, so never in
notebook outputs or logs).
"""
from __future__ import annotations

import hashlib
import os
import sys
import threading
import warnings
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from .cache import _DAMAGED, Segmented, _discard, atomic_write, cache_enabled, file_digest, pack_framed, unpack_framed
from .config import PACKAGE_DIR, cache_dir, corpus_dir, progress_setting
from .config import workers as configured_workers

__all__ = ["workers", "progress_bar", "iter_segmented", "segment_many", "load_corpus", "split_text"]

#: below this many characters to clean or segment, one process does it all (workers forked
#: from this process start at once)
PARALLEL_MIN_CHARS = 100_000
#: the same where workers must be spawned (in a Jupyter kernel, on macOS and Windows): each
#: imports the package and loads the dictionaries itself, a few seconds of start-up
PARALLEL_MIN_CHARS_SPAWN = 1_500_000
#: long texts are cut into pieces of about this many characters for the workers
PIECE_CHARS = 100_000


def workers(n: int | None = None) -> int:
    """Number of worker processes: ``n``, else ``$ANALYSIS_WORKERS``, else the usable CPUs."""
    return configured_workers(n)


def progress_bar(iterable=None, *, total=None, desc: str = "", unit: str = "it", progress: bool | None = None):
    """A tqdm progress bar on stderr, shown only on a terminal unless told otherwise.

    ``progress=False`` or ``$ANALYSIS_PROGRESS=0`` hides it; ``progress=True``
    or ``$ANALYSIS_PROGRESS=1`` shows it even off a terminal. The default
    (tqdm's ``disable=None``) hides it when stderr is not a terminal, so it
    never lands in notebook outputs, CI logs or tests.
    """
    from tqdm import tqdm

    if progress is None:
        progress = progress_setting()
    disable = None if progress is None else not progress
    return tqdm(iterable, total=total, desc=desc, unit=unit, disable=disable, leave=False, dynamic_ncols=True,
                unit_scale=unit == "char", file=sys.stderr)


def split_text(text: str, size: int = PIECE_CHARS) -> list[str]:
    """Cut ``text`` after line breaks into pieces of about ``size`` characters (joined, they give ``text``)."""
    if len(text) <= size:
        return [text]
    pieces, start = [], 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        pieces.append(text[start:end])
        start = end
    return pieces


def _concat(parts: Sequence[Segmented]) -> Segmented:
    if len(parts) == 1:
        return parts[0]
    index: dict[tuple[str, str], int] = {}
    seqs = []
    for p in parts:
        remap = np.fromiter((index.setdefault(t, len(index)) for t in zip(p.tokens, p.pos)), dtype=np.uint32,
                            count=len(p.tokens))
        seqs.append(remap[p.seq] if len(p.seq) else p.seq)
    return Segmented(tuple(t for t, _ in index), tuple(p for _, p in index), np.concatenate(seqs).astype(np.uint32))


# -- worker side (module-level functions: picklable for any start method)


def _init_worker(name: str, lex: str) -> None:
    from .backends import get_segmenter

    get_segmenter(name, lex)


def _segment_piece(args: tuple) -> tuple[tuple[str, ...], tuple[str, ...], bytes]:
    """Segment one piece of text; a whole document is also written to the disk cache here."""
    name, lex, text, key = args
    from .backends import get_segmenter
    from .cache import write_segmentation

    seg = get_segmenter(name, lex).segment(text)
    if key is not None:
        write_segmentation(key, seg, len(text))
    return seg.tokens, seg.pos, seg.seq.tobytes()


def _single_threaded() -> bool:
    """True when only the main thread runs (tqdm's idle monitor thread aside)."""
    return all(t is threading.main_thread() or t.name == "tqdm_monitor" for t in threading.enumerate())


def _min_chars() -> int:
    """Characters of work below which a pool is not worth starting (see :data:`PARALLEL_MIN_CHARS`)."""
    import multiprocessing as mp

    if "fork" in mp.get_all_start_methods() and _single_threaded():
        return PARALLEL_MIN_CHARS
    return max(PARALLEL_MIN_CHARS, PARALLEL_MIN_CHARS_SPAWN)


def _pool(n: int, initializer=None, initargs=()):
    import multiprocessing as mp

    # fork shares the loaded dictionaries with the workers at no cost; it is only
    # safe while this process runs a single thread (not in a Jupyter kernel)
    method = "fork" if "fork" in mp.get_all_start_methods() and _single_threaded() else "spawn"
    return ProcessPoolExecutor(max_workers=n, mp_context=mp.get_context(method), initializer=initializer,
                               initargs=initargs)


def iter_segmented(
    texts: Iterable[str],
    *,
    lexicon: str | Path | None = None,
    backend: str | None = None,
    n_workers: int | None = None,
    progress: bool | None = None,
    cache: bool = True,
) -> Iterator[Segmented]:
    """Segmentation of each text (:class:`~analysis.cache.Segmented`), in order.

    Parameters
    ----------
    texts : iterable of str
    lexicon : path, optional
        Another lexicon file.
    backend : {"jieba", "rjieba"}, optional
        The segmenter (default ``$ANALYSIS_SEGMENTER``, else the fastest).
    n_workers : int, optional
        Worker processes for what is not cached (default :func:`workers`).
        Fewer than :data:`PARALLEL_MIN_CHARS` characters to segment
        (:data:`PARALLEL_MIN_CHARS_SPAWN` where workers are spawned) are done
        in this process.
    progress : bool, optional
        Progress bar (see :func:`progress_bar`).
    cache : bool
        Use the on-disk cache (read and write).
    """
    from .backends import backend_name, get_segmenter
    from .segmentation import _lexicon_path, _lookup, _remember

    texts = list(texts)
    name = backend_name(backend)
    lex = str(_lexicon_path(lexicon).resolve())
    found, keys, todo = [], [], []
    for i, text in enumerate(texts):
        hit, key = _lookup(text, lex, name, cache)
        found.append(hit)
        keys.append(key)
        if hit is None:
            todo.append(i)
    n_todo = sum(len(texts[i]) for i in todo)
    n = min(workers(n_workers), max(1, n_todo // PIECE_CHARS))
    bar = progress_bar(total=sum(len(t) for t in texts), desc="segmenting", unit="char", progress=progress)
    try:
        if n <= 1 or n_todo < _min_chars():
            for i, text in enumerate(texts):
                if found[i] is None:
                    found[i] = get_segmenter(name, lex).segment(text)
                    _remember(text, lex, name, keys[i], found[i])
                bar.update(len(text))
                yield found[i]
                found[i] = None
            return
        pieces = {i: split_text(texts[i]) for i in todo}
        if _single_threaded():
            get_segmenter(name, lex)  # load once here; forked workers share it
        with _pool(n, _init_worker, (name, lex)) as pool:
            futures = {
                i: [pool.submit(_segment_piece, (name, lex, p, keys[i] if len(pieces[i]) == 1 else None))
                    for p in pieces[i]]
                for i in todo
            }
            for i, text in enumerate(texts):
                if found[i] is None:
                    parts = []
                    for fut in futures.pop(i):
                        toks, pos, seq = fut.result()
                        parts.append(Segmented(toks, pos, np.frombuffer(seq, dtype=np.uint32)))
                    found[i] = _concat(parts)
                    # a document in one piece was written to the disk cache by its worker
                    _remember(text, lex, name, keys[i] if len(parts) > 1 else None, found[i])
                bar.update(len(text))
                yield found[i]
                found[i] = None
    finally:
        bar.close()


def segment_many(texts: Iterable[str], **kwargs) -> list[Segmented]:
    """:func:`iter_segmented` as a list."""
    return list(iter_segmented(texts, **kwargs))


# --------------------------------------------------------------------------- loading

_DOC_MAGIC = b"ADOC2\n"


@lru_cache(maxsize=4)
def _cleaning_fingerprint(lexicon_fp: str) -> str:
    """Hash of everything a cleaned document depends on besides its bytes."""
    from importlib.metadata import PackageNotFoundError, version

    from .config import data_file

    vers = []
    for pkg in ("opencc", "OpenCC", "jieba"):
        try:
            vers.append(version(pkg))
        except PackageNotFoundError:
            vers.append("?")
    files = [*sorted((PACKAGE_DIR / "cleaning").glob("*.py")), PACKAGE_DIR / "corpus.py",
             PACKAGE_DIR / "errors.py",
             data_file("boilerplate.yaml"), data_file("document_types.txt")]
    return hashlib.sha256(f"{file_digest(files)}|{lexicon_fp}|{'|'.join(vers)}".encode()).hexdigest()[:16]


def _doc_key(data: bytes, fp: str) -> str:
    h = hashlib.sha256(f"doc1\0{fp}\0".encode())
    h.update(data)
    return h.hexdigest()


def _doc_path(key: str) -> Path:
    return cache_dir() / "documents" / key[:2] / f"{key[2:]}.doc"


def _pack_doc(doc, problems, fpath: str) -> bytes:
    """A loaded document (or its absence) and its problems, as bytes: a JSON header, then UTF-8 text.

    Not compressed: reading twice the bytes from the page cache is faster than inflating them.
    """
    header = {
        "ok": doc is not None,
        "problems": [[p.severity, p.file == fpath, p.file, p.problem, p.fix] for p in problems],
    }
    raw = text = b""
    if doc is not None:
        header["encoding"] = doc.encoding
        header["edits"] = [list(e) for e in doc.result.edits]  # every field, pass number included
        raw = doc.raw.encode("utf-8", "surrogatepass")
        text = doc.text.encode("utf-8", "surrogatepass")
        header["n_raw"], header["n_text"] = len(raw), len(text)
    return pack_framed(_DOC_MAGIC, header, raw, text)


def _unpack_doc(data: bytes, row: dict, fpath: str):
    from .cleaning import CleanResult, Edit
    from .corpus import Document
    from .errors import Problem

    blob = data
    header, at = unpack_framed(blob, _DOC_MAGIC)
    problems = [Problem(sev, fpath if own else file, prob, fix) for sev, own, file, prob, fix in header["problems"]]
    if not header["ok"]:
        return None, problems
    nr, nt = header["n_raw"], header["n_text"]
    if len(blob) != at + nr + nt:
        raise ValueError("truncated")
    raw = blob[at:at + nr].decode("utf-8", "surrogatepass")
    text = blob[at + nr:at + nr + nt].decode("utf-8", "surrogatepass")
    edits = [Edit(*e) for e in header["edits"]]
    return Document(row["id"], row["file"], dict(row), raw, header["encoding"], CleanResult(text, edits)), problems


def _load_one(folder: str, row: dict, fp: str | None):
    """Load one document like :func:`analysis.corpus._load_document`, through the document cache."""
    from .corpus import _load_document

    fpath = Path(folder) / row["file"]
    key = None
    if fp is not None:
        try:
            data = fpath.read_bytes()
        except OSError:
            data = None
        if data is not None:
            key = _doc_key(data, fp)
            try:
                return _unpack_doc(_doc_path(key).read_bytes(), row, str(fpath))
            except FileNotFoundError:
                pass
            except (OSError, *_DAMAGED):
                _discard(_doc_path(key))
    problems: list = []
    doc = _load_document(Path(folder), row, problems)
    if key is not None:
        atomic_write(_doc_path(key), _pack_doc(doc, problems, str(fpath)))
    return doc, problems


def _load_rows(args):
    folder, rows, fp = args
    return [_load_one(folder, row, fp) for row in rows]


def load_corpus(
    path: str | os.PathLike | None = None,
    *,
    n_workers: int | None = None,
    cache: bool = True,
    progress: bool | None = None,
    segment: bool = True,
    _stacklevel: int = 2,
):
    """:func:`analysis.load_corpus`: documents are cleaned in parallel and cached.

    Same folder rules, same :class:`~analysis.corpus.Corpus`, same errors and
    warnings. A cleaned document is cached on disk keyed by the file's bytes
    and a fingerprint of the cleaning code, rules and lexicon, so editing any
    of them (or the file) cleans it again.

    Parameters
    ----------
    path : str or Path, optional
        The folder (default ``$ANALYSIS_CORPUS``, else ``seeds/``).
    n_workers : int, optional
        Processes for documents not in the cache (default :func:`workers`;
        small corpora are loaded in this process).
    cache : bool
        Read and write the document cache (also off with ``ANALYSIS_CACHE=off``).
    progress : bool, optional
        Progress bar (see :func:`progress_bar`).
    segment : bool
        When documents are cleaned in worker processes (a corpus of more than
        :data:`PARALLEL_MIN_CHARS` characters to clean, see :func:`_min_chars`), also segment them on
        all cores into the caches, so what comes next (:func:`analysis.dfm`,
        :func:`analysis.tokens` …) finds them there. The segmenter is built
        in this process while the workers clean.
    """
    from .corpus import Corpus, _check_rows, _read_manifest
    from .errors import CorpusError, Problem
    from .segmentation import _lexicon_path, lexicon_fingerprint

    folder = corpus_dir(path)
    problems: list = []
    if not folder.is_dir():
        problems.append(Problem("error", str(folder), "is not a folder",
                                "pass the folder that holds manifest.csv and the .txt files (--corpus DIR or ANALYSIS_CORPUS)"))
        raise CorpusError(problems, str(folder))
    df = _read_manifest(folder, problems)
    if df is None:
        raise CorpusError(problems, str(folder))
    df = _check_rows(folder, df, problems)
    rows = df.to_dict("records")
    fp = _cleaning_fingerprint(lexicon_fingerprint(_lexicon_path(None))) if cache and cache_enabled() else None

    # cached documents first, in this process
    results: list = [None] * len(rows)
    todo = []
    for i, row in enumerate(rows):
        if fp is not None:
            fpath = folder / row["file"]
            try:
                key = _doc_key(fpath.read_bytes(), fp)
                results[i] = _unpack_doc(_doc_path(key).read_bytes(), row, str(fpath))
                continue
            except (OSError, *_DAMAGED):
                pass
        todo.append(i)
    sizes = {i: _size(folder / rows[i]["file"]) for i in todo}
    n = min(workers(n_workers), len(todo))
    bar = progress_bar(total=len(rows), desc="loading", unit="doc", progress=progress)
    bar.update(len(rows) - len(todo))
    try:
        if n <= 1 or sum(sizes.values()) < _min_chars():
            for i in todo:
                results[i] = _load_one(str(folder), rows[i], fp)
                bar.update(1)
        else:
            from .backends import get_segmenter
            from .segmentation import is_word

            forking = _single_threaded()
            if forking:
                is_word("中")  # cleaning's dictionary, loaded once here: forked workers share it
            batches = _batches(todo, sizes, 4 * n)
            with _pool(n) as pool:
                futs = [(b, pool.submit(_load_rows, (str(folder), [rows[i] for i in b], fp))) for b in batches]
                if segment and forking:
                    get_segmenter()  # built while the workers clean, ready for the segmenting workers
                for b, fut in futs:
                    for i, res in zip(b, fut.result()):
                        results[i] = res
                    bar.update(len(b))
            if segment:
                # segment what was just cleaned, on all cores, into the caches (disk, and memory for
                # what comes next in this process): nearly every analysis needs it
                new = [results[i][0].text for i in todo if results[i][0] is not None]
                for _ in iter_segmented(new, n_workers=n_workers, progress=progress, cache=cache):
                    pass
    finally:
        bar.close()
    docs = []
    for doc, probs in results:
        problems.extend(probs)
        if doc is not None:
            docs.append(doc)
    kept = {d.id for d in docs}
    df = df[df["id"].isin(kept)].reset_index(drop=True)
    if any(p.severity == "error" for p in problems):
        raise CorpusError(problems, str(folder))
    for p in problems:
        warnings.warn(str(p), UserWarning, stacklevel=_stacklevel)
    return Corpus(folder, df, docs, problems)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size // 3  # characters, roughly
    except OSError:
        return 0


def _batches(todo: list[int], sizes: dict[int, int], n_batches: int) -> list[list[int]]:
    """Split ``todo`` (kept in order) into about ``n_batches`` runs of similar total size."""
    total = sum(sizes.values()) or 1
    target = total / max(1, n_batches)
    out, cur, acc = [], [], 0
    for i in todo:
        cur.append(i)
        acc += sizes[i]
        if acc >= target:
            out.append(cur)
            cur, acc = [], 0
    if cur:
        out.append(cur)
    return out
