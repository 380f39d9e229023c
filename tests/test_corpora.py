"""The YAML test suite's documents: a clean error or a sane result, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.loader import load_bytes
from briefing.yamlsafe import YamlError, parse_yaml
from tests.conftest import FIXTURES

SUITE = FIXTURES / "yaml-suite"
ERROR_CASES = sorted((SUITE / "error").glob("*.yaml"))
VALID_CASES = sorted((SUITE / "valid").glob("*.yaml"))


def test_the_corpus_is_present() -> None:
    assert len(ERROR_CASES) >= 90 and len(VALID_CASES) >= 40


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda p: p.stem)
def test_error_case_gives_a_clean_problem_or_a_document(case: Path) -> None:
    loaded = load_bytes(case.read_bytes(), Path("case.yaml"))
    # None of these is a briefing, so each must end in at least one located problem.
    assert loaded.document is None
    assert loaded.problems
    for problem in loaded.problems:
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message and "Traceback" not in problem.message


def _pyyaml_verdicts() -> dict[str, str]:
    rows = (SUITE / "PYYAML_BEHAVIOUR.tsv").read_text(encoding="utf-8").splitlines()
    return {cols[0]: cols[3] for cols in (r.split("\t") for r in rows if not r.startswith("#"))}


PYYAML_VERDICTS = _pyyaml_verdicts()


@pytest.mark.parametrize("case", VALID_CASES, ids=lambda p: p.stem)
def test_valid_case_parses_to_the_suite_value_or_a_clean_refusal(case: Path) -> None:
    try:
        parsed = parse_yaml(case.read_bytes())
    except YamlError as error:
        # Refused on purpose (anchors, tags, several documents) or by PyYAML's YAML 1.1
        # rules: the refusal must still be a located, readable message.
        assert error.line >= 1 and error.column >= 1 and error.message
        return
    expected = json.loads(case.with_suffix(".expected.json").read_text(encoding="utf-8"))
    value = json.loads(json.dumps(parsed.data, default=str))
    if PYYAML_VERDICTS[case.stem] == "accepted-match":
        assert value == expected
