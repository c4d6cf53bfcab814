"""Summaries from a language model, served here by a local stub client (no network, deterministic).

`summaries` is an async node: each document's request is awaited concurrently. `headline_tokens` is
an async streaming node: it yields the tokens of a corpus headline as the "model" produces them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import livedag


class StubLLMClient:
    """Stands in for an LLM API: answers after `latency` seconds with the first words of the prompt's text."""

    def __init__(self, latency: float) -> None:
        self.latency = latency

    async def complete(self, prompt: str, max_words: int = 12) -> str:
        await asyncio.sleep(self.latency)  # the stub's simulated network round trip
        words = prompt.split(":", 1)[-1].split()
        return " ".join(words[:max_words]) + ("..." if len(words) > max_words else "")

    async def stream(self, prompt: str, max_words: int = 8) -> AsyncIterator[str]:
        for word in (await self.complete(prompt, max_words)).split():
            await asyncio.sleep(self.latency / 4)
            yield word


def llm_client(llm_latency_seconds: float = 0.05) -> StubLLMClient:
    return StubLLMClient(llm_latency_seconds)


@livedag.node(timeout=10.0, retries=1)
async def summaries(clean_documents: dict[str, str], llm_client: StubLLMClient) -> dict[str, str]:
    """One summary per document, requested concurrently."""
    doc_ids = list(clean_documents)
    answers = await asyncio.gather(
        *(llm_client.complete(f"Summarise: {clean_documents[doc_id]}") for doc_id in doc_ids)
    )
    return dict(zip(doc_ids, answers, strict=True))


async def headline_tokens(summaries: dict[str, str], llm_client: StubLLMClient) -> AsyncIterator[str]:
    """Streams a headline for the whole corpus, token by token."""
    prompt = "Headline: " + " ".join(summary.split()[0] for summary in summaries.values() if summary)
    async for token in llm_client.stream(prompt):
        yield token


def headline(headline_tokens: list[str]) -> str:
    return " ".join(headline_tokens).capitalize()
