"""The Merkle tree of the audit log, after RFC 9162 (Certificate Transparency v2) §2.1: pure
functions, no database.

- A leaf's hash is ``SHA-256(0x00 || data)``, an inner node's ``SHA-256(0x01 || left || right)``
  (the prefixes keep a leaf from ever being taken for a node, RFC 9162 §2.1.1).
- The tree of ``n`` leaves splits at ``k``, the largest power of two below ``n``: the left part
  is the perfect subtree of the first ``k`` leaves, the right part the tree of the rest.
- An inclusion proof of leaf ``m`` in a tree of ``n`` leaves (§2.1.3) is the list of sibling
  hashes from the leaf up; a consistency proof between sizes ``m`` and ``n`` (§2.1.4) the
  subtree hashes that let one compute both roots from the older one.

Every function that builds a proof takes ``subtree(start, end)``, the hash of the leaves
``start..end-1``; the proofs only ever ask for ranges that start at a multiple of a power of two
that is at least their length, so a store of the *complete* (perfect) subtrees answers each in
O(log n) look-ups (:func:`range_hash`). :func:`Tree` is the in-memory form, for tests and for
``onestop audit verify``, which recomputes everything from the leaves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

__all__ = [
    "EMPTY_ROOT",
    "Tree",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "range_hash",
    "root_from_perfect",
    "split",
    "verify_consistency",
    "verify_inclusion",
]

EMPTY_ROOT = hashlib.sha256(b"").digest()  # the hash of the empty tree (RFC 9162 §2.1.1)

Subtree = Callable[[int, int], bytes]


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    """The largest power of two strictly below ``n`` (``n`` ≥ 2)."""
    if n < 2:
        raise ValueError(n)
    return 1 << ((n - 1).bit_length() - 1)


def range_hash(perfect: Callable[[int, int], bytes], start: int, end: int) -> bytes:
    """The hash of leaves ``start..end-1`` from a store of perfect subtrees: ``perfect(level,
    index)`` is the hash of leaves ``index·2^level .. (index+1)·2^level - 1``. ``start`` must be
    a multiple of the power of two that splits the range (true of every range a proof needs)."""
    size = end - start
    if size <= 0:
        raise ValueError((start, end))
    if size & (size - 1) == 0:  # a power of two: one stored node
        level = size.bit_length() - 1
        if start % size:
            raise ValueError((start, end))
        return perfect(level, start >> level)
    k = split(size)
    return node_hash(range_hash(perfect, start, start + k), range_hash(perfect, start + k, end))


def root_from_perfect(perfect: Callable[[int, int], bytes], n: int) -> bytes:
    return EMPTY_ROOT if n == 0 else range_hash(perfect, 0, n)


def inclusion_proof(subtree: Subtree, index: int, n: int) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree of ``n`` leaves, leaf-side first."""
    if not 0 <= index < n:
        raise ValueError((index, n))
    path: list[bytes] = []
    start, end = 0, n
    while end - start > 1:
        k = split(end - start)
        if index < start + k:
            path.append(subtree(start + k, end))
            end = start + k
        else:
            path.append(subtree(start, start + k))
            start += k
    path.reverse()
    return path


def consistency_proof(subtree: Subtree, m: int, n: int) -> list[bytes]:
    """The proof that the tree of ``m`` leaves is a prefix of the tree of ``n`` leaves
    (``0 < m ≤ n``; empty when ``m == n``)."""
    if not 0 < m <= n:
        raise ValueError((m, n))
    proof: list[bytes] = []
    start, end, whole = 0, n, True  # whole: no left part was stepped over yet (RFC's b)
    while True:
        if m == end - start:
            if not whole:  # the old tree's last part, which the verifier cannot compute
                proof.append(subtree(start, end))
            break
        k = split(end - start)
        if m <= k:
            proof.append(subtree(start + k, end))
            end = start + k
        else:
            proof.append(subtree(start, start + k))
            start += k
            m -= k
            whole = False
    proof.reverse()
    return proof


def verify_inclusion(index: int, n: int, leaf: bytes, path: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does ``path`` prove leaf hash ``leaf`` at ``index`` of ``root``?"""
    if not 0 <= index < n:
        return False
    fn, sn, r = index, n - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    m: int, n: int, root_m: bytes, root_n: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: does ``proof`` show the tree of ``m`` leaves with ``root_m`` is a
    prefix of the tree of ``n`` leaves with ``root_n``?"""
    if not 0 < m <= n:
        return False
    if m == n:
        return not proof and root_m == root_n
    path = list(proof)
    if m & (m - 1) == 0:  # m a power of two: the old root is itself the first node
        path.insert(0, root_m)
    if not path:
        return False
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root_m and sr == root_n


class Tree:
    """A whole tree in memory, from its leaf hashes (level 0 first)."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.levels: list[list[bytes]] = [list(leaves)]
        while len(self.levels[-1]) > 1:
            below = self.levels[-1]
            self.levels.append(
                [node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
            )

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def perfect(self, level: int, index: int) -> bytes:
        return self.levels[level][index]

    def subtree(self, start: int, end: int) -> bytes:
        return range_hash(self.perfect, start, end)

    def root(self, n: int | None = None) -> bytes:
        return root_from_perfect(self.perfect, self.size if n is None else n)

    def inclusion(self, index: int, n: int | None = None) -> list[bytes]:
        return inclusion_proof(self.subtree, index, self.size if n is None else n)

    def consistency(self, m: int, n: int | None = None) -> list[bytes]:
        return consistency_proof(self.subtree, m, self.size if n is None else n)
