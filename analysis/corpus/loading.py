"""Loading a corpus folder: every document read, cleaned and checked, on all cores, through the document cache.

* :func:`load_corpus` — what :func:`analysis.load_corpus` runs: raises
  :class:`~analysis.errors.CorpusError` listing every error; warnings stay in
  ``Corpus.problems`` and are issued as Python warnings.
* :func:`scan` — loads what it can and lists every problem, never raising for
  a problem of the corpus (``python -m analysis check`` uses it).
* :func:`load_serial` — the reference: one process, no cache. :func:`load_corpus`
  gives the same corpus.

A loaded document is cached keyed by the file's bytes and everything its
cleaning depends on (:func:`document_key`): the declared versions of the
cleaning and reading code, the cleaning data files, the lexicon (line repair
asks whether a broken word is a word) and the versions of OpenCC and jieba.
"""
from __future__ import annotations

import os
import warnings
from collections import deque
from functools import lru_cache
from pathlib import Path

from ..cleaning import CLEANING_VERSION, CleanResult, Edit
from ..cluster import scheduler_address
from ..config import cache_enabled, corpus_dir, data_file, metadata_setting, package_version, workers
from ..errors import CorpusError, Problem
from ..lexicon import CORPUS_LEXICON, is_word, lexicon_fingerprint, lexicon_path, load_lexicon
from ..pool import min_parallel_chars, process_pool, progress_bar, single_threaded
from ..segmentation import get_segmenter
from ..store import check_writable, entry_path, file_digest, iter_segmented, key, read_document, write_document
from .documents import Corpus, Document
from .manifest import check_rows, read_manifest
from .reading import READING_VERSION, document_from_text, load_document
from .metadata import join_metadata
from .shared_lines import shared_line_documents
from .tables import is_table, read_table_corpus

__all__ = ["load_corpus", "scan", "validate", "load_serial", "document_key", "corpus_lexicon"]

#: Characters of text a worker cleans per task at most (roughly): the documents of a task come back to this
#: process together, so this bounds the texts in flight.
BATCH_CHARS = 2_000_000
#: The data files cleaning reads: their bytes are part of the key of cached documents.
_CLEANING_DATA = ("boilerplate.yaml", "document_types.txt")


def _folder_problem(folder: Path) -> Problem | None:
    if folder.is_dir():
        return None
    what = "does not exist" if not folder.exists() else "is a file, not a folder"
    return Problem("error", str(folder), what,
                   "pass the folder that holds manifest.csv and the .txt files (--corpus DIR or ANALYSIS_CORPUS)")


def _rows(folder: Path, problems: list[Problem], metadata=None):
    """The manifest's usable rows (a DataFrame) with the metadata CSV joined, or None when the folder, manifest or
    metadata is unusable."""
    bad = _folder_problem(folder)
    if bad is not None:
        problems.append(bad)
        return None
    df = read_manifest(folder, problems)
    if df is None:
        return None
    df = check_rows(folder, df, problems)
    return _joined(df, problems, metadata)


def _joined(df, problems: list[Problem], metadata):
    """``df`` with the metadata CSV (``metadata``, else ``$ANALYSIS_METADATA``) joined; None when it is unusable."""
    metadata = metadata or metadata_setting()
    if df is None or not metadata:
        return df
    return join_metadata(df, metadata, problems)


def corpus_lexicon(folder: Path, problems: list[Problem]):
    """The lexicon of a corpus folder: the package's, plus the folder's own ``lexicon.tsv`` when it has one
    (its terms win on a term both have). A lexicon file that cannot be read is an error naming it."""
    own = folder / CORPUS_LEXICON
    if not own.is_file():
        return None
    spec = (str(lexicon_path()), str(own))
    try:
        load_lexicon(spec)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        problems.append(Problem("error", str(own), f"is not a usable lexicon ({exc})",
                                "fix the file (a UTF-8 TSV with the columns term, freq, pos, gloss, reason; see "
                                "analysis/data/lexicon.tsv) or remove it"))
        return None
    return spec


def _corpus(folder: Path, df, results, problems: list[Problem], lexicon=None) -> Corpus:
    """The corpus of the documents that loaded, in manifest order, with every problem recorded."""
    docs = []
    for doc, probs in results:
        problems.extend(probs)
        if doc is not None:
            docs.append(doc)
    docs, shared = shared_line_documents(docs, folder)  # boilerplate shared across documents (corpus-level step)
    problems.extend(shared)
    kept = {d.id for d in docs}
    df = df[df["id"].isin(kept)].reset_index(drop=True)
    return Corpus(folder, df, docs, problems, lexicon)


