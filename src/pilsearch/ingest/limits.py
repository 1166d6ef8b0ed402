"""What one converted file may cost: the limits every converter checks before it parses.

A file's size says little about its content: a 4 MB DOCX can unpack to 1 GB, a 1 MB PDF can
hold thousands of pages or a stream that inflates to gigabytes. The converters therefore
check the *content* against these limits, as early as the format allows (a zip's end record
before its directory, every part while decompressing it, a PDF's page count before any page
is read) and refuse with :class:`~pilsearch.errors.ContentTooLargeError` (HTTP 413).

The values come from :class:`~pilsearch.settings.Settings` (``max_text_chars``,
``max_unpacked_bytes``, ``max_markup_bytes``, ``max_archive_members``, ``max_pdf_pages``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pilsearch.errors import ContentTooLargeError
from pilsearch.settings import Settings, get_settings


@dataclass(frozen=True, slots=True)
class ConversionLimits:
    max_text_chars: int
    max_unpacked_bytes: int
    max_markup_bytes: int
    max_archive_members: int
    max_pdf_pages: int

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ConversionLimits:
        s = settings or get_settings()
        return cls(
            max_text_chars=s.max_text_chars,
            max_unpacked_bytes=s.max_unpacked_bytes,
            max_markup_bytes=s.max_markup_bytes,
            max_archive_members=s.max_archive_members,
            max_pdf_pages=s.max_pdf_pages,
        )

    def check_text(self, name: str, chars: int) -> None:
        if chars > self.max_text_chars:
            raise too_much(
                name,
                f"文字超过 {self.max_text_chars:,} 字的上限",
                "PILSEARCH_MAX_TEXT_CHARS",
            )


def too_much(name: str, what: str, setting: str) -> ContentTooLargeError:
    """The one wording of every content limit: what was over, and what to do (split the
    file; the operator may raise ``setting``, named for them)."""
    return ContentTooLargeError(
        f"{name}：{what}，未读取。请拆分文件后再添加（该上限由管理员通过 {setting} 设置）。"
    )


__all__ = ["ConversionLimits", "too_much"]
