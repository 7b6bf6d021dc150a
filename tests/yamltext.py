"""yaml.safe_dump's text, made quicker for the fuzz tests that dump a whole data file per example.

PyYAML's emitter analyses every scalar it writes (Emitter.analyze_scalar: which styles the text allows) character
by character, and a changed shipped file is mostly the same texts again: about two thirds of a dump's time
(a round of the seven shipped files: ~140 -> ~45 ms). The analysis is a function of the text and the dumper's
allow_unicode alone, and the emitter only reads it: here it is made once per text. test_load_fuzz checks the text
is yaml.safe_dump's."""
from __future__ import annotations

import yaml

_ANALYSES: dict[tuple[str, bool], object] = {}
_KEPT = 200_000  # analyses kept (then forgotten)


class _Dumper(yaml.SafeDumper):
    def analyze_scalar(self, scalar):
        key = (scalar, bool(self.allow_unicode))
        found = _ANALYSES.get(key)
        if found is None:
            found = super().analyze_scalar(scalar)
            if len(_ANALYSES) >= _KEPT:
                _ANALYSES.clear()
            _ANALYSES[key] = found
        return found


def safe_dump(data, **options) -> str:
    """Return yaml.safe_dump(data, **options) (to a text: no stream)."""
    return yaml.dump(data, Dumper=_Dumper, **options)
