"""The embedder plumbing: the turn-scoped sharing of query vectors, clipping, normalising; and the real USE model."""

from __future__ import annotations

import numpy as np
import pytest

from wegwijzer.backends.embedders import BaseEmbedder, USEEmbedder, one_turn


class CountingEmbedder(BaseEmbedder):
    """A tiny deterministic embedder that counts the texts it was asked to encode."""

    name = "counting"
    dim = 4

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        self.encoded += texts
        return np.array([[len(t), t.count("a") + 1, 1.0, float(is_query)] for t in texts])


def test_within_one_turn_each_text_is_embedded_once() -> None:
    emb = CountingEmbedder()
    with one_turn():
        first = emb.embed_queries(["hij slaat mij", "wat kan ik doen"])
        again = emb.embed_queries(["hij slaat mij"])
    assert emb.encoded == ["hij slaat mij", "wat kan ik doen"]
    np.testing.assert_array_equal(first[0], again[0])


def test_nothing_is_remembered_outside_a_turn() -> None:
    emb = CountingEmbedder()
    with one_turn():
        emb.embed_queries(["ik ben bang"])
    emb.embed_queries(["ik ben bang"])
    with one_turn():
        emb.embed_queries(["ik ben bang"])
    assert emb.encoded == ["ik ben bang"] * 3


def test_passages_are_never_taken_from_the_turn() -> None:
    emb = CountingEmbedder()
    with one_turn():
        q = emb.embed_queries(["huisverbod"])
        p = emb.embed_passages(["huisverbod"])
    assert emb.encoded == ["huisverbod", "huisverbod"]
    assert q[0][3] > 0 and p[0][3] == 0


def test_vectors_are_unit_length_and_long_text_is_clipped() -> None:
    emb = CountingEmbedder()
    vecs = emb.embed_queries(["a" * 5000, "kort"])
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-6)
    assert len(emb.encoded[0].encode()) <= emb.max_bytes + 8


def test_empty_input_gives_an_empty_matrix() -> None:
    assert CountingEmbedder().embed_queries([]).shape == (0, 4)
    with one_turn():
        assert CountingEmbedder().embed_queries([]).shape == (0, 4)


@pytest.fixture(scope="module")
def use() -> USEEmbedder:
    return USEEmbedder(threads=1)


def test_use_places_a_paraphrase_nearer_than_another_topic(use: USEEmbedder) -> None:
    a, b, c = use.embed_queries(["mijn vriend leest al mijn berichten", "hij controleert mijn telefoon",
                                 "hoe lang duurt een huisverbod"])
    assert float(a @ b) > float(a @ c)
