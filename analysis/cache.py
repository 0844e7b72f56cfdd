"""Content-addressed caches: segmentations on disk and in memory, loaded documents on disk.

Segmenting is the slow step of the suite, and every notebook kernel would
redo it for the same texts. A segmentation is stored once per

    (text, lexicon fingerprint, segmenter backend and version, format)

under :func:`analysis.paths.cache_dir` (``$ANALYSIS_CACHE``, else the user's
cache folder). The files are safe to delete at any time; a damaged or
unreadable file is recomputed (and replaced), never trusted and never a crash.
Nothing is ever unpickled: a file is a JSON header, integer arrays and UTF-8
text. Writes go to a temporary file first and are
renamed into place, so a reader never sees half a file.

Set ``ANALYSIS_CACHE=off`` to switch the disk caches off (in-memory memoising
stays on).

:class:`Segmented` is the compact form of a segmentation: the distinct
``(token, pos)`` pairs (*types*) and, for every token position, the index of
its type. It costs about 4 bytes per token instead of a tuple per token, and
lets counting filter each distinct token once instead of at every position.
"""
from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .config import cache_dir, cache_enabled

__all__ = [
    "Segmented",
    "cache_enabled",
    "segment_cache_dir",
    "segmentation_key",
    "read_segmentation",
    "write_segmentation",
    "MemoryCache",
    "clear_cache",
    "cache_info",
    "DISK_MIN_CHARS",
]

FORMAT = 3
_MAGIC = b"ASEG3\n"
#: texts shorter than this are only memoised in memory (they are fast to segment)
DISK_MIN_CHARS = 500
#: the cache's subfolders: segmentations, cleaned documents, document-term counts
_SUBFOLDERS = ("segments", "documents", "counts")


def pack_framed(magic: bytes, header: dict, *payload: bytes) -> bytes:
    """``magic`` + length-prefixed JSON header + payload: the framing of every cache file."""
    h = json.dumps(header, ensure_ascii=False).encode("utf-8")
    return b"".join([magic, struct.pack("<I", len(h)), h, *payload])


def unpack_framed(blob: bytes, magic: bytes) -> tuple[dict, int]:
    """Inverse of :func:`pack_framed`: the header and the offset where the payload starts."""
    if not blob.startswith(magic):
        raise ValueError("bad magic")
    at = len(magic)
    (hlen,) = struct.unpack_from("<I", blob, at)
    at += 4
    return json.loads(blob[at:at + hlen].decode("utf-8")), at + hlen


def segment_cache_dir() -> Path:
    """The folder of cached segmentations (``<cache_dir>/segments``)."""
    return cache_dir() / "segments"


# --------------------------------------------------------------------------- Segmented


