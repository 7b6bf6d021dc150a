"""Application functions for editing the data tree: versioned saves with git history, and composing an amendment.

- `save_files`: write files of the data tree through regdoc.files.write, refusing to save over a file changed
  since the edit was based on it (every edit carries the sha256 of the files it was based on), and commit
  exactly the files written when the tree is a git repository (author: the signed-in user).
- `amendment_yaml` / `read_amendment`: an amendment as plain data (the YAML mapping of regulation/versions/*.yaml,
  operations as mappings) <-> the file's text, written in the order and style of the shipped files.
- `preview_amendment`: what an amendment will produce, by the same code as the CLI: the amending text (kk, ru),
  the notes, the comparison of editions and Appendix 1, and the Regulation as it will read; every problem is
  attributed to the operation and field that caused it.
- `save_amendment`: save an amendment (final, into regulation/versions/, only when it has no error) or a draft
  (drafts/amendments/, any state: the data tree's reader does not read drafts).
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Optional

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from regdoc.app.workspace import data_tree
from regdoc.data import model as m
from regdoc.data.parse import parse_amendment
from regdoc.data.schemas import validate
from regdoc.data.yamldoc import MAX_BYTES, parse_document, safe_load
from regdoc.errors import CheckFailed, Problem, RegdocError
from regdoc.files import history
from regdoc.files.write import create_exclusive, folder_lock, os_error, replace_atomic
from regdoc.i18n import N_, _, ngettext
from regdoc.tree.check import amendment_rule_problems, semantic_problems
from regdoc.tree.read import VERSIONS_DIR, refuse_foreign_digits
from regdoc.versioning.amend import Edition, editions
from regdoc.versioning.amending import Line, amending_lines
from regdoc.versioning.diff import CriteriaDiff, EditionDiff, diff_criteria, diff_editions
from regdoc.versioning.notes import notes

DRAFTS_DIR = Path("drafts/amendments")
# The folders an edit may write into (relative to the data tree).
WRITABLE = ("regulation", "resolutions", "organisations", "evaluations", "drafts")
CONFLICT = N_("changed by someone else since you opened it")

# The order of keys in an amendment file and in an operation (that of the shipped files); keys not listed
# follow in the order given.
HEADER_KEYS = ("adopted_by", "in_force", "source", "regulation_ref", "justification", "as_issued", "ops")
OP_KEYS = ("op", "target", "after", "kind", "block", "source", "old", "new", "occurrence", "text", "title",
           "rule", "indicator", "ref", "justification", "criteria")
AS_ISSUED_KEYS = ("lang", "generated", "issued", "why")
ITEM_KEYS = ("number", "text", "amendment", "places", "rewards")
RESOLUTION_KEYS = ("id", "source", "title", "preamble", "evaluation", "items", "signatory")
SIGNATORY_KEYS = ("position", "name")
# Keys whose values are always written in block style (texts in two languages, lists of operations or items).
BLOCK_KEYS = ("ops", "as_issued", "items", "text", "title", "old", "new", "ref", "justification", "preamble",
              "position", "name", "signatory")
FLOW_WIDTH = 100  # a mapping or list of plain values is written on one line up to this width
_STEM = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[-_.][A-Za-z0-9]+)*$")
_OP_NODE = re.compile(r"^ops\[(\d+)\](?:\.(.+))?$")
_COMMENT = re.compile(r"(^|\s)#")


# ----- saving with versions -------------------------------------------------------------------------------------

def digest(data: Optional[bytes]) -> Optional[str]:
    """Return the sha256 (hex) of `data`, None for a file that does not exist."""
    return None if data is None else hashlib.sha256(data).hexdigest()


def _checked_rel(rel: str) -> Path:
    path = Path(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0] not in WRITABLE:
        raise RegdocError(_("an edit may write only under {folders} of the data tree").format(
            folders=", ".join(f"{f}/" for f in WRITABLE)), rel)
    refuse_foreign_digits(path)
    return path


def read_current(root: Path | str, rel: str) -> Optional[bytes]:
    """Return the present bytes of the data tree's file `rel`, None when it does not exist."""
    path = Path(root) / _checked_rel(rel)
    try:
        with open(path, "rb", opener=lambda p, f: os.open(p, f | getattr(os, "O_NOFOLLOW", 0))) as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise os_error(exc, rel, N_("read the file")) from None
    if len(data) > MAX_BYTES:
        raise RegdocError(_("file is larger than the limit of {max_bytes} bytes").format(max_bytes=MAX_BYTES), rel)
    return data


def version_of(root: Path | str, rel: str) -> Optional[str]:
    """Return the version (sha256) of the data tree's file `rel` to carry in an edit form, None when absent."""
    return digest(read_current(root, rel))


class Conflict(RegdocError):
    """A save refused because a file changed since the edit was based on it; both versions are kept."""

    def __init__(self, rel: str, theirs: Optional[bytes], mine: Optional[bytes]):
        super().__init__(_(CONFLICT), rel)
        self.rel = rel
        self.theirs = theirs  # the file as it is now (None: removed meanwhile)
        self.mine = mine  # what this edit would have written (None: removal)


@dataclass(frozen=True)
class Saved:
    """The outcome of a save: the files written or removed, their new versions, the commit (None: no git)."""

    paths: tuple[str, ...]
    versions: dict[str, Optional[str]]
    commit: Optional[str]


