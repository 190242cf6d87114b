"""Turn the parts' JSON results into the DESIGN §6 rows and the BENCHMARKS.md text."""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.report import HEADER, Row, fmt, markdown_table, table_cells

DESIGN_SIZE = 42000  # the SALIC targets are stated for 42k projects


def _one(results: dict, name: str) -> dict:
    found = results.get(name) or []
    return found[-1] if found else {}


def _faq_size(results: dict, n: int = 100) -> dict:
    sizes = _one(results, "faq_speed").get("sizes", [])
    return next((s for s in sizes if s["intents"] == n), {})


def _salic_row(results: dict) -> dict:
    rows = results.get("salic_scale") or []
    exact = [r for r in rows if r["projects"] == DESIGN_SIZE]
    if exact:
        return exact[0]
    return max(rows, key=lambda r: r["projects"]) if rows else {}


def _get(data: dict, *path: str) -> float | None:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def rescore_seconds(row: dict) -> float | None:
    """The rescore run's own duration, from the command's 'em N s' line (no process start-up); older
    results said 'in N s' with a decimal point."""
    match = re.search(r" (?:em|in) ([0-9.,]+) s\s*$", row.get("rescore_run", ""))
    if not match:
        return None
    try:
        return float(match.group(1).replace(".", "").replace(",", ".") if "," in match.group(1) else match.group(1))
    except ValueError:
        return None


def design_rows(results: dict) -> list[Row]:
    faq = _faq_size(results)
    live = _one(results, "live")
    salic = _salic_row(results)
    at_size = salic.get("projects") == DESIGN_SIZE
    size = f"{salic.get('projects', 0):,} projects ({salic.get('database', '?')})" if salic else "no SALIC run"

    def salic_target(value: float) -> float | None:
        return value if at_size else None

    throughput = live.get("throughput", {})
    trivial_rps = _get(throughput, "trivial", "rps")
    parse_rps = _get(throughput, "parse", "rps")
    edit = live.get("edit", {})
    after_debounce = edit["seconds"] - (_get(edit, "run", "queued_s") or 0) if edit.get("seconds") else None
    reads = salic.get("reads", {})
    plain = _get(reads, "plain_select_page", "p95_ms")
    memory = salic.get("memory", {})
    read_csv = salic.get("read_csv_s")
    return [
        Row(
            "/api/faq/parse/ throughput (gunicorn, 2 workers)",
            parse_rps,
            "req/s",
            target=0.8 * trivial_rps if trivial_rps else None,
            direction="ge",
            reference=trivial_rps,
            reference_what="trivial DRF endpoint",
            note="target: ≥ 80% of the trivial endpoint's throughput in the same run",
        ),
        Row(
            "chat turn with dialogue (gunicorn, 2 workers)",
            _get(throughput, "chat", "rps"),
            "req/s",
            target=0.5 * parse_rps if parse_rps else None,
            direction="ge",
            reference=parse_rps,
            reference_what="parse",
            note="target: a chat turn costs ≤ 2 parses, i.e. ≥ half the parse throughput in the same run",
        ),
        Row("one parse in-process, p50 (100 intents)", _get(faq, "ours", "parse_p50_ms"), "ms", 1,
            reference=_get(faq, "reference", "parse_p50_ms"), reference_what="char-n-gram + LinearSVC"),
        Row("one parse in-process, p99 (100 intents)", _get(faq, "ours", "parse_p99_ms"), "ms", 5,
            reference=_get(faq, "reference", "parse_p99_ms"), reference_what="char-n-gram + LinearSVC"),
        Row("FAQ train + 5-fold evaluation, 100 intents × 20", _get(faq, "ours", "train_5fold_s"), "s", 10,
            reference=_get(faq, "reference", "train_5fold_s"), reference_what="char-n-gram + LinearSVC"),
        Row("admin edit → new model answering, after the debounce", after_debounce, "s", 10,
            reference=_get(edit, "run", "train_s"), reference_what="the training run alone",
            note=f"worker on {live.get('backend', '?')}; from the end of the 10 s debounce to the first answer"),
        Row("FAQ artifact, 100 intents", _get(faq, "ours", "artifact_mb"), "MB", 5,
            reference=_get(faq, "reference", "artifact_mb"), reference_what="char-n-gram + LinearSVC"),
        Row("FAQ production model load (verify + unpickle)", _get(faq, "ours", "load_s"), "s", 0.2,
            reference=_get(faq, "reference", "load_s"), reference_what="char-n-gram + LinearSVC"),
        Row(f"SALIC import, {size}", salic.get("import_s"), "s", salic_target(5 * read_csv) if read_csv else None,
            reference=read_csv, reference_what="pandas.read_csv of the same files",
            note="target: ≤ 5× pandas.read_csv of the same files"),
        Row(f"SALIC full train + score, {size}", salic.get("train_s"), "s", salic_target(30)),
        Row(f"SALIC train + score peak memory, {size}", salic.get("train_peak_mb"), "MB", salic_target(2048)),
        Row(f"SALIC rescore after one project changed, {size}", rescore_seconds(salic), "s", salic_target(5),
            reference=salic.get("train_s"), reference_what="full train + score"),
        Row(f"project detail API p95, {size}", _get(reads, "project_detail_api", "p95_ms"), "ms",
            salic_target(10), reference=plain, reference_what="plain SELECT page"),
        Row(f"ranked list page (API) p95, {size}", _get(reads, "project_list_api", "p95_ms"), "ms",
            salic_target(50), reference=plain, reference_what="plain SELECT page"),
        Row(f"ranked list page (dashboard) p95, {size}", _get(reads, "dashboard_list", "p95_ms"), "ms",
            salic_target(80), reference=plain, reference_what="plain SELECT page"),
        Row(f"project diagnosis page p95, {size}", _get(reads, "dashboard_project", "p95_ms"), "ms",
            salic_target(80), reference=plain, reference_what="plain SELECT page"),
        Row(f"web process memory, both models loaded, {size}", memory.get("after_requests_mb"), "MB", 300,
            reference=memory.get("baseline_mb"), reference_what="same process before loading models"),
    ]  # fmt: skip


