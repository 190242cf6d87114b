"""Public chat APIs: Rasa-compatible parse and REST webhook, our chat endpoint, and feedback.

Open to anonymous users and throttled. Bodies are JSON; every input error is a 400 (415 for another
media type) with a pt-BR message.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from core.negotiation import JsonOnlyNegotiation
from core.parsers import BoundedJSONParser
from core.serializers import FlatBody, StrictText, error_responses, has_text, no_nul

from .answering import (
    ChatReply,
    ModelUnavailable,
    UnknownConversation,
    UnknownIntent,
    faq_chat,
    faq_feedback,
    faq_parse,
)
from .handoff import author_label, open_handoff, replies_after, with_suggestions
from .models import Conversation, Message


class AnonChatThrottle(AnonRateThrottle):
    scope = "anon_chat"


class UserChatThrottle(UserRateThrottle):
    scope = "user_chat"


class AnonFeedbackThrottle(AnonRateThrottle):
    """Verdicts are rarer than questions: a tighter limit of their own."""

    scope = "anon_feedback"


class AnonPollThrottle(AnonRateThrottle):
    scope = "anon_poll"


def message_field(**kwargs) -> StrictText:
    return StrictText(
        max_length=settings.FAQ_MAX_MESSAGE_CHARS,
        trim_whitespace=True,
        validators=[has_text],
        error_messages={
            "blank": "A mensagem está vazia.",
            "required": "Campo obrigatório.",
            "max_length": f"A mensagem passa de {settings.FAQ_MAX_MESSAGE_CHARS} caracteres.",
            "null": "A mensagem não pode ser nula.",
        },
        **kwargs,
    )


class ParseRequest(serializers.Serializer):
    text = message_field()


PARSE_BODY = FlatBody(ParseRequest)


class RankedIntent(serializers.Serializer):
    name = serializers.CharField()
    confidence = serializers.FloatField()


class ModelRef(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.IntegerField()


class ParseEntity(serializers.Serializer):
    entity = serializers.CharField()
    value = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    extractor = serializers.CharField()
    processors = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="presente quando um sinônimo trocou o valor"
    )


class ParseResponse(serializers.Serializer):
    text = serializers.CharField()
    intent = RankedIntent()
    entities = ParseEntity(many=True)
    intent_ranking = RankedIntent(many=True)
    model = ModelRef()


class ChatRequest(serializers.Serializer):
    message = message_field()
    conversation_id = serializers.UUIDField(required=False, allow_null=True)
    intent = StrictText(
        required=False,
        max_length=100,
        validators=[has_text],
        help_text="nome de uma intenção sugerida que o usuário escolheu",
    )


CHAT_BODY = FlatBody(ChatRequest)


class Suggestion(serializers.Serializer):
    intent = serializers.CharField()
    title = serializers.CharField()


class Button(serializers.Serializer):
    title = serializers.CharField()
    payload = serializers.CharField(help_text="o que enviar como mensagem quando o botão é clicado")


class BotMessageOut(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    buttons = Button(many=True)


class ChatResponse(serializers.Serializer):
    conversation_id = serializers.UUIDField()
    message_id = serializers.IntegerField()
    answer = serializers.CharField(help_text="todas as mensagens do bot, separadas por uma linha em branco")
    messages = BotMessageOut(many=True, help_text="as mensagens do bot, em ordem (uma bolha cada)")
    intent = serializers.CharField()
    confidence = serializers.FloatField()
    fallback = serializers.BooleanField()
    suggestions = Suggestion(many=True)
    handoff = serializers.ChoiceField(
        choices=["", "waiting", "active"],
        help_text="vazio enquanto o assistente responde; waiting/active enquanto uma pessoa cuida da conversa "
        "(o assistente fica em silêncio e as respostas dela chegam por /api/faq/chat/{id}/replies/)",
    )


class StaffReplyOut(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    author = serializers.CharField(help_text="'Atendente …' ou 'Assistente' para avisos")
    created_at = serializers.DateTimeField()


class StaffRepliesQuery(serializers.Serializer):
    after = serializers.IntegerField(
        required=False,
        default=0,
        min_value=0,
        max_value=2**63 - 1,
        help_text="id da última resposta já mostrada (0 no início)",
        error_messages={
            "invalid": "Use um número inteiro não negativo.",
            "min_value": "Use um número inteiro não negativo.",
            "max_value": "Número grande demais.",
        },
    )


class StaffRepliesResponse(serializers.Serializer):
    handoff = serializers.ChoiceField(choices=["", "waiting", "active"])
    replies = StaffReplyOut(many=True)


class WebhookRequest(serializers.Serializer):
    sender = StrictText(max_length=128, validators=[has_text])
    message = message_field()


class FeedbackRequest(serializers.Serializer):
    conversation_id = serializers.UUIDField(
        help_text="o identificador da conversa devolvido por /api/faq/chat/: só quem a mantém avalia suas respostas"
    )
    message_id = serializers.IntegerField(min_value=1)
    helpful = serializers.BooleanField()
    comment = StrictText(required=False, allow_blank=True, max_length=1000, default="", validators=[no_nul])


class PublicChatApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonChatThrottle, UserChatThrottle]
    # Rasa widgets and our chat page send JSON; anonymous form or multipart uploads are not parsed at
    # all, and JSON is the only encoding where `null` and types mean what the schema says.
    parser_classes = [BoundedJSONParser]

    def unavailable(self, exc: Exception) -> Response:
        return Response(
            {"detail": "O assistente ainda não tem um modelo em produção; tente em instantes.", "reason": str(exc)},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )


class ParseApi(PublicChatApi):
    # Machine-to-machine and stateless: no session or token lookup, one throttle by client address,
    # JSON in and out whatever the Accept header says (no browsable page, no negotiation per request).
    authentication_classes: list = []
    throttle_classes = [AnonChatThrottle]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonOnlyNegotiation

    @extend_schema(
        request=ParseRequest,
        # No authentication here, so no 403: the parse endpoint ignores cookies and tokens.
        responses={200: ParseResponse, **error_responses(400, 415, 429, 503)},
        summary=_("Classificar um texto (mesmo formato do /model/parse do Rasa)"),
        description=_("Devolve a intenção, a confiança, o ranking e as entidades, sem registrar conversa."),
        examples=[
            OpenApiExample("pergunta", value={"text": "esqueci minha senha do salic"}, request_only=True),
            OpenApiExample(
                "resposta",
                response_only=True,
                value={
                    "text": "esqueci minha senha do salic",
                    "intent": {"name": "recuperar_senha", "confidence": 0.93},
                    "intent_ranking": [
                        {"name": "recuperar_senha", "confidence": 0.93},
                        {"name": "acesso_salic_govbr", "confidence": 0.04},
                    ],
                    "model": {"name": "faq_intent", "version": 3},
                },
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        text = PARSE_BODY.validate(request.data)["text"]
        try:
            return Response(faq_parse(text))
        except ModelUnavailable as exc:
            return self.unavailable(exc)


class ChatApi(PublicChatApi):
    @extend_schema(
        request=ChatRequest,
        responses={200: ChatResponse, **error_responses(400, 403, 415, 429, 503)},
        parameters=[
            OpenApiParameter(
                "channel",
                str,
                description=_("`web` na página /chat/; qualquer outro valor, ou nenhum, registra o canal API"),
            ),
        ],
        summary=_("Responder a uma mensagem (ou à sugestão escolhida) e registrá-la"),
        description=_(
            "Aberto ao público, com limite de pedidos por endereço. Erros de entrada voltam como 400 em pt-BR."
        ),
        examples=[
            OpenApiExample(
                "primeira mensagem", value={"message": "qual o prazo da prestação de contas?"}, request_only=True
            ),
            OpenApiExample(
                "escolha de sugestão",
                value={
                    "message": "Prazo da prestação de contas",
                    "conversation_id": "0b8f7c1e-2f4a-4d59-9b43-3d3c7f1a2b10",
                    "intent": "prazo_prestacao_contas",
                },
                request_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        data = CHAT_BODY.validate(request.data)
        try:
            reply = faq_chat(
                text=data["message"],
                conversation_id=data.get("conversation_id"),
                chosen_intent=data.get("intent"),
                channel=Conversation.Channel.WEB
                if request.query_params.get("channel") == "web"
                else Conversation.Channel.API,
            )
        except ModelUnavailable as exc:
            return self.unavailable(exc)
        except UnknownConversation:
            return Response({"conversation_id": ["Conversa não encontrada."]}, status=status.HTTP_400_BAD_REQUEST)
        except UnknownIntent:
            return Response({"intent": ["Intenção desconhecida ou inativa."]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(chat_response_body(reply))


def chat_response_body(reply: ChatReply) -> dict[str, Any]:
    """ChatResponse's shape built directly (a serializer per answer cost ~0.4 ms of deep copies);
    test_api checks the two agree field by field."""
    return {
        "conversation_id": str(reply.conversation_id),
        "message_id": reply.message_id,
        "answer": reply.answer,
        "messages": [
            {"text": m.text, "buttons": [{"title": b["title"], "payload": b["payload"]} for b in m.buttons]}
            for m in reply.messages
        ],
        "intent": reply.intent,
        "confidence": float(reply.confidence),
        "fallback": reply.fallback,
        "suggestions": [{"intent": s["intent"], "title": s["title"]} for s in reply.suggestions],
        "handoff": reply.handoff,
    }


def rasa_messages(sender: str, reply: ChatReply) -> list[dict]:
    """Rasa's REST channel shape: one item per bot message; suggestions become buttons too."""
    out = []
    for message in reply.messages:
        item: dict = {"recipient_id": sender, "text": message.text}
        if message.buttons:
            item["buttons"] = [{"title": b["title"], "payload": b["payload"]} for b in message.buttons]
        out.append(item)
    if reply.suggestions and out:
        suggested = [{"title": s["title"], "payload": f"/{s['intent']}"} for s in reply.suggestions]
        out[-1]["buttons"] = with_suggestions(out[-1].get("buttons", []), suggested)
    return out


