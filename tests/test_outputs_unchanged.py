"""Every command prints and writes what the record in tests/data/golden/cli.json says (see cli_golden.py):
the record was made before the engine's code was regrouped into packages and an application layer, so this test
proves that the move kept behaviour byte for byte. A change that alters an output on purpose re-records it with
`python tests/cli_golden.py` and says so in its commit."""
from __future__ import annotations

import json

import pytest
from cli_golden import GOLDEN, record

EXPECTED = json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def present(tmp_path_factory) -> dict:
    return record(tmp_path_factory.mktemp("golden"))


def test_the_record_covers_every_run(present):
    assert sorted(present) == sorted(EXPECTED)


@pytest.mark.parametrize("run", sorted(EXPECTED))
def test_a_run_prints_and_writes_as_recorded(run, present):
    assert present.get(run) == EXPECTED[run]