# Why a row misses, shown only when it does (our reading of earlier runs; see the sections below).
MISS_NOTES = {
    "/api/faq/parse/": "CPU per request through the WSGI handler (`python -m benchmarks.request_cost`, best of 7 "
    "batches, PostgreSQL): ping 0.40 ms, parse 0.98–1.1 ms (1.12–1.35 ms before issue 22's changes). Of a parse, "
    "the model is ~0.3 ms (char 2–5-grams and lemmas looked up, one gather over the intents) and reading the "
    "JSON body, validating it and rendering the ranking ~0.25 ms more than the trivial view does; the trivial "
    "view's own ~0.4 ms plus gunicorn's HTTP work is the floor both share. 80% would need the model itself "
    "under ~0.1 ms.",
    "chat turn": "A chat turn is a transaction the parse never has: the connection's health check, the "
    "conversation (one insert, or a read and a state update), the message insert and the commit — ~3 ms of "
    "psycopg/ORM CPU and round trips on top of the same ~1 ms of model and dialogue (`python -m "
    "benchmarks.request_cost --profile chat`: 4.2–4.9 ms of CPU, 6.4–7.5 ms before issue 22's changes).",
    "SALIC import": "Validation and the budget-line upsert dominate (profile in issue 16's note: 49 s of Python "
    "validation in a 42k re-import); the same import took 105–168 s in different runs on this shared machine.",
    "FAQ train": "Each training also scores perturbed copies of every held-out fold, the out-of-scope set and "
    "the calibration (issue 19). Other engineers' jobs shared the 2 cores during the run: the reference's own "
    "time moves 2–6 s between runs, so the ratio to it is the steadier figure (1.8 before issue 19).",
    "one parse in-process, p99": "The p99 of one text follows the load of the shared machine; the reference's "
    "p99 moved the same way in the same run.",
    "ranked list page (dashboard)": "Read in the same loaded run as the SALIC rows above; 75–88 ms in quiet runs.",
    "SALIC full train": "Measured while other jobs loaded the 2 cores (load 1–2; the SALIC rows of this run moved "
    "about 1.5–2× against a quiet run, the read pages too). Same database, same load, before/after issue 22: "
    "56.5 s → 32.1 s and peak 1,256 → 660 MB. What remains at 42k: loading the frames ~8 s, writing 42k "
    "score rows ~10 s on the server (JSON parsing, WAL, six indexes, foreign keys), fitting ~6.5 s "
    "(IsolationForest 1.8 s), Python and library start-up 2.7–3.7 s.",
    "SALIC rescore": "A rescore refits every segment of the affected areas (a small segment borrows its area's "
    "distribution, so an area is the smallest exact unit), scores their projects and writes them fresh while "
    "the other rows are copied inside the database. Same database and load, before/after issue 22: "
    "15.6 s → 11.9 s per command (the run itself 10.9 → 7.6 s; the rest is start-up and the one-line import). "
    "The run's remaining 7.6 s: copying 38.6k unchanged rows 2.1 s, writing the area's 3.4k rows 1 s, frames "
    "1.4 s, scoring 1 s. At 100k the changed area holds 21.7k projects, so the rescore grows with the area.",
    "project detail API": "Read in the same loaded run as the SALIC rows above (9.7 ms in a quiet run before).",
    "ranked list page (API)": "Read in the same loaded run as the SALIC rows above (48 ms in a quiet run before).",
    "project diagnosis page": "Read in the same loaded run as the SALIC rows above (56 ms in a quiet run before).",
}


