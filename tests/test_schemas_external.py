"""The shipped JSON Schemas work without regdoc: check-jsonschema (an independent validator) resolves their relative
references from the folder they lie in, accepts every shipped data file, and judges the bad corpus as regdoc's own
schema validation does. The editor mapping (.vscode/settings.json) covers every data file and agrees with
regdoc.data.schemas.FILES."""
from __future__ import annotations

import fnmatch
import json
from pathlib import Path

import pytest
from datatree import REPO
from test_bad_inputs import BAD, file_case

from regdoc.cli import main
from regdoc.data import schemas
from regdoc.data.yamldoc import parse_document
from regdoc.errors import RegdocError

SCHEMAS = REPO / "src" / "regdoc" / "data" / "schemas"
DATA = ("regulation", "resolutions", "evaluations", "organisations")


def check_jsonschema(schema: Path, files: list[Path]) -> dict:
    """Run check-jsonschema's command on `files` against `schema`; return its JSON report. The command runs in
    this process through click's test runner (its command line, output and exit code as in a shell; regdoc
    changes no state of jsonschema): a process of its own for each call took ~0.7 s of CPU to start."""
    try:  # the test extra installs it (pip install -e '.[test]')
        from check_jsonschema import main as command
    except ImportError:
        pytest.skip("check-jsonschema is not installed")
    from click.testing import CliRunner

    run = CliRunner().invoke(command, ["--output-format", "json", "--schemafile", str(schema), *map(str, files)],
                             catch_exceptions=False)
    report = json.loads(run.stdout)
    assert (report["status"] == "ok") == (run.exit_code == 0), run.stdout
    return report


def kind_of(rel: str) -> str | None:
    """Return the schema that describes a data file, by regdoc.data.schemas.FILES."""
    for kind, globs in schemas.FILES.items():
        if any(fnmatch.fnmatchcase(rel, g) and rel.count("/") == g.count("/") for g in globs):
            return kind
    return None


def test_the_schema_files_reference_each_other_by_relative_file_name():
    for path in SCHEMAS.glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert "urn:" not in text and '"$id"' not in text, path.name  # their base is where they lie
        for ref in json.loads(text).__repr__().split("'$ref': '")[1:]:
            target = ref.split("'")[0].partition("#")[0]
            assert target == "" or (SCHEMAS / target).is_file(), (path.name, target)


def test_the_editor_mapping_is_the_one_regdoc_knows():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = {Path(schema).stem: tuple(globs) for schema, globs in settings["yaml.schemas"].items()}
    assert mapping == {kind: tuple(globs) for kind, globs in schemas.FILES.items()}
    assert all((REPO / schema).is_file() for schema in settings["yaml.schemas"])


def test_check_jsonschema_accepts_every_shipped_data_file():
    files = sorted(p for d in DATA for p in (REPO / d).rglob("*.yaml"))
    assert len(files) >= 7
    by_kind: dict[str, list[Path]] = {}
    for path in files:
        kind = kind_of(path.relative_to(REPO).as_posix())
        assert kind is not None, f"{path}: no schema maps this data file (regdoc.data.schemas.FILES)"
        by_kind.setdefault(kind, []).append(path)
    for kind, paths in by_kind.items():
        report = check_jsonschema(SCHEMAS / f"{kind}.json", paths)
        assert report["status"] == "ok", report


def regdoc_judges(path: Path, data: bytes, kind: str) -> bool | None:
    """Return whether regdoc's own schema validation refuses the file, or None when it never reaches the schema
    (the YAML itself is refused: aliases, duplicate keys, bad bytes ...)."""
    try:
        doc = parse_document(data, path.name)
    except RegdocError:
        return None
    if kind == "version":  # as regdoc.tree.read decides it
        kind = "edition" if isinstance(doc.data, dict) and "edition" in doc.data else "amendment"
    return bool(schemas.validate(doc, kind))


def test_check_jsonschema_judges_the_bad_corpus_as_regdoc_does(tmp_path):
    """Every bad file of the corpus the schemas can judge (a data file of a mapped kind whose YAML regdoc reads):
    check-jsonschema refuses it exactly when regdoc's own schema validation does."""
    expected: dict[str, dict[Path, bool]] = {}
    for source in sorted(BAD.glob("*.yaml")):
        if source.name in ("commands.yaml", "generated.yaml"):  # not data files: lists of cases
            continue
        case = file_case(source)
        kind = kind_of(case.target)
        if kind is None:
            continue
        data = case.content()
        refused = regdoc_judges(source, data, kind)
        if refused is None:
            continue
        copy = tmp_path / kind / f"{source.stem}.yaml"
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(data)
        expected.setdefault(kind, {})[copy] = refused
    assert sum(len(v) for v in expected.values()) >= 40
    assert sum(refused for v in expected.values() for refused in v.values()) >= 10
    for kind, files in expected.items():
        report = check_jsonschema(SCHEMAS / f"{kind}.json", list(files))
        failing = {Path(e["filename"]) for e in report["errors"]} | \
                  {Path(e["filename"]) for e in report.get("parse_errors", [])}
        disagree = sorted(f.name for f, refused in files.items() if (f in failing) != refused)
        assert not disagree, (kind, disagree, report)


def test_regdoc_schemas_path_prints_the_folder_other_tools_validate_with(capsys, tmp_path):
    assert main(["schemas", "--path"]) == 0
    out, err = capsys.readouterr()
    folder = Path(out.strip())
    assert out == f"{folder}\n" and err == ""  # the result alone, on stdout: `$(regdoc schemas --path)`
    assert folder.samefile(Path(schemas.__file__).parent)
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(f"{k}.json" for k in schemas.KINDS)
    report = check_jsonschema(folder / "version.json", sorted((REPO / "regulation" / "versions").glob("*.yaml")))
    assert report["status"] == "ok", report


def test_regdoc_schemas_lists_the_schema_of_each_kind_of_data_file(capsys):
    assert main(["schemas"]) == 0
    lines = capsys.readouterr().out.splitlines()
    listed = {line.split()[0]: Path(line.split()[1]).name for line in lines}
    assert listed == {glob: f"{kind}.json" for kind, globs in schemas.FILES.items() for glob in globs}
