"""jieba.posseg's part-of-speech HMM, with an exact and sparser Viterbi search.

``jieba.posseg`` re-segments and tags runs of characters that are not
dictionary words with a 256-state HMM. :class:`PosHMM` holds the same tables
(read from jieba's files without importing ``jieba.posseg``) and finds the
same most probable states with jieba's floating-point operations and
tie-breaking, one string at a time (:meth:`PosHMM.viterbi`) or many at once
(:meth:`PosHMM.viterbi_many`). Used by the fast backend (:mod:`.fast`).
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from ..lexicon import jieba_folder
from ..text import JIEBA_HAN

__all__ = ["PosHMM", "Fallback", "pos_hmm", "posseg_tables", "HAN_DETAIL_RE"]

# jieba.posseg's detail patterns (HMM part)
HAN_DETAIL_RE = re.compile(f"([{JIEBA_HAN}]+)")
_SKIP_DETAIL_RE = re.compile(r"([\.0-9]+|[a-zA-Z0-9]+)")
_NUM_RE = re.compile(r"[\.0-9]+")
_ENG_RE = re.compile(r"[a-zA-Z0-9]+")

_MIN_FLOAT = -3.14e100
#: batches of the HMM search by the widest character's number of states (see PosHMM.viterbi_many)
_WIDTH_BUCKETS = (8, 12, 16, 24, 32, 48)
_NEG_INF = float("-inf")
_EMPTY: dict = {}


class PosHMM:
    """jieba.posseg's part-of-speech HMM with an exact, sparser Viterbi search."""

    def __init__(self):
        char_state_tab_P, start_P, trans_P, emit_P = posseg_tables()
        states = sorted(trans_P)  # tuple order = jieba's tie-break order
        idx = {s: i for i, s in enumerate(states)}
        self.states = states
        self.n = n = len(states)
        self.start = np.array([start_P[s] for s in states])
        self.trans = np.full((n, n), _NEG_INF)
        for s, table in trans_P.items():
            for y, p in table.items():
                self.trans[idx[s], idx[y]] = p
        self.all_idx = np.arange(n)
        self.char_idx = {c: np.array(sorted(idx[s] for s in v)) for c, v in char_state_tab_P.items()}
        self.emit_by_char: dict[str, dict[int, float]] = {}
        for s, table in emit_P.items():
            for ch, p in table.items():
                self.emit_by_char.setdefault(ch, {})[idx[s]] = p
        self._emit_rows: dict[str, np.ndarray] = {}
        self._padded = None
        self._width = None

    def _emission(self, c: str):
        row = self._emit_rows.get(c)
        if row is None:
            row = np.full(self.n, _MIN_FLOAT)
            for y, p in self.emit_by_char.get(c, _EMPTY).items():
                row[y] = p
            self._emit_rows[c] = row
        return row

    def viterbi(self, obs: str) -> list[tuple[str, str]]:
        """Most probable state of each character; same result as ``jieba.posseg.viterbi``.

        Vectorised over the (previous state, state) pairs allowed for each
        character, with jieba's floating-point operations in jieba's order
        (``(V + trans) + emit``), a missing transition counting as -inf, and
        ties going to the larger previous state as with jieba's ``max`` over
        ``(probability, state)`` tuples.
        """
        c = obs[0]
        cur = self.char_idx.get(c, self.all_idx)
        V = self.start[cur] + self._emission(c)[cur]
        back = []
        for c in obs[1:]:
            e = self._emission(c)
            obs_states = self.char_idx.get(c)
            for candidates in (obs_states, self.all_idx):
                if candidates is None:
                    continue
                vals = (V[:, None] + self.trans[cur[:, None], candidates[None, :]]) + e[candidates][None, :]
                pick = len(cur) - 1 - vals[::-1].argmax(axis=0)  # last maximum: the larger previous state
                best = vals[pick, np.arange(len(candidates))]
                keep = best > _NEG_INF  # states some previous state can reach
                if keep.any():
                    break
            else:  # no previous state has a successor: jieba itself fails here
                raise Fallback
            back.append((cur, pick[keep]))
            cur = candidates[keep]
            V = best[keep]
        i = len(V) - 1 - int(V[::-1].argmax())  # max over (probability, state): ties to the larger state
        route = [0] * len(obs)
        route[-1] = int(cur[i])
        for t in range(len(obs) - 2, -1, -1):
            prev_states, ptr = back[t]
            i = int(ptr[i])
            route[t] = int(prev_states[i])
        return [self.states[s] for s in route]

    def tables(self):
        """Padded per-character state lists and emissions for :meth:`viterbi_many`."""
        if self._padded is None:
            chars = sorted(self.char_idx)
            K = max(len(v) for v in self.char_idx.values())
            D = self.n  # a dummy state: probability 0 everywhere
            states = np.full((len(chars), K), D, dtype=np.int64)
            emis = np.full((len(chars), K), _NEG_INF)
            for i, c in enumerate(chars):
                idx = self.char_idx[c][::-1]  # larger states first: the first maximum breaks ties as jieba does
                states[i, :len(idx)] = idx
                emis[i, :len(idx)] = self._emission(c)[idx]
            trans = np.full((self.n + 1, self.n + 1), _NEG_INF)
            trans[:self.n, :self.n] = self.trans
            start = np.append(self.start, _NEG_INF)
            self._padded = ({c: i for i, c in enumerate(chars)}, states, emis, trans, start, K)
        return self._padded

    def viterbi_many(self, seqs: list[str]) -> dict[str, list[tuple[str, str]]]:
        """:meth:`viterbi` of many strings at once, one numpy step per character position.

        Each character's states are listed largest first, so numpy's first
        maximum is jieba's tie-break (the larger state), and padded to the
        widest character's of the batch with a dummy state of probability 0
        after the real ones. Strings are batched by their widest character
        (:data:`_WIDTH_BUCKETS`): the work per position grows with the square
        of the width, and most strings have only narrow characters. Strings with a character the
        HMM does not know, or whose characters cannot follow each other (where
        jieba widens the allowed states), go through :meth:`viterbi`.
        """
        char_id, states, emis, trans, start, K = self.tables()
        out: dict[str, list[tuple[str, str]]] = {}
        batch = []
        for s in seqs:
            if all(c in char_id for c in s):
                batch.append(s)
            else:
                try:
                    out[s] = self.viterbi(s)
                except Fallback:  # left out: the caller falls back to the reference
                    pass
        if not batch:
            return out
        # strings of narrow characters go together: the work per position grows with
        # the square of the widest character's state count in the batch
        width = self.widths()
        buckets: dict[int, list[str]] = {}
        for s in batch:
            w = max(map(width.__getitem__, s))
            buckets.setdefault(next(b for b in _WIDTH_BUCKETS if b >= w) if w <= _WIDTH_BUCKETS[-1] else K, []).append(s)
        for k, strings in sorted(buckets.items()):
            self._viterbi_batch(strings, k, out)
        return out

    def widths(self) -> dict[str, int]:
        if self._width is None:
            self._width = {c: len(v) for c, v in self.char_idx.items()}
        return self._width

    def _viterbi_batch(self, batch: list[str], k: int, out: dict) -> None:
        """The batched Viterbi search over strings whose characters have at most ``k`` states."""
        char_id, states, emis, trans, start, _ = self.tables()
        K = k
        states, emis = states[:, :K], emis[:, :K]  # the columns cut off are padding only
        batch.sort(key=len, reverse=True)
        B = len(batch)
        lens = np.fromiter(map(len, batch), dtype=np.int64, count=B)
        L = int(lens[0])
        rows = np.repeat(np.arange(B), lens)
        starts = np.cumsum(lens) - lens
        cols = np.arange(int(lens.sum())) - np.repeat(starts, lens)
        ids = np.zeros((B, L), dtype=np.int64)
        ids[rows, cols] = [char_id[c] for s in batch for c in s]
        cur = states[ids[:, 0]].copy()
        V = start[cur] + emis[ids[:, 0]]
        curs, picks = [cur.copy()], []
        ok = np.ones(B, dtype=bool)
        trans_flat, width = trans.ravel(), trans.shape[1]
        going = np.searchsorted(-lens, -np.arange(L), side="left")  # strings longer than t: the first going[t]
        for t in range(1, L):
            n = int(going[t])
            cand = states[ids[:n, t]]
            # (V + trans) + emit, as jieba adds them (trans + V is the same number: addition commutes)
            # vals[string, state, previous state]: the reduction runs along the last, contiguous axis
            vals = trans_flat.take(cur[:n, None, :] * width + cand[:, :, None])
            vals += V[:n, None, :]
            vals += emis[ids[:n, t]][:, :, None]
            pick = vals.argmax(axis=2)  # first maximum: the larger previous state (states are in descending order)
            best = np.take_along_axis(vals, pick[:, :, None], axis=2)[:, :, 0]
            keep = best > _NEG_INF
            ok[:n] &= keep.any(axis=1)
            cur[:n] = np.where(keep, cand, self.n)
            V[:n] = np.where(keep, best, _NEG_INF)
            curs.append(cur[:n].copy())
            picks.append(pick)
        # backtrack all strings at once, each from its own last position
        i = V.argmax(axis=1)  # ties: the larger state, as max over (prob, state)
        route = np.zeros((B, L), dtype=np.int64)
        for t in range(L - 1, -1, -1):
            n = int(going[t])
            r = np.arange(n)
            route[:n, t] = curs[t][r, i[:n]]
            if t:
                i[:n] = picks[t - 1][r, i[:n]]
        names = self.states
        for b, (s, rt) in enumerate(zip(batch, route.tolist())):
            if ok[b]:
                out[s] = [names[y] for y in rt[:len(s)]]
            else:
                try:
                    out[s] = self.viterbi(s)
                except Fallback:
                    pass

    def cut(self, sentence: str, routes: dict | None = None) -> list[tuple[str, str]]:
        """jieba.posseg's ``__cut``: words and tags from the Viterbi states."""
        pos_list = routes[sentence] if routes and sentence in routes else self.viterbi(sentence)
        out = []
        begin = nexti = 0
        for i, char in enumerate(sentence):
            bmes = pos_list[i][0]
            if bmes == "B":
                begin = i
            elif bmes == "E":
                out.append((sentence[begin:i + 1], pos_list[i][1]))
                nexti = i + 1
            elif bmes == "S":
                out.append((char, pos_list[i][1]))
                nexti = i + 1
        if nexti < len(sentence):
            out.append((sentence[nexti:], pos_list[nexti][1]))
        return out

    def cut_detail(self, sentence: str, routes: dict | None = None) -> list[tuple[str, str]]:
        """jieba.posseg's ``__cut_detail`` for a run of unknown characters."""
        out = []
        for blk in HAN_DETAIL_RE.split(sentence):
            if HAN_DETAIL_RE.match(blk):
                out.extend(self.cut(blk, routes))
            else:
                for x in _SKIP_DETAIL_RE.split(blk):
                    if x:
                        if _NUM_RE.match(x):
                            out.append((x, "m"))
                        elif _ENG_RE.match(x):
                            out.append((x, "eng"))
                        else:
                            out.append((x, "x"))
        return out


def posseg_tables():
    """jieba.posseg's HMM tables, read without importing ``jieba.posseg``.

    Importing it builds a default POSTokenizer, which parses jieba's whole
    dictionary (seconds) for nothing.
    """
    import importlib.util

    folder = jieba_folder() / "posseg"
    tables = []
    for name in ("char_state_tab", "prob_start", "prob_trans", "prob_emit"):
        spec = importlib.util.spec_from_file_location(f"_analysis_posseg_{name}", folder / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        tables.append(mod.P)
    return tuple(tables)


class Fallback(Exception):
    """This piece must be segmented by the reference backend."""


@lru_cache(maxsize=1)
def pos_hmm() -> PosHMM:
    return PosHMM()
