"""Every error pilsearch raises on purpose, in one tree.

::

    PilsearchError                  base; ``str(err)`` is a message a procurator can act on
    ├── ConfigError                 a setting is invalid (bad model path, bad URL, bad TOML)
    ├── InputError                  the caller's input is wrong; never retried
    │   ├── ConversionError         a file cannot be turned into text
    │   │   ├── UnsupportedFormatError   an extension we do not read
    │   │   ├── EmptyDocumentError       zero bytes, or no text at all
    │   │   ├── EncryptedDocumentError   a password-protected PDF
    │   │   ├── CorruptDocumentError     truncated or malformed PDF / DOCX / JSON
    │   │   ├── NoTextLayerError         a scanned PDF (OCR is not supported)
    │   │   ├── EncodingError            text that is neither UTF-8 nor GB18030
    │   │   └── FileTooLargeError        over the configured size limit
    │   │       └── ContentTooLargeError a small file whose content is over a limit once
    │   │                                unpacked: decompressed size or parts of a DOCX,
    │   │                                pages of a PDF, characters of text (a "bomb")
    │   ├── NotALegalDocumentError  text with neither articles (条) nor cases
    │   ├── NotFoundError           a document or unit id the index does not hold
    │   └── QueryError              an empty, oversized or malformed query
    │       └── UnknownFilterError  a filter name or value we do not know
    ├── ModelError                  the embedding model cannot be loaded or run
    ├── GeneratorError              the language model endpoint (llm_url) timed out, was
    │                               unreachable, or returned an unusable reply
    ├── DeadlineExceededError       the work of a request passed its time limit and was
    │                               stopped (a killed conversion child, an embedding cut short)
    ├── StoreError                  the Qdrant store failed
    │   ├── StoreLockedError        the embedded index is held by another process
    │   ├── StoreSchemaError        the collection exists with another vector layout
    │   └── StoreDamagedError       the index lost data or holds corrupt vectors (its
    │                               manifest or checks say so): reads are refused
    │                               until it is rebuilt, never answered "no results"
    └── InternalError               an unexpected failure (a bug); ``__cause__`` is the original

API handlers map ``InputError`` to 4xx and everything else to 5xx, always as JSON with a
``code`` (the class name) and the message; no stack trace reaches a client. The table is
``pilsearch.api.errors.STATUS_BY_ERROR``.
"""

from __future__ import annotations


class PilsearchError(Exception):
    """Base of every deliberate pilsearch error."""

    @property
    def code(self) -> str:
        return type(self).__name__


class ConfigError(PilsearchError):
    pass


class InputError(PilsearchError):
    pass


class ConversionError(InputError):
    pass


class UnsupportedFormatError(ConversionError):
    pass


class EmptyDocumentError(ConversionError):
    pass


class EncryptedDocumentError(ConversionError):
    pass


class CorruptDocumentError(ConversionError):
    pass


class NoTextLayerError(ConversionError):
    pass


class EncodingError(ConversionError):
    pass


class FileTooLargeError(ConversionError):
    pass


class ContentTooLargeError(FileTooLargeError):
    pass


class NotALegalDocumentError(InputError):
    pass


class NotFoundError(InputError):
    pass


class QueryError(InputError):
    pass


class UnknownFilterError(QueryError):
    pass


class ModelError(PilsearchError):
    pass


class GeneratorError(PilsearchError):
    pass


class DeadlineExceededError(PilsearchError):
    pass


class StoreError(PilsearchError):
    pass


class StoreLockedError(StoreError):
    pass


class StoreSchemaError(StoreError):
    pass


class StoreDamagedError(StoreError):
    pass


class InternalError(PilsearchError):
    pass


__all__ = [
    "ConfigError",
    "ContentTooLargeError",
    "ConversionError",
    "CorruptDocumentError",
    "DeadlineExceededError",
    "EmptyDocumentError",
    "EncodingError",
    "EncryptedDocumentError",
    "FileTooLargeError",
    "GeneratorError",
    "InputError",
    "InternalError",
    "ModelError",
    "NoTextLayerError",
    "NotALegalDocumentError",
    "NotFoundError",
    "PilsearchError",
    "QueryError",
    "StoreDamagedError",
    "StoreError",
    "StoreLockedError",
    "StoreSchemaError",
    "UnknownFilterError",
    "UnsupportedFormatError",
]