def reading(rows: list[Row], errors: dict[str, str]) -> str:
    lines = []
    misses = [r for r in rows if r.verdict == "MISS"]
    unjudged = [r for r in rows if r.verdict == "—" and r.measured is not None]
    crashed = [r for r in rows if r.verdict == "crashed"]
    judged = [r for r in rows if r.verdict in ("pass", "MISS")]
    lines.append(f"- {len(judged) - len(misses)} of {len(judged)} rows with a target pass.")
    for row in misses:
        why = next((text for key, text in MISS_NOTES.items() if row.what.startswith(key) or key in row.what), "")
        lines.append(f"- **Miss**: {row.what}: {fmt(row.measured, row.unit)} against {table_cells(row)[2]}. {why}")
    if unjudged:
        lines.append(
            f"- {len(unjudged)} rows have no verdict because their target is stated for {DESIGN_SIZE:,} projects "
            "and this run measured another size."
        )
    for row in crashed:
        lines.append(f"- **Not measured**: {row.what} (its part crashed or did not run).")
    for name, error in errors.items():
        lines.append(f"- Part `{name}` failed: `{error.splitlines()[0]}`")
    return "\n".join(lines)


def _faq_scaling(results: dict) -> str:
    data = _one(results, "faq_speed")
    rows = []
    for s in data.get("sizes", []):
        o, r = s["ours"], s["reference"]
        rows.append([
            str(s["intents"]), f"{s['examples']:,}", f"{o['train_5fold_s']:.1f} / {r['train_5fold_s']:.1f}",
            f"{o['artifact_mb']:.2f} / {r['artifact_mb']:.2f}", f"{o['load_s']:.3f} / {r['load_s']:.3f}",
            f"{o['parse_p50_ms']:.2f} / {r['parse_p50_ms']:.2f}", f"{o['parse_p99_ms']:.2f} / {r['parse_p99_ms']:.2f}",
            f"{s['macro_f1']:.3f}",
        ])  # fmt: skip
    header = ["intents", "examples", "train + 5-fold (s)", "artifact (MB)", "load (s)", "parse p50 (ms)",
              "parse p99 (ms)", "our macro-F1"]  # fmt: skip
    cold = data.get("cold_lemma_table_s")
    text = markdown_table(header, rows) if rows else "_not run_"
    if cold is not None:
        text += f"\n\nEach cell is ours / reference. Reading the lemma table cold costs {cold:.1f} s once per process."
    return text


def _faq_quality(results: dict) -> str:
    data = _one(results, "faq_quality")
    sets = data.get("sets", [])
    if not sets:
        return "_not run_"
    rows = [
        [s["data set"], str(s["intents"]), f"{s['examples']:,}", str(s.get("dropped_duplicates", "—")),
         f"{s['ours']:.3f}", f"{s['reference']:.3f}", f"{100 * (s['ours'] - s['reference']):+.1f}",
         f"{100 * s['delta_spread']:.1f}" if "delta_spread" in s else "—",
         "pass" if s["ours"] - s["reference"] >= 0.03 else "MISS"]
        for s in sets
    ]  # fmt: skip
    text = markdown_table(
        ["data set", "intents", "examples kept", "duplicates dropped", "ours", "reference", "Δ (points)",
         "seed spread of Δ (points)", "≥ +3 points"],
        rows,
    )  # fmt: skip
    text += f"\n\nSeeds {data.get('seeds')}; both models are scored on exactly the de-duplicated examples."
    if all("reliability" in s for s in sets):
        text += "\n\n" + _faq_reliability(sets)
    return text


