"""The worker process runs a module with Hamilton's modifiers under the graph's Hamilton config."""

from __future__ import annotations

from worker_testing import final

FAMILY = """
    from hamilton.function_modifiers import config, extract_fields

    @config.when(kind="a")
    def text__a() -> str:
        return "from a"

    @config.when(kind="b")
    def text__b() -> str:
        return "from b"

    @extract_fields({"size": int})
    def measured(text: str, kind: str) -> dict:
        return {"size": len(text + kind)}
    """


def test_the_config_chooses_the_variant_and_is_an_input(worker, write, tmp_path):
    path = write("family.py", FAMILY)
    for kind, expected in (("a", "'from a'"), ("b", "'from b'")):
        messages = worker.run(tmp_path, [path], inputs={}, config={"kind": kind}, run=f"r-{kind}")
        assert final(messages, "text")["preview"] == expected
        assert final(messages, "size")["preview"] == "7"
        assert messages[-1]["ok"] is True
