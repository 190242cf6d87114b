"""`manage.py models list|show|promote|rollback|verify|prune` — the registry from a terminal."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from model_store.models import ModelVersion
from model_store.selectors import model_names_summary, model_versions_for, promotion_history
from model_store.services import (
    RegistryError,
    model_rollback,
    model_version_promote,
    model_versions_prune,
    model_versions_verify,
)

GATE = {True: "passou", False: "reprovada", None: "—"}


class Command(BaseCommand):
    help = "Consulta e opera o registro de modelos."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("list", help="modelos com a versão em produção e a mais recente")
        p.add_argument("--json", action="store_true", help="saída em JSON")
        p = sub.add_parser("show", help="versões de um modelo, ou uma versão em detalhe")
        p.add_argument("name", help="nome do modelo (ex.: faq_intent)")
        p.add_argument("version", nargs="?", type=int, help="número da versão")
        p.add_argument("--json", action="store_true", help="saída em JSON")
        p = sub.add_parser("promote", help="promove uma versão (o portão precisa ter passado, exceto com --force)")
        p.add_argument("name", help="nome do modelo")
        p.add_argument("version", type=int, help="número da versão")
        p.add_argument(
            "--force", action="store_true", help="promove mesmo reprovada no portão (exige --user e --reason)"
        )
        p.add_argument("--reason", default="", help="motivo, registrado no histórico")
        p.add_argument("--user", default=None, help="usuário da equipe registrado como autor (obrigatório com --force)")
        p = sub.add_parser("rollback", help="volta para a versão anterior em produção")
        p.add_argument("name", help="nome do modelo")
        p.add_argument("--reason", default="", help="motivo, registrado no histórico")
        p.add_argument("--user", default=None, help="usuário da equipe registrado como autor")
        p = sub.add_parser("verify", help="confere o sha256 e a assinatura de cada artefato guardado")
        p.add_argument("--json", action="store_true", help="saída em JSON")
        p = sub.add_parser("prune", help="apaga os artefatos, exceto o de produção e os das últimas N versões")
        p.add_argument(
            "--keep",
            type=int,
            default=None,
            help="quantas versões recentes manter (padrão: MODEL_STORE_KEEP_ARTIFACTS)",
        )
        p.add_argument("--json", action="store_true", help="saída em JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, f"do_{opts['action']}")(opts)

    def _print(self, data: Any, as_json: bool, text: str) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) if as_json else text)

    def _actor(self, username: str | None, *, required: bool) -> Any:
        if username is None:
            if required:
                raise CommandError("--force exige --user com um usuário da equipe")
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"o usuário '{username}' não existe")
        return user

    def do_list(self, opts: dict) -> None:
        rows = model_names_summary()
        text = (
            "\n".join(
                f"{r['name']:<24} produção=v{r['production_version'] or '-'} mais recente=v{r['latest_version']} "
                f"versões={r['versions']}"
                for r in rows
            )
            or "nenhum modelo registrado"
        )
        self._print(rows, opts["json"], text)

    def do_show(self, opts: dict) -> None:
        name, version = opts["name"], opts["version"]
        if version is None:
            versions = list(model_versions_for(name))
            if not versions:
                raise CommandError(f"modelo '{name}' não encontrado")
            rows = [
                {
                    "version": v.version,
                    "status": v.status,
                    "gate_passed": v.gate_passed,
                    "metrics": v.metrics,
                    "created_at": v.created_at.isoformat(),
                }
                for v in versions
            ]
            history = [str(p) for p in promotion_history(name)[:20]]
            text = "\n".join(
                f"v{r['version']:<4} {r['status']:<11} portão={GATE[r['gate_passed']]} {r['created_at']}" for r in rows
            )
            self._print(
                {"versions": rows, "history": history}, opts["json"], text + "\n\nhistórico:\n" + "\n".join(history)
            )
            return
        mv = ModelVersion.objects.filter(name=name, version=version).select_related("dataset").first()
        if mv is None:
            raise CommandError(f"{name} v{version} não encontrada")
        data = {
            "name": mv.name,
            "version": mv.version,
            "status": mv.status,
            "sha256": mv.sha256,
            "artifact_size": mv.artifact_size,
            "artifact_present": mv.has_artifact(),
            "dataset": mv.dataset.fingerprint if mv.dataset else None,
            "params": mv.params,
            "metrics": mv.metrics,
            "gate_passed": mv.gate_passed,
            "gate_reasons": mv.gate_reasons,
            "library_versions": mv.library_versions,
            "created_at": mv.created_at.isoformat(),
        }
        text = "\n".join(f"{k}: {v}" for k, v in data.items())
        self._print(data, opts["json"], text)

    def do_promote(self, opts: dict) -> None:
        mv = ModelVersion.objects.filter(name=opts["name"], version=opts["version"]).first()
        if mv is None:
            raise CommandError(f"{opts['name']} v{opts['version']} não encontrada")
        actor = self._actor(opts["user"], required=opts["force"])
        try:
            mv = model_version_promote(version=mv, actor=actor, reason=opts["reason"], force=opts["force"])
        except RegistryError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{mv} agora está em produção"))

    def do_rollback(self, opts: dict) -> None:
        actor = self._actor(opts["user"], required=False)
        try:
            mv = model_rollback(name=opts["name"], actor=actor, reason=opts["reason"])
        except RegistryError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"reversão feita: {mv} voltou à produção"))

    def do_verify(self, opts: dict) -> None:
        results = model_versions_verify()
        bad = [r for r in results if not r.ok]
        rows = [{"name": r.name, "version": r.version, "ok": r.ok, "error": r.error} for r in results]
        text = (
            "\n".join(f"{'OK   ' if r.ok else 'FALHA'} {r.name} v{r.version} {r.error}" for r in results)
            or "nenhum artefato"
        )
        self._print(rows, opts["json"], text)
        if bad:
            raise CommandError(f"{len(bad)} artefato(s) reprovado(s) na verificação")

    def do_prune(self, opts: dict) -> None:
        from django.conf import settings

        keep = opts["keep"] if opts["keep"] is not None else settings.MODEL_STORE_KEEP_ARTIFACTS
        try:
            pruned = model_versions_prune(keep=keep)
        except RegistryError as exc:
            raise CommandError(str(exc)) from exc
        rows = [{"name": mv.name, "version": mv.version} for mv in pruned]
        self._print(
            rows,
            opts["json"],
            f"{len(rows)} artefato(s) apagado(s): " + ", ".join(f"{r['name']} v{r['version']}" for r in rows),
        )
