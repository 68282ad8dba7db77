"""``grade check-spec``: TD 5 is sound; weakened copies are caught."""

from __future__ import annotations


from conftest import TD5, edited_td5
from grader.messages import english
from grader.cli import main
from grader.checkspec import check_spec


def _copy(tmp_path, edit):
    return edited_td5(tmp_path, edit)


def test_td5_is_sound(capsys):
    assert main(["check-spec", str(TD5), "--seeds", "5", "--sampler-runs", "30"]) == 0
    out = capsys.readouterr().out
    assert "spec is sound" in out and "known mistakes" in out


def test_a_spec_that_fixes_eps_is_caught(tmp_path, capsys):
    def fix_eps(text):
        text = text.replace('eps = { kind = "float", low = 0.001, high = 1.0, log = true }', 'eps = { kind = "fixed", value = 1e-12 }')
        text = text.replace("[tolerance]\nrtol = 1e-6\natol = 1e-9", "[tolerance]\nrtol = 1e-6\natol = 1e-7")
        return text.replace(", eps = 1e-5 }", " }")

    folder = _copy(tmp_path, fix_eps)
    result = check_spec(str(folder), seeds=2, mistake_seeds=2, sampler_runs=5)
    assert not result.ok
    bad = [f for f in result.findings if not f.ok]
    assert any("bn-eps-forgotten" in english(f.detail) for f in bad)
    assert main(["check-spec", str(folder), "--seeds", "2", "--mistake-seeds", "2", "--sampler-runs", "5"]) == 1


def test_a_spec_whose_sizes_hide_the_fan_in_mistake(tmp_path):
    # with d == n_h only, Glorot's sigma equals the fan-in rule: the catalogue's mistake goes unseen
    def square(text):
        text = text.replace('edge_cases = [{ d = 1, n_h = 1 }, { d = 784, n_h = 10 }, { d = 3, n_h = 2000 }]\n'
                            '[questions.checks.inputs]\nd = { kind = "int", low = 1, high = 4000, log = true }\n'
                            'n_h = { kind = "int", low = 1, high = 4000, log = true }',
                            'edge_cases = [{ d = 4, n_h = 4 }]\ncases = 0\n[questions.checks.inputs]\n'
                            'd = { kind = "int", low = 1, high = 4000, log = true }\n'
                            'n_h = { kind = "int", low = 1, high = 4000, log = true }', 1)
        return text.replace('points = 1\ncases = 12\nedge_cases = [{ d = 4', 'points = 1\nedge_cases = [{ d = 4', 1)

    result = check_spec(str(_copy(tmp_path, square)), seeds=1, mistake_seeds=1, sampler_runs=2)
    assert any("glorot-sigma-fan-in" in english(f.detail) for f in result.findings if not f.ok)


def test_an_invalid_spec_is_reported(tmp_path):
    result = check_spec(str(_copy(tmp_path, lambda t: t.replace("schema_version = 1", "schema_version = 1\nbogus = 3"))))
    assert not result.ok and "bogus" in english(result.findings[0].detail)


def test_a_reference_that_fails_on_a_drawn_case_is_a_finding(tmp_path, capsys):
    # the author's reference forgets an input it is given: check-spec says which check, case and
    # inputs, goes on with the rest, and exits 1
    folder = _copy(tmp_path, lambda t: t.replace("# TD 5", "# TD 5 (copy)", 1))
    solution = tmp_path / "reference" / "td5" / "solution.py"
    head = "def good_sigma(d):\n"
    solution.write_text(solution.read_text().replace(head, head + "    if d > 5000:\n        raise ValueError('too big')\n", 1))
    assert main(["check-spec", str(folder), "--seeds", "1", "--mistake-seeds", "1", "--sampler-runs", "2"]) == 1
    out = capsys.readouterr().out
    assert "I.1/good_sigma" in out and "d=10000" in out and "too big" in out
    assert "reference sampler" in out and "spec has problems" in out  # the samplers were still checked


def test_a_reference_that_fails_to_import_is_a_finding(tmp_path):
    folder = _copy(tmp_path, lambda t: t.replace("# TD 5", "# TD 5 (copy)", 1))
    solution = tmp_path / "reference" / "td5" / "solution.py"
    solution.write_text(solution.read_text() + "\nraise RuntimeError('not ready')\n")
    result = check_spec(str(folder), seeds=1, mistake_seeds=1, sampler_runs=1)
    assert not result.ok and english(result.findings[-1].what) == "reference" and "not ready" in english(result.findings[-1].detail)


