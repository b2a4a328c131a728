"""The same ISO dates in English as in Swedish (see finsam/formats/sv/formats.py)."""

from finsam.formats.sv.formats import *  # noqa: F403