def save_files(root: Path | str, files: dict[str, Optional[bytes]], based_on: dict[str, Optional[str]],
               user: str, message: str) -> Saved:
    """Write `files` (relative path -> bytes, None to remove) into the data tree `root`.

    Each file's present version must equal `based_on[path]` (None: the file must not exist yet); otherwise
    Conflict is raised and nothing is written. Every file is written atomically; when one write or the commit
    fails, the files already written are put back as they were, and the error says why. When the tree is a git
    repository the save is one commit of exactly these files, by `user`, with `message`.
    """
    root = Path(root)
    rels = [_checked_rel(rel).as_posix() for rel in files]
    with folder_lock(root):
        before: dict[str, Optional[bytes]] = {}
        for rel in rels:
            now = read_current(root, rel)
            if digest(now) != based_on.get(rel):
                raise Conflict(rel, now, files[rel])
            before[rel] = now
        done: list[str] = []
        try:
            for rel in rels:
                _put(root, rel, files[rel], before[rel])
                done.append(rel)
            commit = history.commit_files(root, rels, user, message)
        except BaseException:
            for rel in reversed(done):
                try:
                    _put(root, rel, before[rel], files[rel])
                except RegdocError:
                    pass
            if done and history.is_repository(root):
                history.unstage(root, done)
            raise
    return Saved(tuple(rels), {rel: digest(files[rel]) for rel in rels}, commit)


def _put(root: Path, rel: str, data: Optional[bytes], previous: Optional[bytes]) -> None:
    path = root / rel
    if data is None:
        if previous is not None:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise os_error(exc, rel, N_("remove the file")) from None
        return
    if not path.parent.is_dir():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(exc, path.parent, N_("create the folder")) from None
    if previous is None:
        try:
            create_exclusive(path, data)
        except FileExistsError:
            raise Conflict(rel, read_current(root, rel), data) from None
    else:
        replace_atomic(path, data)


def history_of(root: Path | str, limit: int = history.MAX_LOG) -> tuple[history.Commit, ...]:
    """Return the commits of the data tree (newest first) with their diffs; empty when it is not in git."""
    return history.log(root, limit)


# ----- the amendment file as plain data <-> text ----------------------------------------------------------------

_resolver = Resolver()


def _plain_ok(s: str) -> bool:
    if not s or s != s.strip() or not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-/]*", s):
        return False
    tag = _resolver.resolve(ScalarNode, s, (True, False))
    return tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp")


def _quoted(s: str) -> str:
    out = json.dumps(s, ensure_ascii=False)
    for ch in ("\u0085", "\u2028", "\u2029"):
        out = out.replace(ch, f"\\u{ord(ch):04x}")
    return out


def _scalar(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (float, Decimal)):
        if isinstance(v, float) and not math.isfinite(v):
            raise RegdocError(_("the number {value} cannot be written").format(value=v))
        text = repr(v) if isinstance(v, float) else str(v)
        if "e" in text.lower():
            text = format(Decimal(text), "f")
        return text
    if isinstance(v, str):
        return v if _plain_ok(v) else _quoted(v)
    raise RegdocError(_("cannot write a value of type {kind} in an amendment file").format(kind=type(v).__name__))


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, (bool, int, float, Decimal)) or (isinstance(v, str) and "\n" not in v)


def _flow(v: Any) -> Optional[str]:
    """Return `v` in flow style when it is a small mapping or list of plain values, else None."""
    if isinstance(v, list):
        if not v:
            return "[]"
        if all(_is_scalar(x) for x in v):
            return "[" + ", ".join(_scalar(x) for x in v) + "]"
        return None
    if isinstance(v, dict):
        if not v:
            return "{}"
        parts = []
        for k, x in v.items():
            if isinstance(x, str) and " " in x:
                return None
            if isinstance(x, list):
                inner = _flow(x)
                if inner is None:
                    return None
                parts.append(f"{_scalar(str(k))}: {inner}")
            elif _is_scalar(x):
                parts.append(f"{_scalar(str(k))}: {_scalar(x)}")
            else:
                return None
        return "{" + ", ".join(parts) + "}"
    return None


def _literal_ok(s: str) -> bool:
    lines = s.split("\n")
    return ("\r" not in s and not s.endswith("\n") and not s.startswith((" ", "\t"))
            and all(line == line.rstrip() for line in lines) and all(lines))


def _ordered(d: dict, keys: tuple[str, ...]) -> list[tuple[str, Any]]:
    first = [(k, d[k]) for k in keys if k in d]
    return first + [(k, v) for k, v in d.items() if k not in keys]


def _emit_value(key: str, v: Any, pad: str, out: list[str], order: Optional[tuple] = None) -> None:
    head = f"{pad}{_scalar(str(key))}:"
    if isinstance(v, str) and "\n" in v and _literal_ok(v):
        out.append(head + " |-")
        out.extend(f"{pad}  {line}" for line in v.split("\n"))
        return
    if _is_scalar(v) or isinstance(v, str):
        out.append(f"{head} {_scalar(v)}")
        return
    flow = _flow(v)
    if flow is not None and (key not in BLOCK_KEYS or not v) and len(head) + 1 + len(flow) <= FLOW_WIDTH:
        out.append(f"{head} {flow}")
        return
    out.append(head)
    if isinstance(v, dict):
        _emit_mapping(v, pad + "  ", out)
    else:
        _emit_list(key, v, pad + "  ", out)


