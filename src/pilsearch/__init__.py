"""pilsearch: search, Q&A and similar cases for procuratorial public interest litigation."""

import os

# Haystack reports every pipeline run to PostHog unless told not to; pilsearch runs offline.
os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

__version__ = "0.1.0"
