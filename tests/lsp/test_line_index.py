"""A document's line index after an edit is the index of the whole new text, though only the lines the edit
touched are indexed again (hypothesis, over every line end the line model knows)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from livedag.lsp.positions import LineIndex

PIECES = ["a", "bc", "\n", "\r\n", "\r", "é", "🎉", "xyz\n"]
texts = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


@given(text=texts, inserted=texts, data=st.data())
def test_a_spliced_index_is_the_index_of_the_new_text(text: str, inserted: str, data: st.DataObject):
    index = LineIndex.of(text)
    first = data.draw(st.integers(0, len(index.lines) - 1))
    last = data.draw(st.integers(first, len(index.lines) - 1))
    begin = index.offset(first, data.draw(st.integers(0, 6)))
    end = max(begin, index.offset(last, data.draw(st.integers(0, 6))))
    new = text[:begin] + inserted + text[end:]
    assert index.spliced(new, first - 1, last + 1, len(inserted) - (end - begin)) == LineIndex.of(new)