def _faq_reliability(sets: list[dict]) -> str:
    """Issue 19's figures at the operating point, per data set (seed 42), each with its target."""

    def verdict(ok: bool) -> str:
        return "pass" if ok else "MISS"

    rows = []
    for s in sets:
        r = s["reliability"]
        worst_kind, worst = min(r["perturbed_macro_f1"].items(), key=lambda item: item[1])
        gap = 100 * (r["clean_macro_f1"] - worst)
        name = s["data set"]
        rows += [
            [name, "answered right at the operating point (coverage)",
             f"{100 * r['answered_accuracy']:.1f}% ({100 * r['coverage']:.1f}% answered; "
             f"confidence ≥ {r['thresholds'][0]:.3f}, margin ≥ {r['thresholds'][1]:.2f})",
             "≥ 95%", verdict(r["answered_accuracy"] >= 0.95)],
            [name, "out-of-scope false accepts", f"{100 * r['oos_false_accept']:.1f}%", "≤ 5%",
             verdict(r["oos_false_accept"] <= 0.05)],
            [name, "macro-F1 clean → worst perturbation", f"{r['clean_macro_f1']:.3f} → {worst:.3f} ({worst_kind}, "
             f"−{gap:.1f} points; all at once {r['perturbed_macro_f1'].get('tudo junto', float('nan')):.3f})",
             "gap ≤ 5 points", verdict(gap <= 5)],
            [name, f"short utterances (1–3 words, n = {r['short_total']}) top-1 accuracy",
             f"{100 * r['short_accuracy']:.1f}% (at the operating point {100 * r['short_coverage']:.1f}% answered, "
             f"{100 * r['short_answered_accuracy']:.1f}% of them right)", "≥ 95%",
             verdict(r["short_accuracy"] >= 0.95)],
            [name, "expected calibration error (10 bins, cross-fitted temperature)", f"{r['ece']:.3f}", "≤ 0.05",
             verdict(r["ece"] <= 0.05)],
        ]  # fmt: skip
    return markdown_table(["data set", "figure", "measured", "target", "verdict"], rows)


def _salic_scaling(results: dict) -> str:
    rows = []
    for r in results.get("salic_scale") or []:
        reads = r.get("reads", {})
        rows.append([
            f"{r['projects']:,}", r["database"], f"{r['lines']:,}", f"{r['receipts']:,}",
            fmt(r.get("read_csv_s")), fmt(r["import_s"]), fmt(r["import_peak_mb"]), fmt(r["train_s"]),
            fmt(r["train_peak_mb"]), fmt(rescore_seconds(r)),
            fmt(_get(reads, "project_detail_api", "p95_ms")), fmt(_get(reads, "project_list_api", "p95_ms")),
            fmt(_get(reads, "dashboard_list", "p95_ms")), fmt(_get(reads, "dashboard_project", "p95_ms")),
            fmt(_get(reads, "plain_select_page", "p95_ms")), fmt(_get(r, "memory", "after_requests_mb")),
        ])  # fmt: skip
    header = ["projects", "DB", "budget lines", "receipts", "read_csv (s)", "import (s)", "import peak (MB)",
              "train + score (s)", "train peak (MB)", "rescore (s)", "detail API p95 (ms)", "list API p95 (ms)",
              "dashboard list p95 (ms)", "diagnosis p95 (ms)", "plain SELECT p95 (ms)", "web RSS, both models (MB)"]  # fmt: skip
    return markdown_table(header, rows) if rows else "_not run_"