def scan(path: str | os.PathLike | None = None, *, id_column: str | None = None,
         text_column: str | None = None, metadata: str | os.PathLike | None = None
         ) -> tuple[Corpus | None, list[Problem]]:
    """Load what can be loaded from a corpus folder (or table) and list every problem, in one pass.

    Never raises for a problem of the folder, its manifest or its files: the
    problems (errors and warnings: file, problem, fix) are returned with the
    corpus of the documents that loaded (None when the manifest is unusable).
    :func:`validate` and ``python -m analysis check`` use it; :func:`load_corpus`
    gives the same result.
    """
    folder = corpus_dir(path)
    problems: list[Problem] = []
    if is_table(folder):
        corp = _table_corpus(folder, problems, False, id_column, text_column, metadata)
        return corp, problems
    df = _rows(folder, problems, metadata)
    if df is None:
        return None, problems
    lexicon = corpus_lexicon(folder, problems)
    results = []
    for row in df.to_dict("records"):
        own: list[Problem] = []
        results.append((load_document(folder, row, own), own))
    corp = _corpus(folder, df, results, problems, lexicon)
    return corp, problems


def _table_corpus(table: Path, problems: list[Problem], cache: bool, id_column: str | None,
                  text_column: str | None, metadata=None) -> Corpus | None:
    """A corpus that comes as one table (:mod:`.tables`): each row's text cleaned and checked like a file's,
    through the document cache. A ``lexicon.tsv`` beside the table is its lexicon."""
    read = read_table_corpus(table, problems, id_column=id_column, text_column=text_column)
    if read is None:
        return None
    df, texts = read
    df = _joined(df, problems, metadata)
    if df is None:
        return None
    lexicon = corpus_lexicon(table.parent, problems)
    results = []
    for row, raw in zip(df.to_dict("records"), texts):
        where = f"{table}, {row['file']}"
        k = document_key(b"table\0" + raw.encode("utf-8", "surrogatepass")) if cache else None
        hit = _cached(k, row, where) if k is not None else None
        if hit is None:
            own: list[Problem] = []
            doc = document_from_text(row, raw, "utf-8 (table)", where, own) if raw.strip() else None
            if not raw.strip():
                own.append(Problem("error", where, "has no text (only whitespace)", "add the document's text or "
                                   "remove the row"))
            hit = _kept(doc, own, k, where)
        results.append(hit)
    return _corpus(table, df, results, problems, lexicon)


def validate(path: str | os.PathLike | None = None) -> list[Problem]:
    """Every problem of a corpus folder (errors and warnings), found in one pass."""
    return scan(path)[1]


def load_serial(path: str | os.PathLike | None = None) -> Corpus:
    """The reference loader: one process, no cache (what :func:`load_corpus` must equal)."""
    corp, problems = scan(path)
    if corp is None or any(p.severity == "error" for p in problems):
        raise CorpusError(problems, str(corpus_dir(path)))
    for p in problems:
        warnings.warn(str(p), UserWarning, stacklevel=2)
    return corp


# --------------------------------------------------------------------------- the document cache


@lru_cache(maxsize=4)
def _cleaning_fingerprint(lexicon_fp: str) -> str:
    """Everything a cleaned document depends on besides its bytes, as one string."""
    packages = [package_version(p) for p in ("opencc", "OpenCC", "jieba")]
    data = file_digest([data_file(name) for name in _CLEANING_DATA])
    return "|".join([CLEANING_VERSION, READING_VERSION, data, lexicon_fp, *packages])


def document_key(data: bytes) -> str:
    """The cache key of a document file's bytes under the current cleaning (see the module docstring)."""
    return key("documents", _cleaning_fingerprint(lexicon_fingerprint()), data)


def _pack(doc: Document | None, problems: list[Problem], fpath: str) -> tuple[dict, str, str]:
    """A loaded document (or its absence) and its problems as a cache entry's header and texts."""
    header = {
        "ok": doc is not None,
        "problems": [[p.severity, p.file == fpath, p.file, p.problem, p.fix] for p in problems],
    }
    if doc is None:
        return header, "", ""
    header["encoding"] = doc.encoding
    header["edits"] = [list(e) for e in doc.result.edits]  # every field, pass number included
    return header, doc.raw, doc.text


def _unpack(entry: tuple[dict, str, str], row: dict, fpath: str) -> tuple[Document | None, list[Problem]]:
    """Inverse of :func:`_pack`; raises ``ValueError`` for an entry that cannot be what :func:`_pack` wrote."""
    header, raw, text = entry
    problems = [Problem(sev, fpath if own else file, prob, fix) for sev, own, file, prob, fix in header["problems"]]
    if not header["ok"]:
        if not any(p.severity == "error" for p in problems):  # a refusal always says why
            raise ValueError("a refused document without an error")
        return None, problems
    edits = [Edit(*e) for e in header["edits"]]
    return Document(row["id"], row["file"], dict(row), raw, header["encoding"], CleanResult(text, edits)), problems


