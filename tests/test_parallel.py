"""Work spread over worker processes: results in order, and never sent back in large chunks."""

from __future__ import annotations

import pytest

from generator.pipeline.parallel import MAX_CHUNK, chunk_size, ordered_map


@pytest.mark.parametrize("items", [16, 100, 625, 5000, 100_000])
@pytest.mark.parametrize("jobs", [2, 4, 16])
def test_a_chunk_stays_small_however_large_the_library(items, jobs):
    # a worker returns a chunk's results in one message, held whole on both sides: a chunk that
    # grew with the library made the memory of a large check or build grow with it
    assert 1 <= chunk_size(items, jobs) <= MAX_CHUNK


def test_results_come_in_the_order_of_the_items_from_several_processes():
    items = list(range(-40, 0))
    assert list(ordered_map(abs, items, 2)) == [abs(i) for i in items]