def _live(results: dict) -> str:
    live = _one(results, "live")
    if not live:
        return "_not run_"
    parts = [f"Backend: {live['backend']}; stack set-up (migrate, demo content, both models) {live['setup_s']:.0f} s."]
    if "throughput" in live:
        t = live["throughput"]
        rows = [
            [name, fmt(t[key]["rps"]), fmt(t[key]["p50_ms"]), fmt(t[key]["p99_ms"]), str(t[key]["non_2xx"])]
            for name, key in (("trivial DRF `GET /api/ping/`", "trivial"), ("`POST /api/faq/parse/`", "parse"))
        ]
        if "chat" in t:
            rows.append(["`POST /api/faq/chat/` (a new conversation each)", fmt(t["chat"]["rps"]),
                         fmt(t["chat"]["p50_ms"]), fmt(t["chat"]["p99_ms"]), str(t["chat"]["non_2xx"])])  # fmt: skip
        rows.append(["**parse / ping**", f"**{t['ratio']:.2f}** (target ≥ 0.80)", "", "", ""])
        if "chat_cost_vs_parse" in t:
            rows.append(["**chat turn cost in parses**", f"**{t['chat_cost_vs_parse']:.2f}** (target ≤ 2)", "", "", ""])
        parts.append(markdown_table(["endpoint", "req/s", "p50 (ms)", "p99 (ms)", "non-2xx"], rows))
    if "edit" in live:
        e = live["edit"]
        run = e.get("run", {})
        parts.append(
            f"Admin edit → answering: {e['seconds']:.1f} s from the admin's save to the first parse answered "
            f"by the new model (v{e['model_before']} → v{e['model_after']}); of which the run waited "
            f"{run.get('queued_s') or 0:.1f} s (debounce) and trained + evaluated + gated {run.get('train_s') or 0:.1f} s."
        )
    if "soak" in live:
        s = live["soak"]
        growth = 100 * (s["memory_growth"] or 0)
        rows = [[
            f"{s['seconds']:.0f}", f"{s['requests']:,}", fmt(s["rps"]), fmt(s["p50_ms"]), fmt(s["p99_ms"]),
            str(s["non_2xx"]), str(s["socket_errors"]), fmt(s["memory_start_mb"]), fmt(s["memory_end_mb"]),
            f"{growth:+.1f}%", "yes" if s["workers_restarted"] else "no",
        ]]  # fmt: skip
        header = ["seconds", "requests", "req/s", "p50 (ms)", "p99 (ms)", "non-2xx", "socket errors",
                  "workers' RSS start (MB)", "end (MB)", "growth", "workers restarted"]  # fmt: skip
        verdict = "pass" if s["errors"] == 0 and growth <= 10 and not s["workers_restarted"] else "FAIL"
        parts.append(
            "Sustained mixed load (issue 10): parse, chat (each a logged conversation) and the indicator API "
            "(detail with a token, and list pages) in rotation.\n\n"
            + markdown_table(header, rows)
            + f"\n\nVerdict: **{verdict}** (0 errors and ≤ 10% growth of the two workers' memory required)."
        )
    return "\n\n".join(parts)


def _support(support: list[list[str]]) -> str:
    return f"Supporting rows:\n\n{markdown_table(HEADER, support)}\n\n" if support else ""


def growth_exponent(sizes: list[float], values: list[float]) -> float | None:
    """b in value ≈ a·size^b, least squares on the logs (None with fewer than three sizes)."""
    pairs = [(n, v) for n, v in zip(sizes, values, strict=True) if n and v]
    if len(pairs) < 3:
        return None
    import numpy as np

    logs = np.log(np.array(pairs, dtype=float))
    return float(np.polyfit(logs[:, 0], logs[:, 1], 1)[0])


def growth_text(what: str, exponent: float | None, size_word: str) -> str:
    if exponent is None:
        return ""
    if exponent < 0.3:
        shape = "nearly flat"
    elif exponent < 1.15:
        shape = "about linear" if exponent >= 0.85 else "sub-linear"
    elif exponent < 1.6:
        shape = "a little faster than linear (n log n or worse)"
    else:
        shape = "about quadratic" if exponent < 2.4 else "worse than quadratic"
    return f"{what} grows as {size_word}^{exponent:.2f} ({shape})."


def _workers_scaling(results: dict) -> str:
    rows = _one(results, "live").get("scaling") or []
    if not rows:
        return "_not run_"
    base = rows[0]
    table = [
        [str(r["workers"]), fmt(r["trivial"]["rps"]), fmt(r["parse"]["rps"]), fmt(r["chat"]["rps"]),
         f"{r['ratio']:.2f}", f"{r['chat_cost_vs_parse']:.2f}",
         f"{r['parse']['rps'] / base['parse']['rps']:.2f}×", f"{r['chat']['rps'] / base['chat']['rps']:.2f}×"]
        for r in rows
    ]  # fmt: skip
    header = ["gunicorn workers", "ping req/s", "parse req/s", "chat req/s", "parse / ping", "chat cost (parses)",
              f"parse vs {base['workers']} worker(s)", f"chat vs {base['workers']} worker(s)"]  # fmt: skip
    return markdown_table(header, table) + (
        "\n\nwrk runs on the same 2 cores as the server, so more workers than cores adds contention, not "
        "capacity: plan on one sync worker per core and scale out with machines (web processes share "
        "nothing but the database, the cache and the broker)."
    )


