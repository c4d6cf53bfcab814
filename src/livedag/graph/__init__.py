"""The function graph: node specs from live functions or source text, one builder, one validation.

Standard library only; nothing here imports the execution, render, lsp or kernel packages.
"""

from __future__ import annotations

from livedag.graph.model import ExternalInput, Graph, UnknownNodeError
from livedag.graph.options import node
from livedag.graph.problems import Problem, ProblemCode, RelatedSpan, Severity
from livedag.graph.spec import DecoratorSpec, NodeKind, NodeSpec, ParamKind, ParamSpec, Span
from livedag.graph.topology import CycleError
from livedag.graph.types import TypeRef, accepts

__all__ = [
    "CycleError",
    "DecoratorSpec",
    "ExternalInput",
    "Graph",
    "NodeKind",
    "NodeSpec",
    "ParamKind",
    "ParamSpec",
    "Problem",
    "ProblemCode",
    "RelatedSpan",
    "Severity",
    "Span",
    "TypeRef",
    "UnknownNodeError",
    "accepts",
    "node",
]
