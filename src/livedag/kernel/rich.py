"""Rich views of node values for the results table: what Jupyter would show for the value itself.

``rich_html(value)`` asks IPython's display formatter (so ``_repr_mimebundle_``, ``_repr_html_``,
``_repr_png_``, ``_repr_svg_``... and formatters registered for a type, like matplotlib's inline
backend, all count) and returns the richest of it as an HTML fragment: images inline as data URLs.
A matplotlib figure with no formatter registered is rendered to PNG itself. DataFrame-like values keep
their head view in the table (``preview.table_head``), so they get none here. Never raises: a value
whose formatter fails simply has no rich view.
"""

from __future__ import annotations

import base64
import html
import io
from typing import Any

__all__ = ["rich_bundle", "rich_html"]

_LIMIT = 2_000_000
"""Characters of HTML (a 1.5 MB image) beyond which the table keeps only the short preview."""
_PLAIN = (int, float, complex, str, bytes, bool, type(None), list, tuple, dict, set, frozenset)


def _bundle(value: Any) -> dict[str, Any]:
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return {}
    data, _ = shell.display_formatter.format(value)
    return dict(data)


def _figure_png(value: Any) -> bytes | None:
    """A matplotlib figure (duck typed: ``savefig`` and ``canvas``) as PNG."""
    if not (callable(getattr(value, "savefig", None)) and hasattr(value, "canvas")):
        return None
    buffer = io.BytesIO()
    value.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def _image(mime: str, data: Any) -> str:
    encoded = data if isinstance(data, str) else base64.b64encode(data).decode()
    return f'<img src="data:{mime};base64,{encoded}" style="max-width:480px">'


def rich_bundle(value: Any) -> dict[str, Any]:
    """The MIME bundle Jupyter shows for ``value`` (with a PNG for a matplotlib figure), for ``display``."""
    bundle = _bundle(value)
    if not any(mime.startswith("image/") for mime in bundle) and (png := _figure_png(value)) is not None:
        bundle["image/png"] = base64.b64encode(png).decode()
    return bundle


def rich_html(value: Any) -> str | None:
    """An HTML fragment showing ``value`` richly, or None when its text preview says it all."""
    if type(value) in _PLAIN:
        return None
    try:
        bundle = rich_bundle(value)
        markup = None
        for mime in ("image/png", "image/jpeg", "image/gif"):
            if mime in bundle:
                markup = _image(mime, bundle[mime])
                break
        else:
            if "image/svg+xml" in bundle:
                markup = str(bundle["image/svg+xml"])
            elif "text/html" in bundle:
                markup = str(bundle["text/html"])
            elif "text/markdown" in bundle or "text/latex" in bundle:
                markup = f"<pre>{html.escape(str(bundle.get('text/markdown') or bundle['text/latex']))}</pre>"
    except Exception:  # noqa: BLE001 - a failing formatter means no rich view, never a failed run
        return None
    if markup is None or len(markup) > _LIMIT:
        return None
    return markup
