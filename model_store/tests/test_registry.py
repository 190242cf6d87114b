from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from model_store import signing
from model_store.models import ModelArtifact, ModelVersion, Promotion
from model_store.services import (
    RegistryError,
    model_rollback,
    model_version_promote,
    model_version_register,
    model_versions_prune,
    model_versions_verify,
    production_at,
    production_version,
)
from model_store.serving import clear_cache, get_production_model, load_version

from .conftest import make_version

pytestmark = pytest.mark.django_db


def test_versions_are_numbered_per_name():
    a1, a2 = make_version("a", {"x": 1}), make_version("a", {"x": 2})
    b1 = make_version("b", {"x": 1})
    assert (a1.version, a2.version, b1.version) == (1, 2, 1)


def test_first_version_whose_gate_passes_goes_to_production_and_is_logged():
    mv = make_version("a", {"x": 1})
    assert mv.status == "production"
    promotion = Promotion.objects.get(name="a")
    assert promotion.to_version == mv and promotion.from_version is None and promotion.actor_label == "gate"


def test_a_rejected_candidate_leaves_production_unchanged():
    v1 = make_version("a", {"x": 1})
    v2 = make_version("a", {"x": 2}, passed=False)
    assert v2.status == "rejected" and v2.gate_reasons == ["worse"]
    assert production_version("a") == v1


def test_database_allows_only_one_production_version_per_name():
    v1 = make_version("a", {"x": 1})
    v2 = make_version("a", {"x": 2}, passed=False)
    assert v1.status == "production"
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelVersion.objects.filter(pk=v2.pk).update(status="production")


