"""Property tests of the Merkle log's proofs (app/audit/merkle.py, RFC 9162 §2.1)."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from app.audit.merkle import (
    EMPTY_ROOT,
    Tree,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)

leaves = st.lists(st.binary(max_size=8), min_size=1, max_size=70)


def tree_of(data: list[bytes]) -> Tree:
    return Tree([leaf_hash(d) for d in data])


def naive_root(hashes: list[bytes]) -> bytes:
    """RFC 9162's recursive definition, written out directly."""
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node_hash(naive_root(hashes[:k]), naive_root(hashes[k:]))


def test_known_values() -> None:
    # Worked by hand: one leaf "a": SHA-256(00 61); two leaves: SHA-256(01 || h(a) || h(b)).
    a = hashlib.sha256(b"\x00a").digest()
    b = hashlib.sha256(b"\x00b").digest()
    assert tree_of([b"a"]).root() == a
    assert tree_of([b"a", b"b"]).root() == hashlib.sha256(b"\x01" + a + b).digest()
    # Three leaves split 2 + 1: root = H(01 || H(01||a||b) || c).
    c = hashlib.sha256(b"\x00c").digest()
    ab = hashlib.sha256(b"\x01" + a + b).digest()
    assert tree_of([b"a", b"b", b"c"]).root() == hashlib.sha256(b"\x01" + ab + c).digest()
    assert EMPTY_ROOT.hex() == ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


@given(leaves)
def test_root_matches_the_recursive_definition(data: list[bytes]) -> None:
    tree = tree_of(data)
    hashes = [leaf_hash(d) for d in data]
    for n in range(1, len(data) + 1):
        assert tree.root(n) == naive_root(hashes[:n])


@given(leaves, st.data())
def test_inclusion_verifies_and_fails_for_an_altered_leaf(
    data: list[bytes], draw: st.DataObject
) -> None:
    tree = tree_of(data)
    n = draw.draw(st.integers(1, len(data)), label="size")
    i = draw.draw(st.integers(0, n - 1), label="index")
    root, path = tree.root(n), tree.inclusion(i, n)
    assert verify_inclusion(i, n, leaf_hash(data[i]), path, root)
    # Any other leaf content at that index fails.
    assert not verify_inclusion(i, n, leaf_hash(data[i] + b"x"), path, root)
    # The same leaf claimed at another index fails, unless it is the same content there.
    for j in range(n):
        if j != i and data[j] != data[i]:
            assert not verify_inclusion(j, n, leaf_hash(data[i]), path, root)
    # Against the root of a truncated or extended tree it fails.
    if n > 1:
        assert not verify_inclusion(i, n - 1, leaf_hash(data[i]), path, tree.root(n - 1)) or (
            i < n - 1 and tree.inclusion(i, n - 1) == path
        )
    # Any altered sibling hash fails.
    for k in range(len(path)):
        bad = list(path)
        bad[k] = bytes(32)
        assert not verify_inclusion(i, n, leaf_hash(data[i]), bad, root)


@given(leaves, st.data())
def test_reordered_leaves_change_the_root(data: list[bytes], draw: st.DataObject) -> None:
    if len(set(data)) < 2:
        return
    i = draw.draw(st.integers(0, len(data) - 1))
    j = draw.draw(st.integers(0, len(data) - 1).filter(lambda j: data[j] != data[i]))
    swapped = list(data)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    tree = tree_of(data)
    assert tree_of(swapped).root() != tree.root()
    # And the original leaf's proof no longer verifies against the reordered tree's root.
    assert not verify_inclusion(
        i, len(data), leaf_hash(data[i]), tree.inclusion(i), tree_of(swapped).root()
    )


@given(leaves, st.data())
def test_consistency_verifies_and_fails_for_any_change(
    data: list[bytes], draw: st.DataObject
) -> None:
    tree = tree_of(data)
    n = draw.draw(st.integers(1, len(data)), label="n")
    m = draw.draw(st.integers(1, n), label="m")
    proof = tree.consistency(m, n)
    assert verify_consistency(m, n, tree.root(m), tree.root(n), proof)
    # Altering any leaf of the old part gives an old root the proof does not connect.
    k = draw.draw(st.integers(0, m - 1), label="altered")
    altered = list(data)
    altered[k] = data[k] + b"x"
    assert not verify_consistency(m, n, tree_of(altered).root(m), tree.root(n), proof)
    # A new tree whose old part was rewritten (same size) is not consistent.
    assert not verify_consistency(m, n, tree.root(m), tree_of(altered).root(n), proof)
    # Wrong sizes: claiming the old head had one leaf fewer or more fails.
    if m > 1:
        assert not verify_consistency(m - 1, n, tree.root(m), tree.root(n), proof)
    if m < n:
        assert not verify_consistency(m, n, tree.root(m), tree.root(m), proof)
        # An altered proof element fails.
        for x in range(len(proof)):
            bad = list(proof)
            bad[x] = bytes(32)
            assert not verify_consistency(m, n, tree.root(m), tree.root(n), bad)


@given(leaves)
def test_truncated_tree_is_not_consistent_with_its_own_extension(data: list[bytes]) -> None:
    """A log that dropped its tail and grew again differently cannot prove consistency with a
    head anchored before the truncation."""
    if len(data) < 2:
        return
    tree = tree_of(data)
    n = len(data)
    rewritten = tree_of([*data[: n - 1], data[-1] + b"y", b"z"])
    assert not verify_consistency(n, n + 1, tree.root(), rewritten.root(), rewritten.consistency(n))