@dataclass(frozen=True, eq=False)
class Segmented:
    """A segmentation in compact form.

    Attributes
    ----------
    tokens, pos : tuple of str
        The distinct ``(token, pos)`` pairs (*types*), in order of first occurrence.
    seq : numpy.ndarray of uint32
        For each token position, the index of its type.
    """

    tokens: tuple[str, ...]
    pos: tuple[str, ...]
    seq: np.ndarray

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> "Segmented":
        index: dict[tuple[str, str], int] = {}
        seq = [index.setdefault(p, len(index)) for p in pairs]
        return cls(tuple(t for t, _ in index), tuple(p for _, p in index), np.asarray(seq, dtype=np.uint32))

    @property
    def types(self) -> tuple[tuple[str, str], ...]:
        """The distinct ``(token, pos)`` pairs."""
        return tuple(zip(self.tokens, self.pos))

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """Every ``(token, pos)`` pair in text order."""
        return tuple(map(self.types.__getitem__, self.seq.tolist()))

    def __len__(self) -> int:
        return len(self.seq)

    def nbytes(self) -> int:
        """Approximate memory held, for the in-memory cache's budget (a distinct token costs about 96 bytes)."""
        return int(self.seq.nbytes) + 96 * len(self.tokens)

    # ------------------------------------------------------------------ bytes

    def to_bytes(self, n_chars: int) -> bytes:
        """The file form: a JSON header, then token lengths (only if needed), POS codes, token indices, tokens.

        Not compressed: reading a few more bytes from the page cache is faster
        than inflating them, and a warm run is mostly reading. Token indices
        take 2 bytes when a text has fewer than 65,536 distinct pairs, else 4.
        """
        pos_vocab = sorted(set(self.pos))
        code = {p: i for i, p in enumerate(pos_vocab)}
        joined = "".join(self.tokens)
        # tokens are stored joined by a separator that none of them contains, else by lengths
        sep = next((c for c in "\x00\x01\x02\x03\x04\x05\x06\x07\x08" if c not in joined), None)
        lens = np.fromiter(map(len, self.tokens), dtype=np.uint32, count=len(self.tokens))
        text = (joined if sep is None else sep.join(self.tokens)).encode("utf-8", "surrogatepass")
        pos = np.fromiter(map(code.__getitem__, self.pos), dtype=np.uint16, count=len(self.pos))
        width = 2 if len(self.tokens) <= 0xFFFF else 4
        header = {"format": FORMAT, "n_types": len(self.tokens), "n_tokens": len(self.seq), "n_chars": n_chars,
                  "n_bytes": len(text), "pos": pos_vocab, "sep": sep, "index_bytes": width}
        return pack_framed(_MAGIC, header, (b"" if sep is not None else lens.astype("<u4").tobytes()),
                           pos.astype("<u2").tobytes(), self.seq.astype(f"<u{width}").tobytes(), text)

    @classmethod
    def from_bytes(cls, data: bytes, n_chars: int) -> "Segmented":
        """Parse :meth:`to_bytes` output; raises ``ValueError`` on anything unexpected."""
        header, at = unpack_framed(data, _MAGIC)
        nt, nk, nb, sep = int(header["n_types"]), int(header["n_tokens"]), int(header["n_bytes"]), header["sep"]
        width = int(header["index_bytes"])
        if header.get("format") != FORMAT or int(header["n_chars"]) != n_chars or width not in (2, 4):
            raise ValueError("format or length mismatch")
        if len(data) != at + (0 if sep is not None else 4 * nt) + 2 * nt + width * nk + nb:
            raise ValueError("truncated")
        if sep is None:
            lens = np.frombuffer(data, dtype="<u4", count=nt, offset=at).astype(np.int64)
            at += 4 * nt
        codes = np.frombuffer(data, dtype="<u2", count=nt, offset=at)
        at += 2 * nt
        seq = np.frombuffer(data, dtype=f"<u{width}", count=nk, offset=at).astype(np.uint32)
        at += width * nk
        text = data[at:at + nb].decode("utf-8", "surrogatepass")
        if sep is None:
            ends = np.cumsum(lens).tolist()
            tokens = tuple(text[a:b] for a, b in zip([0] + ends[:-1], ends))
        else:
            tokens = tuple(text.split(sep)) if nt else ()
            lens = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        vocab = header["pos"]
        if len(tokens) != nt or (nt and (codes.max() >= len(vocab) or lens.min() < 1)):
            raise ValueError("inconsistent types")
        if nk and seq.max() >= nt:
            raise ValueError("token index out of range")
        if int(lens[seq].sum() if nk else 0) != n_chars:
            raise ValueError("tokens do not cover the text")
        return cls(tokens, tuple(map(vocab.__getitem__, codes.tolist())), seq)


# --------------------------------------------------------------------------- disk


