"""pilsearch: search, Q&A and similar cases for procuratorial public interest litigation."""

__version__ = "0.1.0"