def _emit_mapping(d: dict, pad: str, out: list[str], keys: tuple[str, ...] = ()) -> None:
    for k, v in _ordered(d, keys):
        if k == "signatory" and isinstance(v, dict):
            out.append(f"{pad}signatory:")
            _emit_mapping(v, pad + "  ", out, SIGNATORY_KEYS)
            continue
        _emit_value(k, v, pad, out)


def _emit_list(key: str, items: list, pad: str, out: list[str]) -> None:
    keys = {"ops": OP_KEYS, "as_issued": AS_ISSUED_KEYS, "items": ITEM_KEYS}.get(key, ())
    for item in items:
        if isinstance(item, dict) and item:
            flow = _flow(item) if key not in ("ops", "as_issued", "items") else None
            if flow is not None and len(pad) + 2 + len(flow) <= FLOW_WIDTH:
                out.append(f"{pad}- {flow}")
                continue
            sub: list[str] = []
            _emit_mapping(item, pad + "  ", sub, keys)
            sub[0] = f"{pad}- " + sub[0][len(pad) + 2:]
            out.extend(sub)
        elif isinstance(item, list) and _flow(item) is not None:
            out.append(f"{pad}- {_flow(item)}")
        elif isinstance(item, str) and "\n" in item and _literal_ok(item):
            out.append(f"{pad}- |-")
            out.extend(f"{pad}  {line}" for line in item.split("\n"))
        elif _is_scalar(item) or isinstance(item, str):
            out.append(f"{pad}- {_scalar(item)}")
        else:
            raise RegdocError(_("cannot write a nested list under {key} in an amendment file").format(key=key))


def amendment_yaml(data: dict, comment: Optional[str] = None) -> str:
    """Return the text of the amendment file holding `data` (the YAML mapping: adopted_by, in_force, source,
    regulation_ref, ops ...) in the order and style of the shipped files; `comment` becomes its first lines."""
    return _document_yaml(data, HEADER_KEYS, comment)


def resolution_yaml(data: dict, comment: Optional[str] = None) -> str:
    """Return the text of the resolution file holding `data` (id, source, title, preamble, evaluation, items,
    signatory) in the order and style of the shipped files."""
    return _document_yaml(data, RESOLUTION_KEYS, comment)


def _document_yaml(data: dict, keys: tuple[str, ...], comment: Optional[str]) -> str:
    out: list[str] = []
    if comment:
        out.extend(("# " + line).rstrip() for line in comment.splitlines())
    _emit_mapping(data, "", out, keys)
    text = "\n".join(out) + "\n"
    # What is written must read back as the same data (the writer's own check: never a file that reads otherwise),
    # read with the safe loader and the parser regdoc reads its files with (yamldoc.safe_load: libyaml's, where
    # PyYAML's own took eight times as long, 1.6 ms against 0.2 ms for the text of a form; every preview and save
    # of the composer and of a resolution writes one).
    back = safe_load(text)
    if _normal(back) != _normal(data):
        raise RegdocError(_("internal error: the amendment file written would not read back as the same data"))
    return text


