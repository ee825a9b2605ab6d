import codecs

import pytest

from annotator.errors import InputError
from annotator.ingest.decode import decode_bytes

FRENCH = "Le président a déclaré qu’il était « très préoccupé » : l’œuvre coûte 20 € à Noël."
LATIN1_FRENCH = "Le ministre a jugé la réforme « nécessaire » à l'Assemblée, où le débat a duré."
RUSSIAN = "Президент России заявил, что переговоры продолжатся на следующей неделе."


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (FRENCH.encode("utf-8"), FRENCH),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), FRENCH),
        (codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), FRENCH),
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), FRENCH),
        (FRENCH.encode("utf-16-le"), FRENCH),  # no BOM, as some Windows tools write it
        (FRENCH.encode("cp1252"), FRENCH),
        (LATIN1_FRENCH.encode("latin-1"), LATIN1_FRENCH),
        (RUSSIAN.encode("cp1251"), RUSSIAN),
        (RUSSIAN.encode("utf-8"), RUSSIAN),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le", "cp1252", "latin-1", "cp1251",
         "utf-8-cyrillic"],
)
def test_each_encoding_decodes_to_the_original_text(data, text):
    decoded, _ = decode_bytes(data)
    assert decoded == text


def test_windows_line_ends_become_newlines():
    assert decode_bytes(b"a\r\nb\rc")[0] == "a\nb\nc"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "E001"),
        (b"  \n\t ", "E001"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "E002"),
        (b"%PDF-1.7\n" + bytes(range(256)), "E002"),
        (bytes(range(256)) * 40, "E002"),
    ],
    ids=["empty", "whitespace", "png", "pdf", "random-bytes"],
)
def test_bad_bytes_give_a_specific_error(data, code):
    with pytest.raises(InputError) as info:
        decode_bytes(data)
    assert info.value.code == code
