"""The methods that `dataclasses` writes for regdoc's classes, compiled once and kept beside regdoc's bytecode.

`@dataclass` writes the source of each method it adds (__init__, __repr__, __eq__, __hash__, and for a frozen
class __setattr__ and __delattr__) and compiles it with `exec` when the class is made, in every process: Python
keeps the bytecode of a module, not of the methods written while it runs. A command makes some 40-50 of regdoc's
dataclasses as it imports what it needs (29 in regdoc.data.model alone), and compiling their 220-310 methods took
15-20 ms of CPU: `regdoc score 2025` on the shipped tree 88 -> 71 ms, `regdoc regulation` 84 -> 67 ms.

`install()` (called by regdoc/__init__) gives the dataclasses module an `exec` of its own that compiles the source
of a method of a regdoc module only when its text is not yet known: the code compiled from the same text (with
the same flags) is the same code, so every class gets the same methods as before. The texts and their code of
each module are kept in a file beside that module's bytecode (__pycache__/<module>.<python>.dataclasses), written
and read as Python writes and reads the .pyc files there: under PYTHONPYCACHEPREFIX when set, not written when
PYTHONDONTWRITEBYTECODE is set, trusted as they are (whoever may write there may write the .pyc files Python
runs), replaced at the end of a process that compiled any method of the module anew. A file that cannot be read,
is damaged, or was written by another Python's bytecode is ignored (and replaced).
"""
import builtins
import marshal
import os
import sys

_PYTHON = None  # the header of a file: the bytecode's magic number of this Python (importlib.util.MAGIC_NUMBER)
_known: dict = {}  # module name -> {method source: code} read from its file (or {})
_made: dict = {}  # module name -> ({method source: code} made or used in this process, file of the module)
_saving = False  # whether _save runs at the end of this process


def _file(module_file: str):
    """Return the file of the compiled methods of the module at `module_file`, as importlib places its .pyc."""
    tag = sys.implementation.cache_tag
    if tag is None or not module_file.endswith(".py"):
        return None
    head, tail = os.path.split(os.path.abspath(module_file))
    if sys.pycache_prefix:
        head = os.path.join(sys.pycache_prefix, head.lstrip(os.sep))
    else:
        head = os.path.join(head, "__pycache__")
    return os.path.join(head, f"{tail[:-3]}.{tag}.dataclasses")


def _read(path: str) -> dict:
    try:
        with open(path, "rb") as f:
            data = f.read()
        if not data.startswith(_PYTHON):
            return {}
        codes = marshal.loads(memoryview(data)[len(_PYTHON):])
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if type(codes) is not dict or not all(type(k) is str and type(v) is _CODE for k, v in codes.items()):
        return {}
    return codes


_CODE = type(_read.__code__)


def _exec(source, globals=None, locals=None, /):
    """dataclasses' `exec`: the same, with the code of a regdoc method's source compiled once. A text is compiled
    with no flags of the calling code (dont_inherit), as `exec` compiles it in the dataclasses module, which has no
    __future__ import."""
    global _saving
    if type(source) is not str:
        return builtins.exec(source, globals, locals)
    name = globals.get("__name__") if type(globals) is dict else None
    if not (type(name) is str and (name == "regdoc" or name.startswith("regdoc."))):
        return builtins.exec(compile(source, "<string>", "exec", dont_inherit=True), globals, locals)
    entry = _made.get(name)
    if entry is None:
        module_file = globals.get("__file__")
        path = _file(module_file) if type(module_file) is str else None
        _known[name] = _read(path) if path else {}
        entry = _made[name] = ({}, path)
    code = _known[name].get(source)
    if code is None:
        code = compile(source, "<string>", "exec", dont_inherit=True)
        if entry[1] is not None and not _saving:
            _saving = True
            import atexit

            atexit.register(_save)
    entry[0][source] = code
    return builtins.exec(code, globals, locals)


def _save() -> None:
    """Write the file of each module whose methods were compiled anew (whole or not at all; errors ignored)."""
    if sys.dont_write_bytecode:
        return
    for name, (codes, path) in list(_made.items()):
        if path is None or codes.keys() <= _known.get(name, {}).keys():
            continue
        tmp = f"{path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(tmp, "wb") as f:
                f.write(_PYTHON + marshal.dumps(codes))
            os.replace(tmp, path)
        except (OSError, ValueError):  # (ValueError: what marshal cannot write; never seen)
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _patch(dataclasses) -> None:
    if "exec" not in vars(dataclasses):  # (a dataclasses module with an exec of its own is not CPython's)
        dataclasses.exec = _exec


class _WhenImported:
    """A finder that patches the dataclasses module once it is imported, so that regdoc itself imports it no
    sooner than before (`regdoc --help` makes no dataclass)."""

    def find_spec(self, name, path=None, target=None):
        if name != "dataclasses":
            return None
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass
        for finder in sys.meta_path:  # as the import system asks them, this one left out
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or isinstance(loader, type) or not hasattr(loader, "exec_module"):
            return spec  # (not a loader of this spec alone, as PathFinder's are: left as it is)
        run = loader.exec_module

        def exec_module(module):
            run(module)
            _patch(module)

        loader.exec_module = exec_module
        return spec


def install() -> None:
    """Give the dataclasses module (now, or when it is imported) the `exec` above; once, in CPython only."""
    global _PYTHON
    if _PYTHON is not None or sys.implementation.name != "cpython":
        return
    from _frozen_importlib_external import MAGIC_NUMBER  # (importlib.util's, without importing importlib.util)

    _PYTHON = MAGIC_NUMBER + b"regdoc dataclasses 1\0"
    if "dataclasses" in sys.modules:
        _patch(sys.modules["dataclasses"])
    else:
        sys.meta_path.insert(0, _WhenImported())
