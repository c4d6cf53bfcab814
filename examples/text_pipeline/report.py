"""The report: everything above, as Markdown."""

from __future__ import annotations


def report(
    headline: str,
    document_count: int,
    document_lengths: dict[str, int],
    top_terms: list[tuple[str, int]],
    mean_sentence_length: float,
    summaries: dict[str, str],
) -> str:
    lines = [f"# {headline}", "", f"{document_count} documents, {mean_sentence_length:.1f} words per sentence.", ""]
    lines += ["| document | words | summary |", "|---|---|---|"]
    lines += [f"| {doc_id} | {document_lengths[doc_id]} | {summaries[doc_id]} |" for doc_id in sorted(summaries)]
    lines += ["", "Top terms: " + ", ".join(f"{term} ({count})" for term, count in top_terms)]
    return "\n".join(lines) + "\n"
