"""A tampered artifact is refused BEFORE unpickling: proven with a pickle whose unpickling leaves a
mark on disk. The bytes carry their own correct sha256 (as an attacker with table access would write
it) but a wrong or swapped signature; no path — serving, verify, promote, rollback — may unpickle it."""

from __future__ import annotations

import pathlib

import pytest

from model_store import signing
from model_store.models import ModelArtifact, ModelVersion
from model_store.services import RegistryError, model_rollback, model_version_promote, model_versions_verify
from model_store.serving import clear_cache, get_production_model, load_version

from .conftest import make_version

pytestmark = pytest.mark.django_db


class LeavesAMark:
    """Unpickling this calls Path.touch(path): a visible side effect, harmless otherwise."""

    def __init__(self, path: pathlib.Path) -> None:
        self.path = path

    def __reduce__(self):
        return (pathlib.Path.touch, (self.path,))


def plant(mv: ModelVersion, mark: pathlib.Path, *, signature: str) -> None:
    evil = signing.serialize(LeavesAMark(mark))
    ModelArtifact.objects.filter(version=mv).update(data=evil)
    ModelVersion.objects.filter(pk=mv.pk).update(sha256=signing.digest(evil), signature=signature)


def test_the_mark_appears_when_such_bytes_are_unpickled_so_the_tests_below_mean_something(tmp_path):
    mark = tmp_path / "unpickled"
    signing.deserialize_verified(name="x", version=1, **_signed(mark))
    assert mark.exists()


def _signed(mark: pathlib.Path) -> dict:
    evil = signing.serialize(LeavesAMark(mark))
    sha = signing.digest(evil)
    return {"data": evil, "sha256": sha, "signature": signing.sign(name="x", version=1, sha256=sha)}


@pytest.mark.parametrize("signature", ["wrong", "swapped"])
def test_no_path_unpickles_a_tampered_artifact(tmp_path, staff_user, signature):
    mark = tmp_path / "unpickled"
    v1 = make_version("a", {"x": 1})
    v2 = make_version("a", {"x": 2})  # production; v1 is the rollback target
    v3 = make_version("a", {"x": 3}, passed=False)
    forged = "0" * 64 if signature == "wrong" else v1.signature  # a real signature, of another version
    for mv in (v1, v2, v3):
        plant(mv, mark, signature=forged if mv != v1 else v3.signature)
    clear_cache()

    with pytest.raises(signing.ArtifactIntegrityError):
        get_production_model("a")  # serving
    with pytest.raises(signing.ArtifactIntegrityError):
        load_version(ModelVersion.objects.get(pk=v3.pk))
    assert all(not r.ok for r in model_versions_verify())  # verify
    with pytest.raises(RegistryError):
        model_version_promote(version=v3, actor=staff_user, force=True, reason="teste")  # promote
    with pytest.raises(RegistryError):
        model_rollback(name="a", actor=staff_user, reason="teste")  # rollback
    assert not mark.exists()
    clear_cache()