def _normal(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _normal(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_normal(x) for x in v]
    if isinstance(v, Decimal):
        return float(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


@dataclass(frozen=True)
class AmendmentFile:
    """An amendment file read back for editing: its data, its version, and whether saving loses comments."""

    rel: str
    data: dict
    version: Optional[str]
    has_comments: bool
    draft: bool


def amendment_path(name: str, draft: bool = False) -> str:
    """Return the data tree's path of the amendment (or draft) named `name` (a file stem such as 2027-02-12)."""
    if not _STEM.match(name or ""):
        raise RegdocError(_("'{name}' is not a name for an amendment file: use its in-force date YYYY-MM-DD, "
                            "optionally followed by -a letter or word").format(name=name))
    return ((DRAFTS_DIR if draft else VERSIONS_DIR) / f"{name}.yaml").as_posix()


def read_amendment(root: Path | str, name: str, draft: bool = False) -> AmendmentFile:
    """Return the amendment file `name` (or its draft) as plain data for editing, with its version; a file
    written by hand is read whole, and `has_comments` tells that saving it again drops its comments."""
    rel = amendment_path(name, draft)
    raw = read_current(root, rel)
    if raw is None:
        raise RegdocError(_("no such file"), rel)
    doc = parse_document(raw, rel)
    if not isinstance(doc.data, dict) or "edition" in doc.data:
        raise RegdocError(_("not an amendment file (the initial edition is not edited here)"), rel)
    text = raw.decode("utf-8")
    comments = any(_COMMENT.search(line) for line in text.splitlines()
                   if line.lstrip().startswith("#") or "#" in line)
    return AmendmentFile(rel, doc.data, digest(raw), comments, draft)


def read_amendment_text(text: str, shown: str = "amendment") -> dict:
    """Return the plain data of an amendment file's `text` (safe YAML; `shown` names it in messages)."""
    doc = parse_document(text.encode("utf-8"), shown)
    if not isinstance(doc.data, dict):
        raise RegdocError(_("not an amendment file"), shown)
    return doc.data


def new_amendment(root: Path | str, adopted_by: str, in_force: str, source: str = "issued") -> dict:
    """Return the data of a new amendment: its resolution, its in-force date, and the name of the Regulation as
    the latest amendment (in force before it) names it, with no operations yet."""
    tree = data_tree(root)
    data: dict = {"adopted_by": adopted_by, "in_force": in_force, "source": source}
    earlier = [a for a in tree.amendments if a.regulation_ref is not None and a.in_force.isoformat() <= in_force]
    if earlier:
        ref = earlier[-1].regulation_ref
        data["regulation_ref"] = {lang: ref[lang] for lang in m.LANGS}
    data["ops"] = []
    return data


# ----- preview ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OpProblem:
    """A problem of an amendment being composed: the operation (index in ops, None: the amendment itself) and
    the field (dotted, within the operation) that caused it."""

    severity: str
    message: str
    op: Optional[int]
    field: Optional[str]
    line: Optional[int]
    file: Optional[str]

    @classmethod
    def of(cls, p: Problem, rel: str) -> "OpProblem":
        op, fld = None, p.node
        if p.file == rel and p.node:
            hit = _OP_NODE.match(p.node)
            if hit:
                op, fld = int(hit[1]), hit[2]
        return cls(p.severity, p.message, op, fld, p.line if p.file == rel else None, p.file)


@dataclass(frozen=True)
class AmendmentPreview:
    """What an amendment will produce, made by the code of the CLI."""

    rel: str
    yaml: str
    problems: tuple[OpProblem, ...]
    amendment: Optional[m.Amendment] = None
    item: Optional[int] = None  # the resolution item whose amending text this is
    amending: dict = field(default_factory=dict)  # lang -> tuple[Line, ...]
    notes: dict = field(default_factory=dict)  # target -> {lang: [note, ...]}
    before: Optional[Edition] = None
    after: Optional[Edition] = None
    diff: Optional[EditionDiff] = None
    criteria: Optional[CriteriaDiff] = None

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def _op_targets(amendment: m.Amendment) -> list[str]:
    out: list[str] = []
    for op in amendment.ops:
        target = "appendix-1" if op.op in ("replace_appendix", "add_indicator", "remove_indicator",
                                           "change_indicator") else op.target
        if target not in out:
            out.append(target)
    return out


def _read_back(data: dict, rel: str, kind: str, to_yaml, parse, problem) -> tuple[str, Any, tuple]:
    """Write `data` as the YAML of a `kind` file, then read it back as regdoc reads that file: parse, validate
    against the schema, build the model. Return (text, model, ()) or, at the first stage that fails, (text, None,
    problems), each problem placed by `problem(Problem, rel)` (an unreadable text: by operation, with no text)."""
    try:
        text = to_yaml(data)
        doc = parse_document(text.encode("utf-8"), rel)
    except RegdocError as err:
        return "", None, (OpProblem.of(Problem.from_error(err), rel),)
    errors = validate(doc, kind)
    if errors:
        return text, None, tuple(problem(Problem.from_error(e), rel) for e in errors)
    try:
        return text, parse(doc), ()
    except RegdocError as err:
        return text, None, (problem(Problem.from_error(err), rel),)


def preview_amendment(root: Path | str, data: dict, name: Optional[str] = None) -> AmendmentPreview:
    """Return the preview of the amendment `data` as it would stand in the data tree `root` under the name
    `name` (default: its in-force date), replacing a file of that name: its YAML, its problems (each tied to an
    operation and field), and, when it has no error, the amending text in kk and ru, the notes of the units it
    changes, the comparison of the editions before and after it, and the edition after it."""
    name = name or str(data.get("in_force", ""))
    rel = amendment_path(name)
    text, amendment, problems = _read_back(data, rel, "amendment", amendment_yaml, parse_amendment, OpProblem.of)
    if amendment is None:
        return AmendmentPreview(rel, text, problems)
    tree = data_tree(root)
    others = [a for a in tree.amendments if a.name != name]
    amendments = tuple(sorted(others + [amendment], key=lambda a: (a.in_force, a.name)))
    trial = replace(tree, amendments=amendments)
    # what `regdoc check` finds: the semantic problems, and those of the rules the amendment states (a new
    # indicator's rule must suit its unit), so that a saved amendment always passes the check
    found = list(dict.fromkeys(semantic_problems(trial) + amendment_rule_problems([amendment])))
    problems = tuple(OpProblem.of(p, rel) for p in found)
    preview = AmendmentPreview(rel, text, problems, amendment)
    if not preview.ok:
        return preview
    k = amendments.index(amendment)
    all_editions = editions(tree.initial, amendments)
    before, after = all_editions[k], all_editions[k + 1]
    item = next((it.number for r in tree.resolutions for it in r.items if it.amendment == name),
                1)
    found: list[OpProblem] = list(problems)
    amending = {}
    for lang in m.LANGS:
        try:
            amending[lang] = amending_lines(amendment, item, lang, tree.regulation, before=before)
        except RegdocError as err:
            found.append(OpProblem.of(Problem.from_error(err), rel))
    unit_notes = {}
    for target in _op_targets(amendment):
        try:
            unit_notes[target] = {lang: notes(after, target, lang, tree.regulation) for lang in m.LANGS}
        except RegdocError:
            continue  # a unit that no longer stands (deleted with its parent) has no notes of its own
    return replace(preview, problems=tuple(found), item=item, amending=amending, notes=unit_notes,
                   before=before, after=after, diff=diff_editions(before, after),
                   criteria=diff_criteria(before.appendix, after.appendix))


# ----- choosing what an operation changes ------------------------------------------------------------------------

def edition_before(root: Path | str, in_force: str, name: Optional[str] = None) -> Optional[Edition]:
    """Return the edition an amendment in force from `in_force` (named `name`, default its date) applies to: the
    Regulation after every other amendment ordered before it, as preview_amendment orders them; None when
    `in_force` is not a date."""
    from datetime import date

    try:
        when = date.fromisoformat(str(in_force))
    except ValueError:
        return None
    name = name or str(in_force)
    tree = data_tree(root)
    earlier = sorted((a for a in tree.amendments if a.name != name and (a.in_force, a.name) < (when, name)),
                     key=lambda a: (a.in_force, a.name))
    return editions(tree.initial, earlier)[-1]


@dataclass(frozen=True)
class Word:
    """A whole word (a token: a word, a number, a punctuation mark) of a unit's text, at text[start:end]."""

    start: int
    end: int
    text: str


def words_of(text: str) -> tuple[Word, ...]:
    """Return the tokens of `text` that can be chosen as the words a replace_words operation replaces (every token
    but spaces), by the tokens the operation itself counts whole words by."""
    from regdoc.phrasing.common import token_spans

    return tuple(Word(a, b, text[a:b]) for a, b in token_spans(text) if text[a:b].strip())


def picked_words(texts: dict[str, str], picks: dict[str, tuple[int, int]]) -> tuple[dict[str, str], Any]:
    """Return the words chosen in each language (text[start:end] of the unit's text in that language, from the start
    of one whole word to the end of another) and the occurrence the operation names (None when they occur once
    in each language, else their number among the whole-word occurrences, which must be the same in both). Raise
    RegdocError naming the field (old.kk ...) when a choice is not whole words of the text."""
    from regdoc.versioning.amend import whole_word_starts

    old: dict[str, str] = {}
    found: dict[str, tuple[int, int]] = {}
    for lang, (start, end) in picks.items():
        text = texts.get(lang, "")
        starts = {w.start for w in words_of(text)}
        ends = {w.end for w in words_of(text)}
        if not (0 <= start < end <= len(text)) or start not in starts or end not in ends:
            raise RegdocError(_("choose whole words of the unit's text"), node=f"old.{lang}")
        old[lang] = text[start:end]
        at, _inside = whole_word_starts(text, old[lang])
        found[lang] = (at.index(start) + 1, len(at))
    if all(count == 1 for _n, count in found.values()):
        return old, None
    numbers = {n for n, _count in found.values()}
    if len(numbers) > 1:
        raise RegdocError(_("the words chosen are occurrence {kk} in the Kazakh text and {ru} in the Russian text; "
                            "one operation replaces the same occurrence in both").format(
            kk=found.get("kk", (1, 1))[0], ru=found.get("ru", (1, 1))[0]), node="occurrence")
    return old, numbers.pop()


def proposed_number(edition: Edition, after: str, first_child: bool = False) -> tuple[Optional[str], str]:
    """Return the number a unit inserted after unit `after` (or, with `first_child`, as its first sub-unit) takes
    by the numbering of Kazakhstan's acts (versioning.amend.suggest_number: 4.3-1 after 4.3), and, when no number
    fits, None with the reason."""
    from regdoc.versioning.amend import suggest_number

    if edition.unit(after) is None:
        return None, _("unit {unit} does not exist in the edition in force before the amendment").format(unit=after)
    number = suggest_number(edition.units, after, first_child)
    if number is not None:
        return number, ""
    if first_child:
        return None, _("{unit} has sub-units already: insert after its last sub-unit").format(unit=after)
    parent = m.parent_of(after)
    following = min((u.id for u in edition.units if m.parent_of(u.id) == parent
                     and m.number_key(u.id) > m.number_key(after)), key=m.number_key)
    return None, _("no number fits between {after} and {following}: insert after {following}").format(
        after=after, following=following)


# ----- saving an amendment ---------------------------------------------------------------------------------------

def commit_message(amendment_name: str, ops: Iterable[dict]) -> str:
    """Return the commit message of a save of the amendment `amendment_name` in the interface language,
    e.g. «2027-02-12 өзгерістер: 4.3-1-тармақ қосылды»."""
    parts = []
    for op in ops:
        kind, target = op.get("op"), str(op.get("target", ""))
        if kind == "insert":
            parts.append(_("unit {unit} inserted").format(unit=target))
        elif kind == "delete":
            parts.append(_("unit {unit} deleted").format(unit=target))
        elif kind == "replace":
            parts.append(_("unit {unit} reworded").format(unit=target))
        elif kind == "replace_words":
            parts.append(_("words replaced in {unit}").format(unit=target))
        elif kind == "replace_appendix":
            parts.append(_("Appendix 1 replaced"))
        elif kind == "add_indicator":
            parts.append(_("indicator {id} added").format(id=target))
        elif kind == "remove_indicator":
            parts.append(_("indicator {id} removed").format(id=target))
        elif kind == "change_indicator":
            parts.append(_("indicator {id} changed").format(id=target))
    summary = "; ".join(parts) if parts else _("no operations yet")
    return _("{name} amendment: {summary}").format(name=amendment_name, summary=summary)


def save_amendment(root: Path | str, data: dict, based_on: Optional[str], user: str, *, draft: bool = False,
                   name: Optional[str] = None, draft_based_on: Optional[str] = None) -> Saved:
    """Save the amendment `data` as `name` (default: its in-force date).

    A final save refuses an amendment with errors (CheckFailed listing them), writes regulation/versions/<name>.yaml
    and removes its draft (whose version the edit carries as `draft_based_on`, when it came from one). A draft
    is saved in any state under drafts/amendments/. `based_on` is the version the edit was based on (None: a
    new file). One commit when the tree is in git.
    """
    name = name or str(data.get("in_force", ""))
    ops = data.get("ops") or []
    message = commit_message(name, ops if isinstance(ops, list) else [])
    if draft:
        rel = amendment_path(name, draft=True)
        text = amendment_yaml(data)
        return save_files(root, {rel: text.encode("utf-8")}, {rel: based_on}, user,
                          message + " " + _("(draft)"))
    preview = preview_amendment(root, data, name)
    errors = [p for p in preview.problems if p.severity == "error"]
    if errors:
        raise CheckFailed([Problem(p.severity, p.message, p.file, p.line,
                                   (f"ops[{p.op}]" + (f".{p.field}" if p.field else "")) if p.op is not None
                                   else p.field) for p in preview.problems])
    files: dict[str, Optional[bytes]] = {preview.rel: preview.yaml.encode("utf-8")}
    versions: dict[str, Optional[str]] = {preview.rel: based_on}
    draft_rel = amendment_path(name, draft=True)
    if draft_based_on is not None:
        files[draft_rel] = None
        versions[draft_rel] = draft_based_on
    return save_files(root, files, versions, user, message)


def drafts(root: Path | str) -> tuple[str, ...]:
    """Return the names of the amendment drafts kept in the data tree."""
    folder = Path(root) / DRAFTS_DIR
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.stem for p in folder.glob("*.yaml") if p.is_file() and _STEM.match(p.stem)))