def segmentation_key(text: str, lexicon_fp: str, backend_version: str) -> str:
    """Hex key of a segmentation: hash of the format, backend, lexicon and text."""
    h = hashlib.sha256(f"{FORMAT}\0{backend_version}\0{lexicon_fp}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _path(root: Path, key: str) -> Path:
    return root / key[:2] / f"{key[2:]}.seg"


def read_segmentation(key: str, n_chars: int, root: Path | None = None) -> Segmented | None:
    """The cached segmentation for ``key``, or None (missing, damaged: the file is removed)."""
    path = _path(root or segment_cache_dir(), key)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return Segmented.from_bytes(data, n_chars)
    except _DAMAGED:
        return _discard(path)


#: what parsing a damaged or foreign cache file raises
_DAMAGED = (ValueError, KeyError, TypeError, IndexError, struct.error, UnicodeDecodeError)


def _discard(path: Path) -> None:
    """Remove a damaged cache file (it is recomputed); return None for the caller's miss."""
    try:
        path.unlink()
    except OSError:
        pass
    return None


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename; False if it failed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        return False
    return True


def write_segmentation(key: str, seg: Segmented, n_chars: int, root: Path | None = None) -> bool:
    """Store a segmentation; False (and no exception) if the cache folder is not writable."""
    return atomic_write(_path(root or segment_cache_dir(), key), seg.to_bytes(n_chars))


# --------------------------------------------------------------------------- counts

_COUNTS_MAGIC = b"ACNT1\n"


def counts_path(key: str) -> Path:
    """Where the document-term counts for ``key`` live (``<cache_dir>/counts``)."""
    return cache_dir() / "counts" / key[:2] / f"{key[2:]}.cnt"


def write_counts(key: str, matrix, terms: Sequence[str]) -> bool:
    """Store a document-term count matrix (CSR) and its terms; False if the cache folder is not writable."""
    joined = "".join(terms)
    sep = next((c for c in "\x00\x01\x02\x03\x04\x05\x06\x07\x08" if c not in joined), None)
    if sep is None:  # a term holds every separator: do not cache (never happens with real text)
        return False
    text = sep.join(terms).encode("utf-8", "surrogatepass")
    header = {"n_rows": int(matrix.shape[0]), "n_terms": len(terms), "nnz": int(matrix.nnz), "sep": sep,
              "n_bytes": len(text)}
    data = pack_framed(_COUNTS_MAGIC, header, np.asarray(matrix.indptr, dtype="<i8").tobytes(),
                       np.asarray(matrix.indices, dtype="<i4").tobytes(), np.asarray(matrix.data, dtype="<i8").tobytes(),
                       text)
    return atomic_write(counts_path(key), data)


def read_counts(key: str, n_rows: int):
    """``(csr_matrix, terms)`` cached for ``key``, or None (missing or damaged: a damaged file is removed)."""
    from scipy import sparse

    path = counts_path(key)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        header, at = unpack_framed(data, _COUNTS_MAGIC)
        nr, nt, nnz, nb, sep = (int(header["n_rows"]), int(header["n_terms"]), int(header["nnz"]),
                                int(header["n_bytes"]), header["sep"])
        if nr != n_rows or len(data) != at + 8 * (nr + 1) + 4 * nnz + 8 * nnz + nb:
            raise ValueError("truncated or not this corpus")
        indptr = np.frombuffer(data, dtype="<i8", count=nr + 1, offset=at).astype(np.int64)
        at += 8 * (nr + 1)
        indices = np.frombuffer(data, dtype="<i4", count=nnz, offset=at).astype(np.int64)
        at += 4 * nnz
        counts = np.frombuffer(data, dtype="<i8", count=nnz, offset=at).astype(np.int64)
        at += 8 * nnz
        terms = data[at:at + nb].decode("utf-8", "surrogatepass").split(sep) if nt else []
        if (len(terms) != nt or indptr[0] != 0 or indptr[-1] != nnz or np.any(np.diff(indptr) < 0)
                or (nnz and (indices.min() < 0 or indices.max() >= nt or counts.min() < 1))):
            raise ValueError("inconsistent counts")
        return sparse.csr_matrix((counts, indices, indptr), shape=(nr, nt)), terms
    except _DAMAGED:
        return _discard(path)


def clear_cache() -> int:
    """Delete every cached file of the suite (segmentations, documents, counts); return how many."""
    import shutil

    n = 0
    for sub in _SUBFOLDERS:
        folder = cache_dir() / sub
        if folder.is_dir():
            n += sum(1 for p in folder.rglob("*") if p.is_file())
            shutil.rmtree(folder, ignore_errors=True)
    return n


def cache_info() -> dict:
    """Where the cache is, whether it is on, and how many files and bytes it holds."""
    out = {"path": str(cache_dir()), "enabled": cache_enabled()}
    for sub in _SUBFOLDERS:
        folder = cache_dir() / sub
        files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
        out[f"{sub}_files"] = len(files)
        out[f"{sub}_bytes"] = sum(p.stat().st_size for p in files)
    return out


# --------------------------------------------------------------------------- memory


class MemoryCache:
    """A least-recently-used mapping bounded by the total size of its values.

    ``sizeof(value)`` gives a value's size; the oldest entries go once the
    total passes ``max_size``. Thread-safe.
    """

    def __init__(self, max_size: int, sizeof=len):
        self.max_size = max_size
        self.sizeof = sizeof
        self._data: OrderedDict = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
                return hit[0]
            return None

    def put(self, key, value) -> None:
        size = self.sizeof(value)
        if size > self.max_size:
            return
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._data[key] = (value, size)
            self._size += size
            while self._size > self.max_size:
                _, (_, s) = self._data.popitem(last=False)
                self._size -= s

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._size = 0

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return len(self._data)


def file_digest(paths: Sequence[Path]) -> str:
    """Short hash of the bytes of some files (missing files count as empty)."""
    h = hashlib.sha256()
    for p in paths:
        try:
            h.update(Path(p).read_bytes())
        except OSError:
            pass
        h.update(b"\0")
    return h.hexdigest()[:16]