def _growth(results: dict) -> str:
    lines = []
    faq = _one(results, "faq_speed").get("sizes", [])
    if faq:
        exp = growth_exponent([s["intents"] for s in faq], [s["ours"]["train_5fold_s"] for s in faq])
        lines.append(growth_text("FAQ train + 5-fold time", exp, "intents"))
    salic = sorted(results.get("salic_scale") or [], key=lambda r: r["projects"])
    if salic:
        sizes = [r["projects"] for r in salic]
        for what, values in (
            ("SALIC import time", [r.get("import_s") for r in salic]),
            ("SALIC full train + score time", [r.get("train_s") for r in salic]),
            ("SALIC train peak memory", [r.get("train_peak_mb") for r in salic]),
            ("SALIC rescore time", [rescore_seconds(r) for r in salic]),
        ):
            lines.append(growth_text(what, growth_exponent(sizes, values), "projects"))
    lines = [f"- {line}" for line in lines if line]
    return "\n".join(lines) if lines else "_not enough sizes measured_"


APPENDIX = Path(__file__).with_name("standalone.md")


def _appendix() -> str:
    """Sections of the standalone benchmarks (faq_stories, salic_extracts, socketio_load): they are run on
    their own and their tables kept by hand in benchmarks/standalone.md, so a full run keeps them."""
    return "\n" + APPENDIX.read_text() if APPENDIX.exists() else ""


def _rerun_note(context: dict) -> str:
    rerun = context.get("rerun") or {}
    if not rerun:
        return ""
    parts = ", ".join(f"`{name}` ({day})" for name, day in sorted(rerun.items()))
    return f"\n\nParts rerun on their own after the full run (`python -m benchmarks --only …`): {parts}."


def markdown(context: dict, results: dict, rows: list[Row], errors: dict[str, str]) -> str:
    design = [table_cells(r) for r in rows if r.section == "design"]
    support = [table_cells(r) for r in rows if r.section != "design"]
    notes = [f"- {r.what}: {r.note}" for r in rows if r.note]
    return f"""# Benchmarks

Generated by `{context["command"]}` on {context["date"]} in {context["elapsed_s"] / 60:.0f} min ({context["mode"]} run,
{context["backend"]} backend). Machine: {context["machine"]}. Each reference was measured in the same run
as the number next to it, so the ratios are more trustworthy than the absolute values on a shared
2-core machine. Nothing here is asserted as a timing in the tests.{_rerun_note(context)}

## DESIGN §6

{markdown_table(HEADER, design)}

{_support(support)}{chr(10).join(notes)}

## Reading

{reading(rows, errors)}

## FAQ classifier quality

`python -m benchmarks.faq_quality --seeds …` — macro-F1 on stable stratified 5-fold CV (the same folds for
both) after de-duplication (a text kept once; a text under two intents dropped); reference: char_wb 2–5
TF-IDF (sublinear) + LinearSVC. The fixture set is the demo as `faq_demo` loads it (content.json plus the
dialogue's short replies). The second table is the training flow's reliability report (seed 42): the
thresholds chosen for 95% answered-right (never below the settings' floor 0.5 / 0.1), out-of-scope false
accepts on `fixtures/faq/out_of_scope.yml`, macro-F1 on perturbed copies of the held-out folds
(`faq_bot/perturb.py`), the 1–3-word slice, and the calibration error of out-of-fold probabilities.

{_faq_quality(results)}

## FAQ training cost by size

`python -m benchmarks.faq_speed --intents …` — synthetic intents (`benchmarks/synthetic.py`, seed 7) ×
20 examples; train + 5-fold = lemmatizer + 5-fold CV + final fit (reference: the same 5 folds + fit).

{_faq_scaling(results)}

## The running product

`python -m benchmarks.live …` — gunicorn with 2 sync workers (`--preload`), a Celery worker, the
database and broker of the backend; wrk (Debian) with 2 threads × 8 connections on the same machine,
after a warm-up; throttling off (one client address).

{_live(results)}

## SALIC by size

`python -m benchmarks.salic_scale --sizes … [--postgres]` — `salic_generate --seed 42`, each size in a
fresh database; every step is its own process (wall time includes ~1.5 s of Django start-up, peak
RSS from wait4). Reads are server time through Django's test client; the plain SELECT page is
`benchmarks/urls.py`. The web process memory is `benchmarks/memory_probe.py` on the same database.

{_salic_scaling(results)}

## Capacity planning

Throughput by gunicorn workers (`python -m benchmarks.live --only scaling --workers 1 2 4`), same
database and models:

{_workers_scaling(results)}

Fitted growth (least squares of log time on log size over the sizes above):

{_growth(results)}
{_appendix()}"""
