"""Names both sides of a Celery call can import without importing each other."""

MODEL_NAME = "salic_complexity"
TRAIN_TASK = "salic_ml.tasks.train_salic_model"
RESCORE_TASK = "salic_ml.tasks.rescore_salic_model"