def _kept(doc: Document | None, problems: list[Problem], k: str | None, fpath: str, written: bool = False
          ) -> tuple[Document | None, list[Problem]]:
    """A freshly loaded document, left in the document cache under ``k`` (written here unless ``written``, as a
    worker of this machine has) so that memory holds its metadata, not its text; held in memory when there is no
    cache or it cannot be written."""
    if k is None:
        return doc, problems
    if not written:
        written = write_document(k, *_pack(doc, problems, fpath))
    elif not entry_path("documents", k).is_file():  # written by a worker that does not share this cache folder
        written = write_document(k, *_pack(doc, problems, fpath))
    return (Document.stored(doc, k) if doc is not None and written else doc), problems


def _load_one(folder: str, row: dict, cache: bool, keep: bool = True, data: bytes | None = None
              ) -> tuple[Document | None, list[Problem]]:
    """Load one document like :func:`~analysis.corpus.reading.load_document`, through the document cache.

    ``keep=False`` (in a worker process) writes the cache and returns ``((document with its texts, cache key or
    None), problems)``, for the parent to keep (:func:`_kept`). ``data``: the file's bytes, sent with the task
    (on a Dask cluster, whose workers need not see the corpus folder)."""
    fpath = Path(folder) / row["file"]
    k = None
    if cache:
        if data is None:
            try:
                data = fpath.read_bytes()
            except OSError:
                data = None
        if data is not None:
            k = document_key(data)
            hit = _cached(k, row, str(fpath), keep)
            if hit is not None:
                return hit if keep else ((hit[0], k), hit[1])
    problems: list[Problem] = []
    doc = load_document(Path(folder), row, problems, data)
    if keep:
        return _kept(doc, problems, k, str(fpath))
    if k is not None:
        write_document(k, *_pack(doc, problems, str(fpath)))
    return (doc, k), problems


def _cached(k: str, row: dict, fpath: str, keep: bool = True):
    """The cached document for key ``k`` (its texts left in the cache; with ``keep=False``, with its texts), or
    None (missing or damaged)."""
    entry = read_document(k)
    if entry is None:
        return None
    try:
        doc, problems = _unpack(entry, row, fpath)
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return (Document.stored(doc, k) if doc is not None and keep else doc), problems


def _load_rows(args):
    """A worker's batch: each document with its texts and cache key, and its problems. ``args``: the folder, the
    rows, whether to cache, and (on a Dask cluster) the files' bytes."""
    folder, rows, cache, *data = args
    data = data[0] if data else [None] * len(rows)
    return [_load_one(folder, row, cache, keep=False, data=d) for row, d in zip(rows, data)]


def _sent(folder: Path, rows: list[dict], batch: list[int]) -> tuple[list[int], list[bytes], list[int]]:
    """A batch for a Dask worker: (the rows whose files were read here, their bytes, the rows whose files could
    not be read, to be loaded here so that their errors name what this process sees)."""
    sent, data, here = [], [], []
    for i in batch:
        try:
            data.append((folder / rows[i]["file"]).read_bytes())
            sent.append(i)
        except OSError:
            here.append(i)
    return sent, data, here


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


