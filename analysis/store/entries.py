"""The kinds of cache entries: segmentations, cleaned documents, document-term counts and small tables.

Each ``write_*`` returns False (and raises nothing; a warning, once, says
so) when the cache folder is not writable; each ``read_*`` returns None for
a missing entry and discards a damaged one (see :mod:`.files`), so a
damaged cache costs time, never a wrong result.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from ..segmentation import Segmented
from .files import DAMAGED, atomic_write, discard, entry_path, framed_parts, pack_framed, read_entry, unpack_framed

__all__ = ["segmentation_to_bytes", "segmentation_from_bytes", "read_segmentation", "write_segmentation",
           "read_counts", "write_counts", "read_document", "write_document", "read_table", "write_table"]

#: characters that may join the strings of an entry (the first one no string contains)
_SEPARATORS = "\x00\x01\x02\x03\x04\x05\x06\x07\x08"


def _read(kind: str, key: str, parse, root: Path | None = None):
    """``parse(data, header, start, end)`` of the entry ``key`` of ``kind``, or None: missing, or damaged (the
    file is removed: it is recomputed)."""
    path = entry_path(kind, key, root)
    data = read_entry(path)
    if data is None:
        return None
    try:
        header, at, end = unpack_framed(data, kind)
        return parse(data, header, at, end)
    except DAMAGED:
        return discard(path)


def _separator(joined: str) -> str | None:
    return next((c for c in _SEPARATORS if c not in joined), None)


# --------------------------------------------------------------------------- segmentations


def segmentation_to_bytes(seg: Segmented, n_chars: int) -> bytes:
    """The file form: a JSON header, then token lengths (only if needed), POS codes, token indices, tokens.

    Not compressed: reading a few more bytes from the page cache is faster
    than inflating them, and a warm run is mostly reading. Token indices
    take 2 bytes when a text has fewer than 65,536 distinct pairs, else 4.
    """
    pos_vocab = sorted(set(seg.pos))
    code = {p: i for i, p in enumerate(pos_vocab)}
    joined = "".join(seg.tokens)
    # tokens are stored joined by a separator that none of them contains, else by lengths
    sep = _separator(joined)
    lens = np.fromiter(map(len, seg.tokens), dtype=np.uint32, count=len(seg.tokens))
    text = (joined if sep is None else sep.join(seg.tokens)).encode("utf-8", "surrogatepass")
    pos = np.fromiter(map(code.__getitem__, seg.pos), dtype=np.uint16, count=len(seg.pos))
    width = 2 if len(seg.tokens) <= 0xFFFF else 4
    header = {"n_types": len(seg.tokens), "n_tokens": len(seg.seq), "n_chars": n_chars, "n_bytes": len(text),
              "pos": pos_vocab, "sep": sep, "index_bytes": width}
    return pack_framed("segments", header, (b"" if sep is not None else lens.astype("<u4").tobytes()),
                       pos.astype("<u2").tobytes(), seg.seq.astype(f"<u{width}").tobytes(), text)


def segmentation_from_bytes(data: bytes, n_chars: int) -> Segmented:
    """Parse :func:`segmentation_to_bytes` output; raises ``ValueError`` on anything unexpected."""
    header, at, end = unpack_framed(data, "segments")
    return _segmentation(data, header, at, end, n_chars)


def _segmentation(data: bytes, header: dict, at: int, end: int, n_chars: int) -> Segmented:
    nt, nk, nb, sep = int(header["n_types"]), int(header["n_tokens"]), int(header["n_bytes"]), header["sep"]
    width = int(header["index_bytes"])
    if int(header["n_chars"]) != n_chars or width not in (2, 4):
        raise ValueError("format or length mismatch")
    if end != at + (0 if sep is not None else 4 * nt) + 2 * nt + width * nk + nb:
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
    return Segmented(tokens, tuple(map(vocab.__getitem__, codes.tolist())), seq)


def read_segmentation(key: str, n_chars: int, root: Path | None = None) -> Segmented | None:
    """The cached segmentation for ``key``, or None (missing; damaged: the file is removed)."""
    return _read("segments", key, lambda data, header, at, end: _segmentation(data, header, at, end, n_chars), root)


def write_segmentation(key: str, seg: Segmented, n_chars: int, root: Path | None = None) -> bool:
    """Store a segmentation; False (and no exception) if the cache folder is not writable."""
    return atomic_write(entry_path("segments", key, root), segmentation_to_bytes(seg, n_chars))


# --------------------------------------------------------------------------- counts


def write_counts(key: str, matrix, terms: Sequence[str]) -> bool:
    """Store a document-term count matrix (CSR) and its terms; False if the cache folder is not writable."""
    sep = _separator("".join(terms))
    if sep is None:  # a term holds every separator: do not cache (never happens with real text)
        return False
    text = sep.join(terms).encode("utf-8", "surrogatepass")
    header = {"n_rows": int(matrix.shape[0]), "n_terms": len(terms), "nnz": int(matrix.nnz), "sep": sep,
              "n_bytes": len(text)}
    # the arrays are written as they are (a copy only where the type differs): a large corpus's matrix is big
    parts = framed_parts("counts", header, *(np.ascontiguousarray(a, dtype=t) for a, t in
                                             ((matrix.indptr, "<i8"), (matrix.indices, "<i4"), (matrix.data, "<i8"))),
                         text)
    return atomic_write(entry_path("counts", key), parts)


def read_counts(key: str, n_rows: int):
    """``(csr_matrix, terms)`` cached for ``key``, or None (missing; damaged: the file is removed)."""
    return _read("counts", key, lambda data, header, at, end: _counts(data, header, at, end, n_rows))


def _counts(data: bytes, header: dict, at: int, end: int, n_rows: int):
    nr, nt, nnz, nb, sep = (int(header["n_rows"]), int(header["n_terms"]), int(header["nnz"]),
                            int(header["n_bytes"]), header["sep"])
    if nr != n_rows or end != at + 8 * (nr + 1) + 4 * nnz + 8 * nnz + nb:
        raise ValueError("truncated or not this corpus")
    indptr = np.frombuffer(data, dtype="<i8", count=nr + 1, offset=at).astype(np.int64)
    at += 8 * (nr + 1)
    indices = np.frombuffer(data, dtype="<i4", count=nnz, offset=at).astype(np.int32)
    at += 4 * nnz
    counts = np.frombuffer(data, dtype="<i8", count=nnz, offset=at).astype(np.int64)
    at += 8 * nnz
    terms = data[at:at + nb].decode("utf-8", "surrogatepass").split(sep) if nt else []
    if (len(terms) != nt or indptr[0] != 0 or indptr[-1] != nnz or np.any(np.diff(indptr) < 0)
            or (nnz and (indices.min() < 0 or indices.max() >= nt or counts.min() < 1))):
        raise ValueError("inconsistent counts")
    return sparse.csr_matrix((counts, indices, indptr), shape=(nr, nt)), terms


# --------------------------------------------------------------------------- documents


def write_document(key: str, header: dict, raw: str, text: str) -> bool:
    """Store a loaded document: a JSON ``header`` (what the loader records), its raw and clean text."""
    raw_b = raw.encode("utf-8", "surrogatepass")
    text_b = text.encode("utf-8", "surrogatepass")
    header = dict(header, n_raw=len(raw_b), n_text=len(text_b))
    return atomic_write(entry_path("documents", key), pack_framed("documents", header, raw_b, text_b))


def read_document(key: str, root: Path | None = None) -> tuple[dict, str, str] | None:
    """``(header, raw, text)`` cached for ``key`` (in the folder ``root`` of documents, default the cache's), or
    None (missing; damaged: the file is removed)."""
    return _read("documents", key, _document, root)


def _document(data: bytes, header: dict, at: int, end: int) -> tuple[dict, str, str]:
    nr, nt = int(header["n_raw"]), int(header["n_text"])
    if end != at + nr + nt:
        raise ValueError("truncated")
    raw = data[at:at + nr].decode("utf-8", "surrogatepass")
    text = data[at + nr:end].decode("utf-8", "surrogatepass")
    return header, raw, text


# --------------------------------------------------------------------------- tables


def write_table(key: str, table: pd.DataFrame) -> bool:
    """Store a small result table (phrases found in a corpus …) as UTF-8 CSV with its column types."""
    text = table.to_csv(index=False, lineterminator="\n").encode("utf-8", "surrogatepass")
    header = {"columns": list(map(str, table.columns)), "dtypes": [str(t) for t in table.dtypes], "rows": len(table)}
    return atomic_write(entry_path("tables", key), pack_framed("tables", header, text))


def read_table(key: str) -> pd.DataFrame | None:
    """The table cached for ``key``, or None (missing; damaged: the file is removed)."""
    return _read("tables", key, _table)


def _table(data: bytes, header: dict, at: int, end: int) -> pd.DataFrame:
    text = data[at:end].decode("utf-8", "surrogatepass")
    dtypes = dict(zip(header["columns"], header["dtypes"]))
    table = pd.read_csv(io.StringIO(text), dtype={c: ("str" if t == "object" else t) for c, t in dtypes.items()},
                        keep_default_na=False) if header["rows"] else pd.DataFrame(columns=header["columns"])
    if list(table.columns) != header["columns"] or len(table) != header["rows"]:
        raise ValueError("inconsistent table")
    return table
