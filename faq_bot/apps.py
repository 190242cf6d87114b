from django.apps import AppConfig


class FaqBotConfig(AppConfig):
    name = "faq_bot"
    verbose_name = "Chatbot de perguntas frequentes"