def load_corpus(
    path: str | os.PathLike | None = None,
    *,
    n_workers: int | None = None,
    cache: bool = True,
    progress: bool | None = None,
    segment: bool = True,
    id_column: str | None = None,
    text_column: str | None = None,
    metadata: str | os.PathLike | None = None,
) -> Corpus:
    """Load and clean a corpus: a folder with a manifest, or one table (JSON Lines, CSV, Parquet).

    Documents are cleaned on all cores when there is enough text, and each
    cleaned document is cached on disk (keyed by the file's bytes and
    everything cleaning depends on, see :func:`document_key`), so loading the
    same folder again, in any notebook kernel, reads the cache.

    Parameters
    ----------
    path : str or Path, optional
        The folder, or a ``.jsonl``, ``.csv`` or ``.parquet`` file with one document per row
        (:mod:`analysis.corpus.tables`). Default: ``$ANALYSIS_CORPUS``, else the project's ``seeds/``.
    n_workers : int, optional
        Worker processes (default ``$ANALYSIS_WORKERS``, else the usable CPUs).
    cache : bool
        Read and write the document cache (also off with ``ANALYSIS_CACHE=off``).
    progress : bool, optional
        Progress bar (by default only on a terminal).
    segment : bool
        When the documents were cleaned in worker processes (a large corpus),
        also segment the newly cleaned ones on all cores into the caches, as
        nearly every analysis needs it (``False`` only cleans). The segmenter
        is built in this process while the workers clean. On a Dask cluster
        (``$ANALYSIS_SCHEDULER``) the segmentations stay there: counting runs
        there too, and other analyses ask the cluster for what they need.
    id_column, text_column : str, optional
        For a table: the columns of the documents' ids and texts (default ``$ANALYSIS_ID_COLUMN`` and
        ``$ANALYSIS_TEXT_COLUMN``, else ``id`` and ``text``).
    metadata : str or Path, optional
        A CSV of metadata to join to the documents, its first column the key (a column of the corpus, such as
        ``id``); default ``$ANALYSIS_METADATA``. See :func:`analysis.corpus.metadata.join_metadata`.

    Raises
    ------
    CorpusError
        Listing every error (file, problem, fix). Warnings do not stop loading;
        they are kept in ``Corpus.problems`` and issued as Python warnings.
    """
    folder = corpus_dir(path)
    problems: list[Problem] = []
    if is_table(folder):
        corp = _table_corpus(folder, problems, cache and cache_enabled(), id_column, text_column, metadata)
        return _checked(corp, folder, problems)
    df = _rows(folder, problems, metadata)
    if df is None:
        raise CorpusError(problems, str(folder))
    rows = df.to_dict("records")
    cache = cache and cache_enabled()
    lexicon = corpus_lexicon(folder, problems)

    # cached documents first, in this process
    results: list = [None] * len(rows)
    todo = []
    for i, row in enumerate(rows):
        if cache:
            fpath = folder / row["file"]
            try:
                results[i] = _cached(document_key(fpath.read_bytes()), row, str(fpath))
            except OSError:
                pass
        if results[i] is None:
            todo.append(i)
    sizes = {i: _size(folder / rows[i]["file"]) for i in todo}
    n = min(workers(n_workers), len(todo))
    segment_new = False  # set when documents were cleaned in worker processes (a large corpus)
    bar = progress_bar(total=len(rows), desc="loading", unit="doc", progress=progress)
    bar.update(len(rows) - len(todo))
    try:
        if n <= 1 or sum(sizes.values()) < min_parallel_chars():
            for i in todo:
                results[i] = _load_one(str(folder), rows[i], cache)
                bar.update(1)
        else:
            remote = scheduler_address() is not None
            forking = single_threaded() and not remote  # nothing to share with workers on a cluster
            if forking:
                is_word("中")  # cleaning's dictionary, loaded once here: forked workers share it
            batches = _batches(todo, sizes, max(4 * n, sum(sizes.values()) // BATCH_CHARS))
            if cache:
                check_writable()  # the workers write the cache: a warning here if they cannot
            with process_pool(n, needs=tuple(lexicon or ())) as pool:
                # on a Dask cluster the files' bytes go with the tasks (the workers need not see the folder), at
                # most two batches per worker at a time; local workers read the files themselves
                window = 2 * n if remote else len(batches)
                futs: deque = deque()
                pending = deque(batches)

                def submit_next() -> None:
                    b = pending.popleft()
                    if not remote:
                        futs.append((b, pool.submit(_load_rows, (str(folder), [rows[i] for i in b], cache))))
                        return
                    sent, data, here = _sent(folder, rows, b)
                    for i in here:
                        results[i] = _load_one(str(folder), rows[i], cache)
                    bar.update(len(here))
                    futs.append((sent, pool.submit(_load_rows, (str(folder), [rows[i] for i in sent], cache, data))))

                while pending and len(futs) < window:
                    submit_next()
                if segment and forking:
                    get_segmenter(lexicon=lexicon)  # built while the workers clean, ready for the segmenting workers
                while futs:
                    b, fut = futs.popleft()  # a future holds its documents' texts: let it go once they are kept
                    for i, ((doc, k), probs) in zip(b, fut.result()):
                        results[i] = _kept(doc, probs, k, str(folder / rows[i]["file"]), written=True)
                    bar.update(len(b))
                    if pending:
                        submit_next()
            # on a Dask cluster the segmentations stay there: counting happens there too (analysis.vectors), and
            # another analysis asks the cluster for what it needs
            segment_new = segment and not remote
    finally:
        bar.close()
    corp = _checked(_corpus(folder, df, results, problems, lexicon), folder, problems)
    if segment_new:
        # segment what was just cleaned (after the corpus-level cleaning step), on all cores, into the caches
        # (disk, and memory for what comes next in this process): nearly every analysis needs it
        fresh = {rows[i]["id"] for i in todo}
        new = (d.text for d in corp if d.id in fresh)  # one at a time: the texts stay in the cache
        for _ in iter_segmented(new, lexicon=lexicon, n_workers=n_workers, progress=progress, cache=cache):
            pass
    return corp


def _checked(corp: Corpus | None, folder: Path, problems: list[Problem]) -> Corpus:
    """The corpus, or :class:`CorpusError` listing every error; warnings issued as Python warnings."""
    if corp is None or any(p.severity == "error" for p in problems):
        raise CorpusError(problems, str(folder))
    for p in problems:
        warnings.warn(str(p), UserWarning, stacklevel=3)
    return corp
