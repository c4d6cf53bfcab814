"""``%dag config`` in a real kernel: Hamilton's config chooses the ``@config.when`` variant the notebook runs;
the parser takes the JSON as written."""

from __future__ import annotations

import pytest
from kernel_notebook import errors, plain, stream

from livedag.kernel.options import OptionsError, parse_line

FAMILY_CELL = """%%dag
from hamilton.function_modifiers import config, extract_fields

@config.when(kind="pdf")
def raw_text__pdf() -> str:
    return "from a pdf"

@config.when(kind="txt")
def raw_text__txt() -> str:
    return "from a txt"

@extract_fields({"words": int})
def counts(raw_text: str) -> dict:
    return {"words": len(raw_text.split())}
"""


def test_the_config_line_is_parsed_as_json() -> None:
    command = parse_line('config {"kind": "pdf", "n": 2}')
    assert (command.command, command.config, command.config_given) == ("config", {"kind": "pdf", "n": 2}, True)
    assert parse_line("config none").config_given
    assert parse_line('config {"a": 1}  # a comment').config == {"a": 1}
    assert not parse_line("config").config_given
    with pytest.raises(OptionsError, match="not valid JSON"):
        parse_line("config {kind: pdf}")
    with pytest.raises(OptionsError, match="expected a JSON object"):
        parse_line("config [1]")


def test_the_config_chooses_the_variant_that_runs(notebook) -> None:
    assert not errors(notebook.run(FAMILY_CELL, "cell-a"))
    shown = notebook.run('%dag config {"kind": "txt"}', "cell-b")
    assert 'config = {"kind": "txt"}' in stream(shown)
    ran = notebook.run("%dag run words raw_text --no-widget", "cell-c")
    assert not errors(ran), plain(ran)
    assert notebook.value("livedag.kernel.last_run().values['raw_text']") == "from a txt"
    notebook.run('%dag config {"kind": "pdf"}', "cell-d")
    notebook.run("%dag run words raw_text --no-widget", "cell-e")
    assert notebook.value("livedag.kernel.last_run().values['raw_text']") == "from a pdf"
    assert notebook.value("livedag.kernel.last_run().values['words']") == 3
