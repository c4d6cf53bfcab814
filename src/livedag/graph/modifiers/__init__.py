"""Apache Hamilton's function modifiers (``@config.when``, ``@extract_fields``, ``@parameterize``...).

Statically (``static``), each modifier is modelled from source in its own small module, as Hamilton
defines it, so the editor and ``livedag check`` see the nodes Hamilton would build without importing
anything. At runtime (``runtime``), Hamilton's own expansion is the source of truth; Hamilton is
imported only for functions that carry its modifiers. Standard library only at import.
"""

from __future__ import annotations