class RasaWebhookApi(PublicChatApi):
    @extend_schema(
        request=WebhookRequest,
        responses={
            200: inline_serializer(
                "RasaBotMessage",
                fields={
                    "recipient_id": serializers.CharField(),
                    "text": serializers.CharField(),
                    "buttons": Button(many=True, required=False),
                },
                many=True,
            ),
            **error_responses(400, 403, 415, 429, 503),
        },
        summary=_("Canal REST do Rasa: widgets de chat existentes se conectam sem mudanças"),
        description=_("Um item por mensagem do bot; as sugestões viram botões."),
        examples=[OpenApiExample("mensagem", value={"sender": "usuario-42", "message": "oi"}, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        body = WebhookRequest(data=request.data)
        body.is_valid(raise_exception=True)
        sender, text = body.validated_data["sender"], body.validated_data["message"]
        try:
            # Rasa button payloads ("/intent" or "/intent{json}") name the intent directly.
            reply = faq_chat(text=text, channel=Conversation.Channel.RASA, sender=sender)
        except ModelUnavailable as exc:
            return self.unavailable(exc)
        except UnknownIntent:
            return Response({"message": ["Intenção desconhecida ou inativa."]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(rasa_messages(sender, reply))


class FeedbackApi(PublicChatApi):
    throttle_classes = [AnonFeedbackThrottle, UserChatThrottle]

    @extend_schema(
        request=FeedbackRequest,
        responses={
            201: inline_serializer(
                "FeedbackSaved",
                fields={"message_id": serializers.IntegerField(), "helpful": serializers.BooleanField()},
            ),
            **error_responses(400, 403, 404, 415, 429, 503),
        },
        summary=_("Esta resposta foi útil?"),
        description=_(
            "Registra a avaliação (👍/👎) de uma resposta do assistente. Só quem mantém a conversa avalia: "
            "envie o conversation_id que /api/faq/chat/ devolveu."
        ),
        examples=[
            OpenApiExample(
                "útil",
                value={"conversation_id": "0b8f7c1e-2f4a-4d59-9b43-3d3c7f1a2b10", "message_id": 10, "helpful": True},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        body = FeedbackRequest(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            feedback = faq_feedback(**body.validated_data)
        except Message.DoesNotExist:
            # The same answer whether the message does not exist or belongs to another conversation,
            # so nobody learns which ids exist.
            return Response({"detail": "Mensagem não encontrada nesta conversa."}, status=status.HTTP_404_NOT_FOUND)
        return Response(
            {"message_id": feedback.message_id, "helpful": feedback.helpful}, status=status.HTTP_201_CREATED
        )


class StaffRepliesApi(PublicChatApi):
    # The conversation's random id is the capability, as for the chat endpoint itself.
    authentication_classes: list = []
    throttle_classes = [AnonPollThrottle]

    @extend_schema(
        responses={200: StaffRepliesResponse, **error_responses(400, 404, 429)},
        parameters=[StaffRepliesQuery],
        summary=_(
            "Respostas que um atendente escreveu nesta conversa (a página do chat consulta enquanto o atendimento humano está ativo)"
        ),
    )
    def get(self, request: Request, conversation_id) -> Response:
        query = StaffRepliesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        conversation = Conversation.objects.filter(public_id=conversation_id).first()
        if conversation is None:
            return Response({"detail": "Conversa não encontrada."}, status=status.HTTP_404_NOT_FOUND)
        replies = replies_after(conversation, query.validated_data["after"])
        held = open_handoff(conversation) if conversation.with_staff else None
        return Response(
            {
                "handoff": held.status if held else "",
                "replies": [
                    {"id": r.id, "text": r.text, "author": author_label(r), "created_at": r.created_at} for r in replies
                ],
            }
        )
