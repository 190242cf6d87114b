"""Template filters for pt-BR text: `{% load ptbr %}` then `{{ id|cpf_cnpj }}`, `{{ x|money }}`."""

from __future__ import annotations

from django import template

from core import formatting

register = template.Library()

register.filter("cpf_cnpj", formatting.cpf_cnpj)
register.filter("money", formatting.money)
register.filter("percent", formatting.percent)
register.filter("decimal", formatting.decimal)
