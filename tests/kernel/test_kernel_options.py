"""``%%dag`` / ``%dag`` argument lines."""

from __future__ import annotations

import pytest

from livedag.kernel.options import OptionsError, parse_cell_line, parse_line


@pytest.mark.parametrize(
    ("line", "run", "outputs"),
    [("", False, ()), ("--run", True, ()), ("--run a b", True, ("a", "b")), ("--cell prep", False, ())],
)
def test_cell_line(line, run, outputs):
    options = parse_cell_line(line)
    assert (options.run is not None) == run
    if run:
        assert options.run.outputs == outputs


def test_run_options():
    options = parse_cell_line("--run total --graceful --push --inputs params --timeout 2 --retries 1 --graph --force")
    run = options.run
    assert (run.graceful, run.push, run.inputs_var, run.timeout, run.retries, run.graph, run.force) == (
        True,
        True,
        "params",
        2.0,
        1,
        True,
        True,
    )
    assert parse_cell_line("--run --no-widget --threads").run.widget is False


def test_line_commands():
    assert parse_line("run a --graceful").run.outputs == ("a",)
    assert parse_line("show total --depth 2").node == "total"
    assert parse_line("nodes").command == "nodes"
    assert parse_line("reset").command == "reset"


@pytest.mark.parametrize("line", ["frobnicate", "run --timeout soon", "show 'unclosed"])
def test_bad_lines_say_what_is_accepted(line):
    with pytest.raises(OptionsError):
        parse_line(line)


@pytest.mark.parametrize(
    ("line", "outputs", "graph"),
    [
        ("--run --graph g_total", ("g_total",), True),
        ("--graph --run g_total", ("g_total",), True),
        ("--run a --graph b", ("a", "b"), True),
        ("--run total;", ("total",), False),
    ],
)
def test_options_and_outputs_in_any_order(line, outputs, graph):
    run = parse_cell_line(line).run
    assert (run.outputs, run.graph) == (outputs, graph)


def test_a_trailing_semicolon_is_not_an_output_name():
    assert parse_line("run words;").run.outputs == ("words",)
    assert parse_line("run --graph words ;").run.outputs == ("words",)


@pytest.mark.parametrize("line", ["--graph total", "--run --bogus"])
def test_outputs_without_run_and_unknown_flags_are_refused(line):
    with pytest.raises(OptionsError):
        parse_cell_line(line)