def test_tampered_artifact_bytes_are_refused_before_unpickling():
    mv = make_version("a", {"x": 1})
    data = bytearray(mv.artifact_bytes())
    data[len(data) // 2] ^= 0xFF
    ModelArtifact.objects.filter(version=mv).update(data=bytes(data))
    mv.refresh_from_db()
    with pytest.raises(signing.ArtifactIntegrityError, match="sha256"):
        load_version(mv)


def test_tampered_signature_is_refused():
    mv = make_version("a", {"x": 1})
    ModelVersion.objects.filter(pk=mv.pk).update(signature="0" * 64)
    mv.refresh_from_db()
    with pytest.raises(signing.ArtifactIntegrityError, match="signature"):
        load_version(mv)


def test_signature_binds_the_artifact_to_its_version():
    v1 = make_version("a", {"x": 1})
    v2 = make_version("a", {"x": 2}, passed=False)
    # Copy v1's bytes, digest and signature onto v2: a valid signature, but for another version.
    ModelArtifact.objects.filter(version=v2).update(data=v1.artifact_bytes())
    ModelVersion.objects.filter(pk=v2.pk).update(sha256=v1.sha256, signature=v1.signature)
    v2.refresh_from_db()
    with pytest.raises(signing.ArtifactIntegrityError):
        load_version(v2)


def test_rollback_restores_the_previous_version_and_logs_it(staff_user):
    v1 = make_version("a", {"x": 1})
    v2 = make_version("a", {"x": 2})
    assert production_version("a") == v2
    restored = model_rollback(name="a", actor=staff_user, reason="v2 answers worse")
    assert restored == v1 and production_version("a") == v1
    log = Promotion.objects.filter(name="a").first()
    assert log.kind == "rollback" and log.from_version == v2 and log.to_version == v1 and log.actor == staff_user


def test_rollback_without_a_previous_version_is_a_clear_error():
    make_version("a", {"x": 1})
    with pytest.raises(RegistryError, match="primeira versão"):
        model_rollback(name="a", actor=None)


def test_history_answers_which_version_served_at_a_given_time():
    from datetime import timedelta

    from django.utils import timezone

    v1 = make_version("a", {"x": 1})
    Promotion.objects.filter(to_version=v1).update(created_at=timezone.now() - timedelta(days=2))
    v2 = make_version("a", {"x": 2})
    assert production_at(name="a", when=timezone.now() - timedelta(days=1)) == v1
    assert production_at(name="a", when=timezone.now()) == v2
    assert production_at(name="a", when=timezone.now() - timedelta(days=3)) is None


def test_promotion_without_a_passed_gate_needs_force_by_staff_with_a_reason(staff_user, editor_user):
    make_version("a", {"x": 1})
    v2 = make_version("a", {"x": 2}, passed=False)
    with pytest.raises(RegistryError, match="portão"):
        model_version_promote(version=v2, actor=staff_user)
    with pytest.raises(RegistryError, match="motivo"):
        model_version_promote(version=v2, actor=staff_user, force=True, reason=" ")
    editor_user.is_staff = False
    with pytest.raises(RegistryError, match="staff"):
        model_version_promote(version=v2, actor=editor_user, force=True, reason="urgent")
    model_version_promote(version=v2, actor=staff_user, force=True, reason="hotfix approved by the board")
    log = Promotion.objects.filter(name="a").first()
    assert log.forced and log.reason == "hotfix approved by the board" and production_version("a") == v2


def test_prune_keeps_production_and_the_last_n():
    versions = [make_version("a", {"x": i}, passed=(i == 0)) for i in range(5)]
    pruned = model_versions_prune(keep=2)
    assert sorted(mv.version for mv in pruned) == [2, 3]
    present = dict(ModelVersion.objects.values_list("version", "artifact_size"))
    assert len(present) == 5  # metadata stays
    assert ModelVersion.objects.get(pk=versions[0].pk).artifact_bytes() is not None  # production kept
    assert ModelVersion.objects.get(pk=versions[1].pk).artifact_bytes() is None


def test_verify_reports_every_tampered_artifact():
    make_version("a", {"x": 1})
    bad = make_version("a", {"x": 2})
    ModelArtifact.objects.filter(version=bad).update(data=b"not the real bytes")
    results = {r.version: r for r in model_versions_verify()}
    assert results[1].ok and not results[2].ok
    assert "sha256" in results[2].error


def test_cached_loader_serves_the_production_object_and_notices_changes(settings):
    settings.MODEL_STORE_CHECK_SECONDS = 0
    clear_cache()
    assert get_production_model("a") is None
    make_version("a", {"x": 1})
    assert get_production_model("a").obj == {"x": 1}
    make_version("a", {"x": 2})
    loaded = get_production_model("a")
    assert (loaded.version, loaded.obj) == (2, {"x": 2})


def test_cached_loader_asks_the_database_at_most_once_per_interval(settings, django_assert_num_queries):
    settings.MODEL_STORE_CHECK_SECONDS = 60
    clear_cache()
    make_version("a", {"x": 1})
    get_production_model("a")
    with django_assert_num_queries(0):
        for _ in range(100):
            assert get_production_model("a").version == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_share_a_version_number():
    errors: list[Exception] = []

    def register(i: int) -> None:
        try:
            for j in range(3):
                model_version_register(
                    name="race", obj={"i": i, "j": j}, params={}, metrics={}, report={}, dataset=None, key=f"{i}-{j}"
                )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(ModelVersion.objects.filter(name="race").values_list("version", flat=True))
    assert numbers == list(range(1, 19))


def test_a_tampered_production_artifact_is_refused_by_the_loader_and_checked_once_per_interval(
    settings, django_assert_num_queries
):
    settings.MODEL_STORE_CHECK_SECONDS = 60
    clear_cache()
    mv = make_version("a", {"x": 1})
    ModelVersion.objects.filter(pk=mv.pk).update(signature="0" * 64)
    with pytest.raises(signing.ArtifactIntegrityError):
        get_production_model("a")
    with django_assert_num_queries(0), pytest.raises(signing.ArtifactIntegrityError):
        get_production_model("a")


def _flip_one_byte(mv: ModelVersion) -> None:
    data = bytearray(mv.artifact_bytes())
    data[len(data) // 2] ^= 0xFF
    ModelArtifact.objects.filter(version=mv).update(data=bytes(data))


def test_a_tampered_version_cannot_be_force_promoted(staff_user):
    v1 = make_version("a", {"x": 1})
    v2 = make_version("a", {"x": 2}, passed=False)
    _flip_one_byte(v2)
    with pytest.raises(RegistryError, match="adulterado"):
        model_version_promote(version=v2, actor=staff_user, force=True, reason="quero")
    assert production_version("a") == v1
    assert not Promotion.objects.filter(to_version=v2).exists()


def test_a_rollback_to_a_tampered_version_is_refused_and_production_stays(staff_user):
    v1 = make_version("a", {"x": 1})
    v2 = make_version("a", {"x": 2})
    ModelVersion.objects.filter(pk=v1.pk).update(signature="0" * 64)
    with pytest.raises(RegistryError, match="assinatura"):
        model_rollback(name="a", actor=staff_user, reason="voltar")
    assert production_version("a") == v2


def test_healthz_degrades_while_the_production_artifact_fails_verification(client, settings):
    settings.MODEL_STORE_NAMES = ["a"]
    mv = make_version("a", {"x": 1})
    clear_cache()
    healthy = client.get("/healthz?broker=0").json()
    assert healthy["models"]["versions"]["a"] == {"production": 1, "loaded": None, "ok": True}
    _flip_one_byte(mv)
    with pytest.raises(signing.ArtifactIntegrityError):
        get_production_model("a")  # a chat in this process tried to serve it
    body = client.get("/healthz?broker=0").json()
    assert body["status"] == "degraded" and body["models"]["ok"] is False
    assert body["models"]["versions"]["a"]["ok"] is False
    assert "sha256" not in str(body)  # no internals for an anonymous caller
    clear_cache()


def test_the_admin_page_of_a_version_says_whether_its_artifact_verifies(client, staff_user):
    good = make_version("a", {"x": 1})
    bad = make_version("a", {"x": 2}, passed=False)
    _flip_one_byte(bad)
    client.force_login(staff_user)
    assert (
        "verificada (sha256 e assinatura conferem)"
        in client.get(f"/admin/model_store/modelversion/{good.pk}/change/").content.decode()
    )
    page = client.get(f"/admin/model_store/modelversion/{bad.pk}/change/").content.decode()
    assert "não conferem com o hash ou a assinatura" in page and "verificada (sha256" not in page
    model_versions_prune(keep=0)
    assert "removido pela retenção" in client.get(f"/admin/model_store/modelversion/{bad.pk}/change/").content.decode()
