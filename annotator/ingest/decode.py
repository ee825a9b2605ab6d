"""Bytes to text: byte-order marks, strict UTF-8, then a detector limited to the encodings news text
actually arrives in. Never raises anything but InputError.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from annotator import errors

# Tried in this order after UTF-8. Restricting the detector matters: left free, charset-normalizer
# reads short French latin-1 text as cp1250 ("à" becomes "ŕ"); Central European text is rare enough
# in this project that cp1250 is left out rather than risk that.
LEGACY_ENCODINGS = ["cp1252", "cp1251", "latin_1", "koi8_r"]

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

_MAGIC = [
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or office document"),
    (b"\x7fELF", "executable"),
    (b"PAR1", "Parquet file"),
    (b"RIFF", "media file"),
    (b"\x00\x00\x00", "binary data"),
]

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises InputError for empty, binary or undecodable input."""
    if not data.strip():
        raise errors.empty()
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _checked(_decode(data[len(bom) :], name.removesuffix("-sig")), name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _checked(_decode(data, utf16), utf16)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise errors.binary(kind)
    if b"\x00" in data[:65536]:
        raise errors.binary("NUL bytes")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:1_000_000], cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise errors.undecodable("not UTF-8, UTF-16 or a known single-byte encoding")
    return _checked(_decode(data, best.encoding), best.encoding)


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise errors.undecodable(f"invalid {encoding}: {exc}") from None


def _utf16_without_bom(data: bytes) -> str | None:
    # Latin-script UTF-16 puts a NUL in every other byte; which half tells the byte order.
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / len(sample[0::2])
    odd = sample[1::2].count(0) / len(sample[1::2])
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def _checked(text: str, encoding: str) -> tuple[str, str]:
    # A decoded "text" full of control characters is a binary file that happened to decode.
    sample = text[:100_000]
    if sample and len(_CONTROL.findall(sample)) > 0.01 * len(sample):
        raise errors.binary("control characters")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise errors.empty()
    return text, encoding
