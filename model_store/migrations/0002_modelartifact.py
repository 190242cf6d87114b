"""Move artifact bytes out of ModelVersion into a one-to-one ModelArtifact table."""

from django.db import migrations, models
import django.db.models.deletion


def move_bytes_out(apps, schema_editor):
    ModelVersion = apps.get_model("model_store", "ModelVersion")
    ModelArtifact = apps.get_model("model_store", "ModelArtifact")
    for pk in ModelVersion.objects.filter(artifact__isnull=False).values_list("pk", flat=True).iterator():
        data = ModelVersion.objects.filter(pk=pk).values_list("artifact", flat=True).get()
        ModelArtifact.objects.create(version_id=pk, data=bytes(data))


def move_bytes_back(apps, schema_editor):
    ModelVersion = apps.get_model("model_store", "ModelVersion")
    ModelArtifact = apps.get_model("model_store", "ModelArtifact")
    for version_id, data in ModelArtifact.objects.values_list("version_id", "data").iterator():
        ModelVersion.objects.filter(pk=version_id).update(artifact=bytes(data))


class Migration(migrations.Migration):
    dependencies = [("model_store", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ModelArtifact",
            fields=[
                (
                    "version",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",  # "artifact" once the old column is gone (below)
                        serialize=False,
                        to="model_store.modelversion",
                        verbose_name="versão",
                    ),
                ),
                ("data", models.BinaryField(editable=False, help_text="joblib, compressed")),
            ],
        ),
        migrations.RunPython(move_bytes_out, move_bytes_back, elidable=False),
        migrations.RemoveField(model_name="modelversion", name="artifact"),
        migrations.AlterField(
            model_name="modelartifact",
            name="version",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="artifact",
                serialize=False,
                to="model_store.modelversion",
                verbose_name="versão",
            ),
        ),
    ]
