"""PDF → text through pypdf's text layer, page by page (pypdf is imported lazily)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from typing import Any

from pilsearch.errors import (
    ContentTooLargeError,
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    NoTextLayerError,
)

from ._types import Extracted
from .limits import ConversionLimits, too_much

# Below this many visible characters per page on average the PDF counts as scanned.
# A real Chinese text page holds hundreds; a scan with a stamped page number holds < 10.
MIN_TEXT_CHARS_PER_PAGE = 16
# A page with fewer visible characters than this is listed in meta["pages_without_text"].
MIN_CHARS_FOR_TEXT_PAGE = 16
# Readers accept "%%EOF" anywhere in the last 1024 bytes (Acrobat's rule); a file without
# it there was cut off. Checking first gives "truncated" instead of a stream error, and does
# not rely on pypdf's lenient xref recovery failing on every producer's layout.
PDF_EOF_WINDOW_BYTES = 1024
PDF_HEADER_WINDOW_BYTES = 1024

_IDEOGRAPHIC_SPACE = "\u3000"


#: pypdf's decompression limits (each per stream) that ``max_unpacked_bytes`` replaces.
_PYPDF_OUTPUT_LIMITS = (
    "maximum_declared_stream_length",
    "array_based_stream_maximum_output_length",
    "jbig2_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "zlib_maximum_output_length",
    "brotli_maximum_output_length",
    "image_maximum_buffer_size",
)


def extract_pdf(data: bytes, name: str, limits: ConversionLimits) -> Extracted:
    """Return the text layer with pages joined by ``\\n`` (see :func:`_extract`), within
    ``limits``: at most ``max_pdf_pages`` pages (checked before any page is read), no stream
    inflating past ``max_unpacked_bytes``, at most ``max_text_chars`` characters (counted
    page by page, so extraction stops at the first page over)."""
    from pypdf import apply_configuration, get_configuration

    bound = {key: limits.max_unpacked_bytes for key in _PYPDF_OUTPUT_LIMITS}
    with apply_configuration(get_configuration().with_overwrites(**bound)):
        return _extract(data, name, limits)


def _extract(data: bytes, name: str, limits: ConversionLimits) -> Extracted:
    """Return the text layer with pages joined by ``\\n``.

    Line wraps are kept (the legal text layer unwraps them). U+3000 becomes a space
    everywhere: what pypdf returns for it depends on the producer (a space after 第X条 in
    official PDFs, DESIGN §8; U+3000 itself in reportlab's), and parsers need one form.
    An owner-password-only PDF (common for official documents that forbid copying) opens
    with the empty user password and is read; one that needs a password is refused.
    """
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, LimitReachedError, PdfReadError, PyPdfError

    if b"%PDF-" not in data[:PDF_HEADER_WINDOW_BYTES]:
        raise CorruptDocumentError(
            f"{name}：不是 PDF 文件（缺少 %PDF- 文件头）。请检查文件，或按其真实格式更改扩展名。"
        )
    if b"%%EOF" not in data[-PDF_EOF_WINDOW_BYTES:]:
        raise CorruptDocumentError(
            f"{name}：PDF 文件不完整（末尾缺少 %%EOF 标记），可能下载或导出时中断。"
            "请重新下载或导出后再添加。"
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedDocumentError(
                f"{name}：该 PDF 设有打开密码。请去除密码（打印或导出为无密码的 PDF）后再添加。"
            )
        page_count = len(reader.pages)
        if page_count > limits.max_pdf_pages:
            raise too_much(
                name,
                f"共 {page_count:,} 页，超过 {limits.max_pdf_pages:,} 页的上限",
                "PILSEARCH_MAX_PDF_PAGES",
            )
        pages = list(reader.pages)
    except (EncryptedDocumentError, ContentTooLargeError):
        raise
    except LimitReachedError as exc:
        raise _inflates_too_much(name, limits) from exc
    except DependencyError as exc:
        raise EncryptedDocumentError(
            f"{name}：该 PDF 使用 AES 加密，读取需要安装 cryptography 组件。"
            "请联系管理员安装，或导出为未加密的 PDF 后再添加。"
        ) from exc
    except (PyPdfError, PdfReadError, ValueError, KeyError, TypeError, AttributeError,
            IndexError, RecursionError) as exc:
        raise CorruptDocumentError(
            f"{name}：PDF 文件已损坏，无法读取（{type(exc).__name__}）。请重新导出后再添加。"
        ) from exc
    if not pages:
        raise EmptyDocumentError(f"{name}：该 PDF 没有任何页面，请检查文件。")

    texts: list[str] = []
    chars = 0
    for number, page in enumerate(pages, start=1):
        try:
            starts: list[tuple[float, float, str]] = []
            raw = page.extract_text(visitor_text=_line_start_visitor(starts)) or ""
            texts.append(_indent_lines(raw, starts))
        except LimitReachedError as exc:
            raise _inflates_too_much(name, limits) from exc
        except Exception as exc:  # pypdf raises many types on bad content streams
            raise CorruptDocumentError(
                f"{name}：PDF 第 {number} 页已损坏，无法读取（{type(exc).__name__}）。"
                "请重新导出 PDF 后再添加。"
            ) from exc
        chars += len(texts[-1])
        limits.check_text(name, chars)

    visible = [_visible_chars(t) for t in texts]
    if sum(visible) < MIN_TEXT_CHARS_PER_PAGE * len(pages):
        raise NoTextLayerError(
            f"{name}：该 PDF 没有文字层（扫描件，不支持 OCR 识别）。请先做 OCR 文字识别，"
            "或改用该文件的文字版（DOCX、HTML 或 TXT）。"
        )
    meta: dict[str, Any] = {"pages": len(pages)}
    empty_pages = [i for i, n in enumerate(visible, start=1) if n < MIN_CHARS_FOR_TEXT_PAGE]
    if empty_pages:
        meta["pages_without_text"] = empty_pages
    text = "\n".join(_clean_page(t) for t in texts)
    return Extracted(text=text, title=_pdf_title(reader), meta=meta)


def _inflates_too_much(name: str, limits: ConversionLimits) -> Exception:
    """pypdf stopped at one of its limits: a stream inflating past ``max_unpacked_bytes``, or
    a page tree, array or dictionary larger than any real document has."""
    return too_much(
        name,
        f"超过 PDF 解析的安全上限（数据流解压后不得超过 {limits.max_unpacked_bytes:,} 字节；"
        "疑似压缩炸弹或恶意构造的文件）",
        "PILSEARCH_MAX_UNPACKED_BYTES",
    )


# A line starting this many points right of the page's left margin is indented.
MIN_INDENT_POINTS = 2.0


def _line_start_visitor(
    starts: list[tuple[float, float, str]],
) -> Callable[[str, Any, Any, Any, Any], None]:
    """A pypdf text visitor recording (x, font size, text) of every text chunk drawn."""

    def visit(text: str, cm: Any, tm: Any, _font: Any, size: Any) -> None:
        if not text.strip():
            return
        try:
            x = float(tm[4]) * float(cm[0]) + float(tm[5]) * float(cm[2]) + float(cm[4])
            scale = abs(float(tm[0]) * float(cm[0])) or 1.0
            em = float(size) * scale if size else 0.0
        except (TypeError, ValueError, IndexError):
            return
        starts.append((x, em, text.strip()))

    return visit


def _indent_lines(text: str, starts: list[tuple[float, float, str]]) -> str:
    """Give lines drawn right of the page's left margin leading spaces (one per em).

    pypdf's plain extraction drops the horizontal position of a line, but paragraphs of
    official documents start indented by two characters while wrapped lines start at the
    margin: the legal layer uses that to tell a paragraph from a wrap. Each output line is
    matched, in order, to the drawn chunk its text starts with; a page whose lines cannot
    be matched that way is returned unchanged.
    """
    lines = text.split("\n")
    located: list[tuple[int, float, float]] = []  # (line number, x, em)
    k = 0
    for n, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        for j in range(k, len(starts)):
            x, em, chunk = starts[j]
            if stripped.startswith(chunk) or (len(stripped) >= 2 and chunk.startswith(stripped)):
                located.append((n, x, em))
                k = j + 1
                break
        else:
            return text  # a line without its chunk: give up at once (each line scans ahead)
    if not located:
        return text
    # The margin: the leftmost position at least two lines start at (one stray chunk
    # further left, a margin note or a line number, does not move it).
    counts = Counter(round(x) for _, x, _ in located)
    shared = [x for x, c in counts.items() if c >= 2] or list(counts)
    margin = min(x for _, x, _ in located if round(x) == min(shared))
    for n, x, em in located:
        offset = x - margin
        if offset >= MIN_INDENT_POINTS and em > 0:
            lines[n] = " " * max(1, round(offset / em)) + lines[n].lstrip()
    return "\n".join(lines)


def _clean_page(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return text.replace(_IDEOGRAPHIC_SPACE, " ").removesuffix("\n")


def _visible_chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _pdf_title(reader: Any) -> str | None:
    """The document-info title, when it is a real one (not a file name or a tool's default)."""
    try:
        info = reader.metadata
        title = info.title if info is not None else None
    except Exception:  # broken info dictionaries must not fail an otherwise readable PDF
        return None
    if not isinstance(title, str):
        return None
    title = title.strip()
    if not title or title.lower() in {"untitled", "无标题"} or title.lower().endswith(
        (".doc", ".docx", ".pdf", ".wps")
    ):
        return None
    return title
