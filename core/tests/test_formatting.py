"""Numbers for people are pt-BR, rounded (never truncated), with the same text everywhere."""

from __future__ import annotations

from core import formatting as fmt
from salic_ml.dashboard.formatting import expected_range


def test_percentages_are_rounded_not_truncated():
    assert fmt.percent(2 / 29) == "6,9%"
    assert fmt.percent(0.0005) == "0,1%" and fmt.percent(1) == "100,0%"


def test_money_is_rounded_half_up_with_grouping_and_a_decimal_comma():
    assert fmt.money(12877597.455) == "R$ 12.877.597,46"
    assert fmt.money(12877597.4549) == "R$ 12.877.597,45"
    assert fmt.money(-0.001) == "R$ 0,00"


def test_decimals_use_a_comma_and_integers_no_decimals():
    assert fmt.decimal(0.96) == "0,96" and fmt.decimal(5.6, 1) == "5,6"
    assert fmt.num(1234) == "1.234" and fmt.num(1234.5) == "1.234,50"
    assert fmt.num(None) == fmt.MISSING and fmt.num(float("nan")) == fmt.MISSING


def test_count_ranges_are_whole_numbers():
    assert expected_range(5.09, 408.93, "itens") == "6 a 408"
    assert expected_range(None, 3.7, "comprovantes") == "até 3"
    assert expected_range(2.2, 2.4, "linhas") == "2"
    assert expected_range(0.5, 1.25, "R$") == "R$ 0,50 a R$ 1,25"


def test_cpf_and_cnpj_are_shown_as_people_write_them():
    assert fmt.cpf_cnpj("12345678901") == "123.456.789-01"
    assert fmt.cpf_cnpj("12345678000190") == "12.345.678/0001-90"
    assert fmt.cpf_cnpj("***.456.789-**") == "***.456.789-**" and fmt.cpf_cnpj(None) == ""
