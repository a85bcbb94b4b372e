"""Words every output uses for what the profile set says of itself (no imports: a renderer
that names them costs nothing at start-up)."""

from __future__ import annotations

#: how every output labels a competency of origin "authors" (external stakeholder orientation)
AUTHORS_SUGGESTION = "suggested by the study's authors; not named by the QIMs interviewed"
