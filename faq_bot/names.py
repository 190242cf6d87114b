"""Names both sides of a Celery call can import without importing each other."""

MODEL_NAME = "faq_intent"
TRAIN_TASK = "faq_bot.tasks.train_faq_model"
