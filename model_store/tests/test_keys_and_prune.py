"""The training key's code and library versions, the warning for an artifact trained under other
libraries, and `models prune`."""

from __future__ import annotations

import json
import warnings
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from model_store import signing
from model_store.models import ModelArtifact, ModelVersion
from model_store.services import training_key
from model_store.serving import LibraryMismatchWarning, load_version

from .conftest import make_version

pytestmark = pytest.mark.django_db

KEY = {"name": "toy", "dataset_fingerprint": "abc", "params": {"p": 1}}


def test_the_training_key_changes_with_the_code_version_and_with_any_library_version(monkeypatch):
    base = training_key(**KEY, code_version="c1")
    assert training_key(**KEY, code_version="c1") == base
    assert training_key(**KEY, code_version="c2") != base
    libraries = signing.current_library_versions()
    assert {"python", "scikit-learn", "numpy"} <= set(libraries)
    for lib in ("scikit-learn", "numpy", "python"):
        changed = {**libraries, lib: libraries[lib] + ".post1"}
        monkeypatch.setattr(signing, "current_library_versions", lambda changed=changed: changed)
        assert training_key(**KEY, code_version="c1") != base, lib
    monkeypatch.setattr(signing, "current_library_versions", lambda: dict(libraries))
    assert training_key(**KEY, code_version="c1") == base


def test_loading_an_artifact_trained_under_other_library_versions_warns_and_names_them():
    mv = make_version("toy", {"w": 1})
    with warnings.catch_warnings():
        warnings.simplefilter("error", LibraryMismatchWarning)
        assert load_version(mv).obj == {"w": 1}  # same libraries: no warning
    then = {**mv.library_versions, "numpy": "0.0.1"}
    ModelVersion.objects.filter(pk=mv.pk).update(library_versions=then)
    mv.refresh_from_db()
    with pytest.warns(LibraryMismatchWarning, match=r"numpy 0\.0\.1→"):
        assert load_version(mv).obj == {"w": 1}


def test_prune_drops_old_artifacts_but_keeps_production_and_the_last_n():
    v1 = make_version("toy", {"w": 1})  # production
    for w in (2, 3, 4):
        make_version("toy", {"w": w}, passed=False)
    out = StringIO()
    call_command("models", "prune", "--keep", "1", "--json", stdout=out)
    assert sorted(r["version"] for r in json.loads(out.getvalue())) == [2, 3]
    kept = set(ModelArtifact.objects.values_list("version__version", flat=True))
    assert kept == {v1.version, 4}
    assert ModelVersion.objects.filter(name="toy").count() == 4  # the rows stay, only the bytes go
    out = StringIO()
    call_command("models", "prune", "--keep", "1", stdout=out)
    assert out.getvalue().startswith("0 artefato(s) apagado(s)")
    with pytest.raises(CommandError, match="keep"):
        call_command("models", "prune", "--keep", "-1", stdout=StringIO())