# ----- collecting a year's returns --------------------------------------------------------------------------------

MAX_RETURNS = 200  # files in one upload (the Union has some twenty member organisations)


@dataclass(frozen=True)
class ValueChange:
    """One value the returns change against the evaluation held: None for a value not held (or not reported)."""

    organisation: str
    value: str  # the indicator id, or for a ratio the id of its input
    old: Optional[str]
    new: Optional[str]


@dataclass(frozen=True)
class ReturnsPreview:
    """What importing the returns of `year` would write (app.scoring.import_returns, dry run), before anything is
    written: every problem of every file (nothing can be written while there is one), the evaluation file it gives,
    the version of the file held now (the save is based on it), the values it changes, the organisations these
    returns give and the members that have not reported yet; `replacing`: an evaluation written or edited by hand
    is replaced (kept beside it as evaluation.before-import-N.yaml)."""

    year: int
    rel: str
    problems: tuple[Problem, ...]
    text: Optional[str]
    version: Optional[str]
    changes: tuple[ValueChange, ...] = ()
    given: tuple[str, ...] = ()
    not_reported: tuple[str, ...] = ()
    unchanged: bool = False
    replacing: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and self.text is not None


def _values(report: Optional[m.Report]) -> dict[str, Optional[str]]:
    from regdoc.scoring.results import number

    if report is None:
        return {}
    out: dict[str, Optional[str]] = {k: str(number(v)) for k, v in report.values.items()}
    for k in report.not_reported:
        out[k] = None
    return out


