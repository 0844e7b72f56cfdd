"""Cache files: one framing with a checksum, one key function, atomic writes, damaged files discarded.

Every cache file is::

    magic · header length (4 bytes) · JSON header · payload · CRC-32 of all that (4 bytes)

A reader that finds a wrong magic, a short file, an unparsable header or a
checksum that does not match raises ``ValueError``; the caller discards the
file (:func:`discard`) and recomputes. The checksum detects damage (a flipped
bit, a replaced character, a truncated or mixed-up file), not tampering:
whoever can write the cache folder can also write a matching checksum, and
the folder is the user's own. Nothing is ever unpickled.

Keys are computed by :func:`key` only: a hash of the kind of entry, its
declared format number (:data:`FORMATS`) and the parts its producer names
(texts, fingerprints of data files, version numbers of the code that made
it). Moving or renaming code never changes a key; changing what the code
produces must bump the producer's declared version.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import struct
import tempfile
import warnings
import zlib
from pathlib import Path

from ..config import cache_dir

__all__ = ["FORMATS", "DAMAGED", "key", "entry_path", "framed_parts", "pack_framed", "unpack_framed", "atomic_write", "discard",
           "read_entry", "file_digest", "warn_unwritable", "check_writable"]

#: Format number of each kind of entry, in the key and in the file's magic: bump it when the file layout changes.
FORMATS = {"segments": 4, "documents": 3, "counts": 2, "tables": 1}
#: The file suffix of each kind of entry.
_SUFFIX = {"segments": ".seg", "documents": ".doc", "counts": ".cnt", "tables": ".tsv"}
#: What parsing a damaged or foreign cache file raises.
DAMAGED = (ValueError, KeyError, TypeError, IndexError, struct.error, UnicodeDecodeError)


def key(kind: str, *parts: str | bytes) -> str:
    """The key of a cache entry: SHA-256 (hex) of its kind, its format number and each part (length-prefixed)."""
    h = hashlib.sha256(f"{kind}\0{FORMATS[kind]}\0".encode())
    for part in parts:
        b = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        h.update(b"%d\0" % len(b))
        h.update(b)
    return h.hexdigest()


def entry_path(kind: str, key_: str, root: Path | None = None) -> Path:
    """Where the entry ``key_`` of ``kind`` lives: ``<cache>/<kind>/<2 hex>/<rest>.<suffix>``."""
    return (root or cache_dir() / kind) / key_[:2] / f"{key_[2:]}{_SUFFIX[kind]}"


def _magic(kind: str) -> bytes:
    return f"A{kind[:3].upper()}{FORMATS[kind]}\n".encode()


def framed_parts(kind: str, header: dict, *payload) -> list:
    """The parts of a cache file of ``kind``, in order: magic, JSON header, payload (bytes, or any buffer such as a
    contiguous little-endian numpy array: nothing is copied) and checksum. :func:`atomic_write` writes them."""
    h = json.dumps(header, ensure_ascii=False).encode("utf-8")
    parts = [_magic(kind), struct.pack("<I", len(h)), h, *payload]
    crc = 0
    for part in parts:
        crc = zlib.crc32(part, crc)
    return [*parts, struct.pack("<I", crc)]


def pack_framed(kind: str, header: dict, *payload) -> bytes:
    """The bytes of a cache file of ``kind``: magic, JSON header, payload and checksum."""
    return b"".join(framed_parts(kind, header, *payload))


def unpack_framed(blob: bytes, kind: str) -> tuple[dict, int, int]:
    """Inverse of :func:`pack_framed`: ``(header, start, end)`` of the payload in ``blob``.

    Raises ``ValueError`` for another kind or format, a short file or a checksum mismatch.
    """
    magic = _magic(kind)
    if not blob.startswith(magic) or len(blob) < len(magic) + 8:
        raise ValueError("bad magic or short file")
    end = len(blob) - 4
    (crc,) = struct.unpack_from("<I", blob, end)
    if zlib.crc32(memoryview(blob)[:end]) != crc:
        raise ValueError("checksum mismatch")
    at = len(magic)
    (hlen,) = struct.unpack_from("<I", blob, at)
    at += 4
    if at + hlen > end:
        raise ValueError("truncated header")
    header = json.loads(blob[at:at + hlen].decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError("header is not an object")
    return header, at + hlen, end


def atomic_write(path: Path, data) -> bool:
    """Write ``data`` (bytes, or a list of parts: :func:`framed_parts`) to ``path`` through a temporary file and a
    rename; False if it failed.

    A failure (an unwritable or full cache folder) costs time, never a result;
    it is announced once per cache folder by :func:`warn_unwritable`.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        try:
            with os.fdopen(fd, "wb") as f:
                for part in ([data] if isinstance(data, (bytes, bytearray, memoryview)) else data):
                    f.write(part)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError as exc:
        warn_unwritable(exc)
        return False
    return True


_WARNED: set[str] = set()


def warn_unwritable(exc: OSError) -> None:
    """Warn, once per cache folder and process, that the cache cannot be written (never in a worker process).

    Workers leave it to the process that started them, which checks the folder
    itself (:func:`check_writable`), so one run gives one warning.
    """
    folder = str(cache_dir())
    if folder in _WARNED or mp.parent_process() is not None:
        return
    _WARNED.add(folder)
    reason = exc.strerror or type(exc).__name__
    warnings.warn(f"the cache folder {folder} cannot be written ({reason}): results are computed but not kept, so "
                  "every run recomputes them. Fix: set ANALYSIS_CACHE to a writable folder, or ANALYSIS_CACHE=off to "
                  "switch the disk cache off", UserWarning, stacklevel=2)


def check_writable() -> bool:
    """Whether a file can be created in the cache folder (a warning, once, when not: :func:`warn_unwritable`).

    Called before work goes to worker processes, which write the cache
    themselves and do not warn.
    """
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".probe-")
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        warn_unwritable(exc)
        return False
    return True


def discard(path: Path) -> None:
    """Remove a damaged cache file (it is recomputed); return None for the caller's miss."""
    try:
        path.unlink()
    except OSError:
        pass
    return None


def read_entry(path: Path) -> bytes | None:
    """The bytes of a cache file, or None when it is missing or unreadable."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def file_digest(paths) -> str:
    """Short hash of the bytes of some data files (a missing file counts as empty)."""
    h = hashlib.sha256()
    for p in paths:
        try:
            h.update(Path(p).read_bytes())
        except OSError:
            pass
        h.update(b"\0")
    return h.hexdigest()[:16]