def test_an_expected_formula_that_disagrees_with_the_reference_is_a_finding(tmp_path):
    # the author typed the rate at the optimal step with the condition number upside down
    folder = _copy(tmp_path, lambda t: t.replace('expected = "(kappa - 1)/(kappa + 1)"', 'expected = "(1 - kappa)/(1 + kappa)"'))
    result = check_spec(str(folder), seeds=1, mistake_seeds=1, sampler_runs=2)
    bad = [f for f in result.findings if not f.ok]
    assert len(bad) == 1 and "formula answers" in english(bad[0].what)
    assert "III.4 convergence_rate" in english(bad[0].detail) and "the reference" in english(bad[0].detail)


def test_relations_that_cannot_hold_or_an_unknown_inputs_function_are_spec_errors(tmp_path):
    impossible = _copy(tmp_path / "a", lambda t: t.replace('relations = ["lambda_min <= lambda_max"]',
                                                            'relations = ["lambda_min <= lambda_max", "lambda_min > lambda_max"]'))
    result = check_spec(str(impossible), seeds=1, mistake_seeds=1, sampler_runs=1)
    assert not result.findings[0].ok and "relations" in english(result.findings[0].detail)
    assert "hold at too few points" in english(result.findings[0].detail)
    unknown = _copy(tmp_path / "b", lambda t: t.replace('inputs = "spectrum_inputs"', 'inputs = "spectrum"', 1))
    result = check_spec(str(unknown), seeds=1, mistake_seeds=1, sampler_runs=1)
    assert not result.findings[0].ok and "'spectrum' is not defined" in english(result.findings[0].detail)
    not_a_relation = _copy(tmp_path / "c", lambda t: t.replace('"lambda_min <= lambda_max"]', '"lambda_min + lambda_max"]'))
    result = check_spec(str(not_a_relation), seeds=1, mistake_seeds=1, sampler_runs=1)
    assert not result.findings[0].ok and "relation 'lambda_min + lambda_max'" in english(result.findings[0].detail)


def test_a_kit_whose_public_cases_miss_a_mistake_is_a_finding(tmp_path):
    # with one public case for glorot_sigma, on d == n_h, the fan-in mistake passes the kit; the
    # hidden random cases of a real grading would still catch it, but students would not see it
    def few(text):
        old = ('edge_cases = [{ d = 1, n_h = 1 }, { d = 784, n_h = 10 }, { d = 3, n_h = 2000 }]\n'
               '[questions.checks.inputs]\nd = { kind = "int", low = 1, high = 4000, log = true }\n'
               'n_h = { kind = "int", low = 1, high = 4000, log = true }')
        return text.replace('points = 1\ncases = 12\n' + old, 'points = 1\ncases = 0\n' + old.replace(
            '[{ d = 1, n_h = 1 }, { d = 784, n_h = 10 }, { d = 3, n_h = 2000 }]', '[{ d = 4, n_h = 4 }]'), 1)

    result = check_spec(str(_copy(tmp_path, few)), seeds=1, mistake_seeds=1, sampler_runs=1)
    kit = next(f for f in result.findings if english(f.what).startswith("kit"))
    assert not kit.ok and "do not catch glorot-sigma-fan-in" in english(kit.detail)


def test_a_translation_of_a_text_the_worksheet_lacks_is_a_finding(tmp_path):
    # a typo in the English side would leave the title untranslated, silently: check-spec says so
    from grader.checkspec import SpecCheck, check_translations
    from grader.worksheet.loading import load_worksheet

    ws = load_worksheet(_copy(tmp_path, lambda t: t.replace('"Glorot normal initialisation" =', '"Glorot normal initialization" =')))
    out = SpecCheck()
    check_translations(ws, out)
    (finding,) = out.findings
    assert not finding.ok and "Glorot normal initialization" in english(finding.detail)
    ok = SpecCheck()
    check_translations(load_worksheet(TD5), ok)
    assert ok.ok and "texts" in english(ok.findings[0].detail)