def held_reports(root: Path | str, year: int) -> Optional[dict[str, m.Report]]:
    """Return the reports the evaluation of `year` holds now, by organisation (None when there is no file or it
    does not read)."""
    from regdoc.app.workspace import evaluation
    from regdoc.tree.read import evaluation_path

    if not (Path(root) / evaluation_path(year)).is_file():
        return None
    try:
        return {r.organisation: r for r in evaluation(root, year).reports}
    except RegdocError:
        return None


def reporting_status(root: Path | str, year: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the member organisations whose values the evaluation of `year` holds, and those it does not."""
    from regdoc.tree.read import member_ids

    held = held_reports(root, year) or {}
    members = member_ids(data_tree(root))
    return tuple(o for o in members if o in held), tuple(o for o in members if o not in held)


def preview_returns(root: Path | str, year: int, sources: list[tuple[str, bytes]], *,
                    replace: bool = False) -> ReturnsPreview:
    """Return what importing `sources` ((file name, bytes) pairs) as the returns of `year` would write (see
    ReturnsPreview). Nothing is written."""
    from regdoc.app.scoring import import_returns
    from regdoc.tree.read import evaluation_path

    if len(sources) > MAX_RETURNS:
        raise RegdocError(_("send at most {limit} files at once").format(limit=MAX_RETURNS))
    rel = evaluation_path(year).as_posix()
    version = version_of(root, rel)
    imported = import_returns(root, year, sources, dry_run=True, replace=replace)
    _done, not_reported = reporting_status(root, year)
    if imported.problems or imported.evaluation is None:
        return ReturnsPreview(year, rel, tuple(imported.problems), None, version, not_reported=not_reported)
    held = held_reports(root, year) or {}
    new = {r.organisation: r for r in imported.evaluation.reports}
    changes = []
    for org, report in new.items():
        old_values, new_values = _values(held.get(org)), _values(report)
        for key in sorted(set(old_values) | set(new_values)):
            if old_values.get(key) != new_values.get(key) or (key in old_values) != (key in new_values):
                changes.append(ValueChange(org, key, old_values.get(key), new_values.get(key)))
    given = tuple(dict.fromkeys(o for source in imported.sources for o in source.organisations))
    return ReturnsPreview(year, rel, (), imported.text, version, tuple(changes), given,
                          tuple(o for o in not_reported if o not in new), imported.unchanged,
                          bool(imported.replaced))


def save_returns(root: Path | str, year: int, sources: list[tuple[str, bytes]], based_on: Optional[str], user: str,
                 *, replace: bool = False) -> Saved:
    """Import `sources` as the returns of `year`: checked again as preview_returns checks them, then written as one
    versioned save (refused, as every save, when the evaluation changed since the preview it was based on; one
    commit by `user` when the tree is in git). An evaluation written or edited by hand is replaced only with
    `replace`, and kept beside it as evaluation.before-import-N.yaml. Raise CheckFailed on any problem."""
    preview = preview_returns(root, year, sources, replace=replace)
    if not preview.ok:
        raise CheckFailed(list(preview.problems) or [Problem("error", _("the returns give no evaluation"),
                                                             preview.rel)])
    if preview.version != based_on:
        raise Conflict(preview.rel, read_current(root, preview.rel), preview.text.encode("utf-8"))
    if preview.unchanged:
        return Saved((), {}, None)
    files: dict[str, Optional[bytes]] = {preview.rel: preview.text.encode("utf-8")}
    versions: dict[str, Optional[str]] = {preview.rel: based_on}
    if preview.replacing and based_on is not None:
        folder = Path(preview.rel).parent
        n = 1
        while (Path(root) / folder / f"evaluation.before-import-{n}.yaml").exists():
            n += 1
        kept = (folder / f"evaluation.before-import-{n}.yaml").as_posix()
        files[kept] = read_current(root, preview.rel)
        versions[kept] = None
    count = len(preview.given)
    return save_files(root, files, versions, user,
                      ngettext("{year} evaluation: the returns of {count} organisation imported",
                               "{year} evaluation: the returns of {count} organisations imported", count).format(
                          year=year, count=count))


def amendment_text(preview: AmendmentPreview, lang: str) -> str:
    """Return the amending text of a preview in `lang` as plain text (one paragraph a line)."""
    lines: tuple[Line, ...] = preview.amending.get(lang, ())
    return "\n".join(line.text for line in lines)


__all__ = ["ReturnsPreview", "ValueChange", "held_reports", "preview_returns", "reporting_status",
           "save_returns", "DraftDocument", "resolution_document", "Word", "edition_before", "words_of", "picked_words", "proposed_number", "AmendmentFile", "AmendmentPreview", "Conflict", "OpProblem", "Saved", "amendment_path",
           "amendment_text", "amendment_yaml", "read_amendment_text", "commit_message", "digest", "drafts", "history_of",
           "new_amendment", "preview_amendment", "read_amendment", "read_current",
           "save_amendment", "save_files", "version_of", "read_resolution", "preview_resolution",
           "resolution_path", "resolution_yaml", "save_resolution"]


# ----- drafting a resolution -------------------------------------------------------------------------------------

RESOLUTION_DRAFTS = Path("drafts/resolutions")
_RESOLUTION_STEM = re.compile(r"^([0-9]{4})-[0-9]{2}-[0-9]{2}-[0-9]{1,4}-[0-9]{1,4}$")
READ_ONLY = N_("a final resolution is read-only; changing it needs a new resolution")


def resolution_path(stem: str, draft: bool = False) -> str:
    """Return the data tree's path of the resolution (or its draft) whose file stem is `stem` (2027-02-12-3-5)."""
    hit = _RESOLUTION_STEM.match(stem or "")
    if not hit:
        raise RegdocError(_("'{stem}' is not the file name of a resolution (YYYY-MM-DD-meeting-item)").format(
            stem=stem))
    if draft:
        return (RESOLUTION_DRAFTS / f"{stem}.yaml").as_posix()
    return f"resolutions/{hit[1]}/{stem}.yaml"


@dataclass(frozen=True)
class ResolutionFile:
    """A resolution opened for editing: its data (the draft's when one is kept), the versions of the resolution's
    file and of its draft, and whether it is final (no placeholder left: read-only in the browser)."""

    stem: str
    data: dict
    version: Optional[str]
    draft_version: Optional[str]
    final: bool


def _parsed_resolution(raw: bytes, rel: str) -> tuple[dict, Optional[m.Resolution]]:
    from regdoc.data.parse import parse_resolution

    doc = parse_document(raw, rel)
    if not isinstance(doc.data, dict):
        raise RegdocError(_("not a resolution file"), rel)
    if validate(doc, "resolution"):
        return doc.data, None
    return doc.data, parse_resolution(doc)


def read_resolution(root: Path | str, stem: str) -> ResolutionFile:
    """Return the resolution `stem` for editing (its draft when one is kept)."""
    from regdoc.registry.numbering import is_draft

    rel, draft_rel = resolution_path(stem), resolution_path(stem, draft=True)
    raw = read_current(root, rel)
    if raw is None:
        raise RegdocError(_("no such file"), rel)
    data, parsed = _parsed_resolution(raw, rel)
    final = parsed is not None and not is_draft(parsed)
    draft_raw = None if final else read_current(root, draft_rel)
    if draft_raw is not None:
        data = parse_document(draft_raw, draft_rel).data
    return ResolutionFile(stem, data, digest(raw), digest(draft_raw), final)


@dataclass(frozen=True)
class ResolutionPreview:
    """The resolution as it will print: its problems (by item and field), and the amending text of each item that
    adopts an amendment, in kk and ru."""

    rel: str
    yaml: str
    problems: tuple[OpProblem, ...]
    resolution: Optional[m.Resolution] = None
    amending: dict = field(default_factory=dict)  # item number -> {lang: text}
    final: bool = False

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def preview_resolution(root: Path | str, stem: str, data: dict) -> ResolutionPreview:
    """Return the preview of the resolution `stem` holding `data`, checked with the rest of the data tree."""
    from regdoc.data.parse import parse_resolution
    from regdoc.registry.numbering import is_draft

    rel = resolution_path(stem)
    text, resolution, problems = _read_back(data, rel, "resolution", resolution_yaml, parse_resolution, _item_problem)
    if resolution is None:
        return ResolutionPreview(rel, text, problems)
    if resolution.id.file_stem != stem:
        return ResolutionPreview(rel, text, (OpProblem("error", _("the id must stay {id}: a resolution's number "
                                                                  "never changes").format(id=stem), None, "id",
                                                       None, rel),))
    tree = data_tree(root)
    others = [r for r in tree.resolutions if r.id != resolution.id]
    trial = replace(tree, resolutions=tuple(sorted(others + [resolution], key=lambda r: r.id)))
    problems = [_item_problem(p, rel) for p in semantic_problems(trial) if p.file == rel or p.severity == "error"]
    amending: dict = {}
    ordered = sorted(tree.amendments, key=lambda a: (a.in_force, a.name))
    for item in resolution.items:
        if not item.amendment:
            continue
        k = next((i for i, a in enumerate(ordered) if a.name == item.amendment), None)
        if k is None:
            continue  # semantic_problems names the missing amendment
        before = editions(tree.initial, ordered[:k])[-1] if k else editions(tree.initial, ())[0]
        try:
            amending[item.number] = {lang: "\n".join(line.text for line in amending_lines(
                ordered[k], item.number, lang, tree.regulation, before=before)) for lang in m.LANGS}
        except RegdocError as err:
            problems.append(_item_problem(Problem.from_error(err), rel))
    return ResolutionPreview(rel, text, tuple(problems), resolution, amending, not is_draft(resolution))


@dataclass(frozen=True)
class DraftDocument:
    """The .docx a resolution being drafted will produce in one language: its file name and bytes."""

    filename: str
    data: bytes


def resolution_document(root: Path | str, stem: str, data: dict, lang: str) -> DraftDocument:
    """Return the document the resolution `stem` holding `data` will produce in `lang` (kk or ru): rendered by
    the code and templates of `regdoc build` from the data tree with this resolution in place of its file. Raise
    CheckFailed when the resolution has an error (the preview lists them)."""
    from regdoc.documents import packet
    from regdoc.documents.output import render_job

    if lang not in m.LANGS:
        raise RegdocError(_("choose Kazakh or Russian"))
    preview = preview_resolution(root, stem, data)
    errors = [p for p in preview.problems if p.severity == "error"]
    if errors or preview.resolution is None:
        raise CheckFailed([Problem(p.severity, p.message, p.file, p.line,
                                   (f"items[{p.op}]" + (f".{p.field}" if p.field else "")) if p.op is not None
                                   else p.field) for p in preview.problems] or
                          [Problem("error", _("the resolution cannot be read"), preview.rel)])
    tree = data_tree(root)
    others = [r for r in tree.resolutions if r.id != preview.resolution.id]
    trial = replace(tree, resolutions=tuple(sorted(others + [preview.resolution], key=lambda r: r.id)))
    job = packet.resolution_jobs(trial, preview.resolution, (lang,))[0]
    return DraftDocument(job.filename, render_job(Path(root), job))


def _item_problem(p: Problem, rel: str) -> OpProblem:
    hit = re.match(r"^items\[(\d+)\](?:\.(.+))?$", p.node or "") if p.file == rel else None
    if hit:
        return OpProblem(p.severity, p.message, int(hit[1]), hit[2], p.line, p.file)
    return OpProblem(p.severity, p.message, None, p.node, p.line if p.file == rel else None, p.file)


def save_resolution(root: Path | str, stem: str, data: dict, based_on: Optional[str],
                    draft_based_on: Optional[str], user: str, *, final: bool = False) -> Saved:
    """Save the resolution `stem`: as a draft (drafts/resolutions/, any state), or, with `final`, into
    resolutions/ (refused while it has an error or a TODO placeholder), removing its draft. A resolution that
    is final already is read-only. One commit when the tree is in git."""
    rel, draft_rel = resolution_path(stem), resolution_path(stem, draft=True)
    current = read_resolution(root, stem)
    if current.final:
        raise RegdocError(_(READ_ONLY), rel)
    message = _("{stem} resolution").format(stem=stem)
    if not final:
        return save_files(root, {draft_rel: resolution_yaml(data).encode("utf-8")}, {draft_rel: draft_based_on},
                          user, message + " " + _("(draft)"))
    preview = preview_resolution(root, stem, data)
    errors = [p for p in preview.problems if p.severity == "error"]
    if errors or not preview.final:
        found = [Problem(p.severity, p.message, p.file, p.line,
                         (f"items[{p.op}]" + (f".{p.field}" if p.field else "")) if p.op is not None else p.field)
                 for p in preview.problems]
        if not preview.final and preview.resolution is not None:
            found.append(Problem("error", _("a text still holds the placeholder TODO: write every text as issued "
                                            "before marking the resolution final"), rel))
        raise CheckFailed(found)
    files: dict[str, Optional[bytes]] = {rel: preview.yaml.encode("utf-8")}
    versions: dict[str, Optional[str]] = {rel: based_on}
    if draft_based_on is not None:
        files[draft_rel] = None
        versions[draft_rel] = draft_based_on
    return save_files(root, files, versions, user, message + " " + _("(final)"))
