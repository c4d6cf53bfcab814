"""Batching what user code prints: a flood keeps its first and last lines and says how many it dropped."""

from __future__ import annotations

from livedag.lsp.run.logs import LogBatch


def test_a_small_batch_is_every_line_in_order():
    batch = LogBatch()
    assert not batch
    for line in ("one", "two", "three"):
        batch.add(line)
    assert batch
    assert batch.take() == "one\ntwo\nthree"
    assert not batch
    assert batch.take() == ""


def test_a_flood_keeps_its_head_and_tail():
    batch = LogBatch(head=2, tail=3)
    for number in range(1, 101):
        batch.add(str(number))
    assert batch.take().splitlines() == ["1", "2", "… 95 more lines not shown …", "98", "99", "100"]
    batch.add("next")
    assert batch.take() == "next"
