"""Dutch personal-data recognizers: checksums decide, every Dutch phone format goes, helplines always stay."""

from __future__ import annotations

import pytest

from wegwijzer.privacy.recognizers import elfproef, mod97
from wegwijzer.stages.redact import Redactor


@pytest.fixture(scope="module")
def redactor(analyzer) -> Redactor:
    return Redactor(analyzer)


@pytest.mark.parametrize(("number", "valid"), [("111222333", True), ("123456782", True), ("1234.56.782", True),
                                               ("123 45 6782", True), ("123456789", False), ("000000000", False)])
def test_when_bsn_then_elfproef_decides(number, valid):
    assert elfproef(number) is valid


@pytest.mark.parametrize(("iban", "valid"), [("NL91ABNA0417164300", True), ("NL91 ABNA 0417 1643 00", True),
                                             ("NL92ABNA0417164300", False), ("DE89370400440532013000", True)])
def test_when_iban_then_mod97_decides(iban, valid):
    assert mod97(iban) is valid


@pytest.mark.parametrize(
    "phone",
    ["06-12345678", "06 12 34 56 78", "0612345678", "+31 6 12345678", "+31 (0)6 12345678", "0031 6 12345678",
     "(06)12345678", "010-1234567", "020 123 4567", "0180-123456", "0599-123456", "+31201234567"],
)
def test_when_dutch_phone_number_in_any_format_then_removed(redactor, phone):
    text, counts, _ = redactor.redact_text(f"bel me op {phone} als het kan")
    assert phone not in text and counts.get("PHONE_NUMBER") == 1


@pytest.mark.parametrize("keep", ["112", "113", "0800-2000", "0800-0432", "0800-0188", "0900-8844", "0800-0113"])
def test_when_helpline_number_then_it_stays(redactor, keep):
    text, counts, _ = redactor.redact_text(f"moet ik {keep} bellen of niet?")
    assert keep in text and not counts


@pytest.mark.parametrize(
    ("text", "secret", "placeholder"),
    [
        ("mijn bsn is 111222333", "111222333", "<BSN>"),
        ("rekening NL91 ABNA 0417 1643 00 staat op zijn naam", "NL91 ABNA 0417 1643 00", "<IBAN>"),
        ("mail naar hulpnodig@example.nl", "hulpnodig@example.nl", "<EMAIL>"),
        ("we wonen in 3512 AB", "3512 AB", "<POSTCODE>"),
        ("zijn auto is 12-ABC-3", "12-ABC-3", "<KENTEKEN>"),
        ("op insta is hij @stoere_jongen99", "@stoere_jongen99", "<GEBRUIKERSNAAM>"),
        ("ik ben geboren op 12-05-1987", "12-05-1987", "<GEBOORTEDATUM>"),
        ("we wonen op de Merelstraat 14", "Merelstraat 14", "<ADRES>"),
        ("ik heet Fatima", "Fatima", "<PERSOON>"),
        ("meester Ruud ziet het ook", "Ruud", "<PERSOON>"),
        ("mijn ex kevin blijft appen", "kevin", "<PERSOON>"),
        ("Jan de Vries slaat zijn vrouw", "Jan de Vries", "<PERSOON>"),
    ],
)
def test_when_personal_data_then_replaced_by_dutch_placeholder(redactor, text, secret, placeholder):
    out, _, _ = redactor.redact_text(text)
    assert secret.lower() not in out.lower() and placeholder in out


def test_when_a_name_occurs_twice_then_both_go(redactor):
    out, counts, _ = redactor.redact_text("Kevin zegt dat ik gek ben. Kevin pakt mijn telefoon.")
    assert "Kevin" not in out and counts["PERSON"] == 2


@pytest.mark.parametrize("text", ["Veilig Thuis belde de politie", "ik kocht een roos voor mijn moeder",
                                  "er is nog hoop", "ik bel de huisarts op maandag", "hij verkoopt spullen op Marktplaats"])
def test_when_no_personal_data_then_text_unchanged(redactor, text):
    out, counts, _ = redactor.redact_text(text)
    assert out == text and not counts


def test_when_history_then_every_turn_is_redacted(redactor):
    red = redactor.run("en nu?", [("user", "Ik ben Fatima, bel 06-12345678"), ("assistant", "Goed dat je schrijft.")])
    assert "Fatima" not in red.history[0][1] and "06-12345678" not in red.history[0][1]
    assert red.history[1] == ("assistant", "Goed dat je schrijft.")
