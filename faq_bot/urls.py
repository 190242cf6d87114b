from django.urls import path

from . import api

urlpatterns = [
    path("parse/", api.ParseApi.as_view(), name="faq-parse"),
    path("chat/", api.ChatApi.as_view(), name="faq-chat"),
    path("chat/<uuid:conversation_id>/replies/", api.StaffRepliesApi.as_view(), name="faq-chat-replies"),
    path("feedback/", api.FeedbackApi.as_view(), name="faq-feedback"),
]
