"""A bounded in-memory memo (least recently used, bounded by the total size of its values)."""
from __future__ import annotations

import threading
from collections import OrderedDict

__all__ = ["MemoryCache"]


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
