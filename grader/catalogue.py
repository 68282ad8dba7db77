"""The message catalogue: every code the engine says, with its English wording.

Wordings are ``str.format`` templates of the message's parameters; a plural one has a singular and
a plural form, chosen by its ``n``. Other languages translate these entries in their gettext
catalogues (``report/locales/<lang>/LC_MESSAGES/grader.po``, keyed by the code as ``msgctxt``):
``pybabel extract -k define:1c,2 -k define_plural:1c,2,3`` finds them here.
"""

from __future__ import annotations

from typing import Optional

# Imports nothing: every layer may word a message in English (an exception's text, say).

ENGLISH: dict[str, tuple[str, Optional[str]]] = {}


def define(code: str, text: str) -> str:
    ENGLISH[code] = (text, None)
    return code


def define_plural(code: str, singular: str, plural: str) -> str:
    ENGLISH[code] = (singular, plural)
    return code


# ---------------------------------------------------------------- joining, labels, statuses
define("sep.semicolon", "; ")
define("sep.comma", ", ")
define("text", "{text}")

# ---------------------------------------------------------------- values, as described in messages
define("value.none", "None")
define("value.object", "a {type} object")
define("value.sympy", "a SymPy expression")
define("value.scalar_array", "a 0-d array")
define("value.array", "an array of shape {shape}")
define("value.bool", "a bool")
define_plural("value.sequence", "a {type} of {n} item", "a {type} of {n} items")
define("value.generator", "a random Generator")
define("value.other", "a {type}")
define("value.booleans", "booleans, not numbers")
define("value.not_all_numbers", "{what} that are not all numbers")
define("value.not_rectangular", "{what} that do not form a rectangular array")
define("value.array_summary", "array of shape {shape}: {head}, ...]  (min {min}, max {max}, mean {mean})")
define("value.array_head", "array of shape {shape}: {head}, ...]")

# ---------------------------------------------------------------- items an output lacks (the child says why)
define("noitem.no_length", "returned {type}, which has no item [{index}]")
define_plural("noitem.out_of_range", "returned a {type} of {n} item, so it has no item [{index}]",
              "returned a {type} of {n} items, so it has no item [{index}]")
define("noitem.undefined", "not defined")
define("noitem.incomplete", "the child sent back an incomplete result")

# ---------------------------------------------------------------- comparison
define("compare.differs", "the values differ")
define("compare.value_differs",
       "the value differs beyond rtol={rtol}, atol={atol}; largest error {error}: got {got}, expected {expected}")
define_plural("compare.values_differ",
              "{n} of {size} values differs beyond rtol={rtol}, atol={atol}; largest error {error} at index {index}: "
              "got {got}, expected {expected}",
              "{n} of {size} values differ beyond rtol={rtol}, atol={atol}; largest error {error} at index {index}: "
              "got {got}, expected {expected}")
define("compare.complex", "got complex values where real ones are expected")
define("compare.nonfinite_value", "got {kind} where a finite value is expected")
define("compare.nonfinite_values",
       "got {kind} where finite values are expected ({n} of {size} values; first at index {index})")
define("compare.failed", "could not compare the values ({error})")
define("compare.not_plain_data", "returned a {type}, which is not plain data")
define("compare.not_plain_data_detail", "returned a {type}, which is not plain data: {detail}")
define("compare.expected_none", "expected None, got {what}")
define("compare.expected_text", "expected the text {text}, got {what}")
define("compare.returned_none", "returned None (is a return statement missing?)")
define("compare.array_for_number", "got an array of shape {shape}, expected a single number")
define("compare.not_single_number", "got {what}, expected a single number")
define("compare.not_a_number", "got {what}, expected a number")
define("compare.not_an_array", "got {what}, expected an array of shape {shape}")
define("compare.shape", "shape: got {got}, expected {expected}")
define("compare.shape_transposed", "shape: got {got}, expected {expected} (transposed?)")
define_plural("compare.tuple_length", "expected a tuple of {n} item, got {what}", "expected a tuple of {n} items, got {what}")
define("compare.item", "item [{index}]: {inner}")

# ---------------------------------------------------------------- samplers
define("sample.empty", "the sample is empty")
define("sample.nonfinite", "the sample contains NaN or inf")
define_plural("sample.mean", "the sample mean {mean} is too far from 0 for {n} draw",
              "the sample mean {mean} is too far from 0 for {n} draws")
define("sample.spread", "the spread is wrong: sample std {std}, expected {expected} (ratio {ratio})")
define_plural("sample.outside", "{n} of {size} values lies outside [-{low}, {high}] (largest |value| {largest})",
              "{n} of {size} values lie outside [-{low}, {high}] (largest |value| {largest})")
define("sample.law", "the values do not follow a {law} law (Kolmogorov-Smirnov distance {distance})")
define("law.normal", "normal")
define("law.uniform", "uniform")
define("sample.dtype", "got values of dtype {dtype}, expected real numbers")

# ---------------------------------------------------------------- the student's code, as the sandbox saw it
define("outcome.undefined", "function {function}() is not defined")
define("outcome.not_callable", "{function} is a {type}, not a function")
define("outcome.too_large", "the result is too large ({size} MiB; the limit is {limit} MiB)")
define("outcome.unencodable", "the result could not be encoded ({error})")
define("outcome.unreadable", "the result could not be read")
define("outcome.garbled", "the child sent an unreadable result ({error})")
define("outcome.not_run_again", "not run again: {function}() failed on an earlier case ({inner})")
define("outcome.not_loaded", "not run: the submission did not load")
define("outcome.timeout", "time limit exceeded: {detail}")
define("outcome.timeout_in", "time limit exceeded in {function}(): {detail}")
define("outcome.raised", "{function}() raised {exception}: {text}")
define("outcome.raised_line", "{function}() raised {exception}: {text} (line {line})")
define("outcome.crashed", "crashed: {detail}")
define("outcome.crashed_in", "crashed in {function}(): {detail}")
define("outcome.undefined_cell_raised",
       "function {function}() is not defined: {cell} defines it, but raised {exception} before the definition ran")
define("outcome.undefined_cell_raised_line",
       "function {function}() is not defined: {cell} defines it, but raised {exception} (line {line}) before the "
       "definition ran")
define("outcome.undefined_cell_interrupted",
       "function {function}() is not defined: {cell} defines it, but was interrupted (the cell time limit) before "
       "the definition ran")
define("crash.stopped_answering", "the process stopped answering")
define("crash.segfault", "the process was killed by {signal} (a crash in native code, e.g. a segmentation fault)")
define("crash.cpu_limit", "the process was killed by {signal} (CPU time limit)")
define("crash.killed", "the process was killed by {signal}")
define("crash.exited_early", "the process exited before answering (os._exit(0) or similar)")
define("crash.exited", "the process exited with status {status} (os._exit, or out of memory above {memory} MiB)")
define("crash.reload_failed", "the submission could not be loaded again")
define("crash.never_answered", "the child never answered")
define("timeout.load", "the submission's top level did not finish within {seconds} s")
define("timeout.total", "the submission's total time limit ({seconds} s) was reached")
define("timeout.call", "no answer within {seconds} s")
define("timeout.not_run", "not run: the submission's total time limit ({seconds} s) was reached")

# ---------------------------------------------------------------- checks
define("check.part", "{name}: {message}")
define("case.edge", "edge case")
define("case.random", "random case")
define("property.failed", "the answer could not be checked ({error})")
define("mutation.changed",
       "{function}() changed its argument {argument} in place ({case} #{index}): the caller's array is modified, "
       "which breaks code that uses it again (a training loop); assign a new array ({argument} = {argument} - ..., "
       "not {argument} -= ...) or start from {argument}.copy()")
define("manual.by_hand", "graded by hand")
define("manual.code_over_markdown",
       "graded by hand; the answer is {variable}: the markdown under '{heading}' (cell {cell}) also answers "
       "{question} and is not used")
define("manual.several_cells", "graded by hand; markdown cells {cells} all answer {question}: the answer is cell {cell}")
define("manual.from_source",
       "graded by hand; {variable} read from the source ({where}, line {line}): the code stopped before running "
       "that line")
define("manual.none_not_loaded", "graded by hand; no answer found: the submission did not load, so {variable} "
                                 "could not be read")
define("manual.none", 'graded by hand; no answer found (define {variable} = "...", or in a notebook a markdown '
                      "cell headed '## {question}')")

# ---------------------------------------------------------------- formula answers
define("formula.answer", "formula answer {answer}: {verdict}")
define("formula.equivalent", "equivalent (checked numerically)")
define("formula.differs", "differs at {where}: gives {got} instead of {expected}")
define("formula.point", "{name}={value}")
define("formula.refused", "refused: {reason}")
define("formula.unchecked", "could not be checked (the right formula has no value at the sample points)")
define("formula.answer_type", "a formula answer must be a string, a number or a SymPy expression, not {type}")
define("formula.not_a_relation", "not a relation: {error}")
define("formula.relation_form", "a relation compares formulas with <, <=, > or >=, e.g. 'lambda_min <= lambda_max'")
define("formula.type", "a formula must be a string or a number")
define("formula.number_too_large", "a number in the formula is too large")
define_plural("formula.too_long", "the formula is longer than {n} character", "the formula is longer than {n} characters")
define("formula.syntax", "not a formula: {error}")
define("formula.too_large", "the formula is too large")
define("formula.calls_only", "only calls of math functions are allowed in a formula")
define("formula.attribute", "attribute access is not allowed in a formula")
define("formula.not_allowed", "not allowed in a formula: {node}")
define("formula.unknown_name", "unknown name {name} (known: {known})")
define("formula.exponent", "exponent {exponent} is too large (at most {limit})")
define("formula.keywords", "keyword arguments are not allowed in a formula")
define("formula.function", "function {function}() is not allowed (allowed: {allowed})")
define("formula.bad_node", "bad {node}")
define("formula.arguments", "{function}() takes {low} to {high} arguments")
define_plural("formula.argument_count", "{function}() takes {n} argument", "{function}() takes {n} arguments")
define("formula.relations_unmet", "the relations {relations} hold at too few points")

# ---------------------------------------------------------------- the gradient diagnosis
define("diagnosis.backward_wrong",
       "{forward} is right but {backward} is wrong: its gradient differs from finite differences of your {forward}")
define("diagnosis.forward_wrong",
       "{forward} is wrong, and {backward} is consistent with it (it matches finite differences of your {forward}): "
       "fix {forward} first")
define("diagnosis.both_wrong",
       "both are wrong: {forward} differs from the reference, and {backward} is not the gradient of your {forward}")
define("diagnosis.both_right", "{forward} is right and {backward} is its gradient (finite differences agree)")

# ---------------------------------------------------------------- loading the submission
define("load.failed", "the submission does not load: {reason}")
define("load.raised_line", "{exception}: {text} ({where}, line {line})")
define("load.raised", "{exception}: {text} ({where})")
define("cell.interrupted", "stopped after {seconds} s (the cell time limit); the next cells still ran")
define("cell.interrupted_within",
       "stopped after {seconds} s (the cell time limit), while in {function}() ({cell}, line {line}); the next cells "
       "still ran")
define("sep.bullet", "\n  - ")

# ---------------------------------------------------------------- errors (the command shows them)
define("error.spec", "invalid worksheet spec {path}:\n  - {problems}")
define("error.submission", "{path}: {reason}")
define("error.output", "{path}: cannot write there: {reason}")

# ---------------------------------------------------------------- submission files
define("file.folder", "a folder, not a submission file (for a whole class: grade bulk FOLDER)")
define("file.suffix", "not a .py or .ipynb file (got {suffix})")
define("file.no_suffix", "not a .py or .ipynb file (got 'no extension')")
define("file.missing", "no such file")
define("file.not_regular", "not a regular file")
define("file.too_large", "file too large ({size} MiB; the limit for a {suffix} file is {limit} MiB)")
define("file.unreadable", "cannot read the file: {error}")
define("file.nul", "contains NUL bytes: not a Python source file")
define("file.not_source", "cannot be read as Python source: {error}")
define("file.encoding_at", "not {encoding} text (byte {byte}): save it as UTF-8, or declare its encoding on its first "
                           "line (# -*- coding: latin-1 -*-)")
define("file.encoding", "not {encoding} text: save it as UTF-8, or declare its encoding on its first line "
                        "(# -*- coding: latin-1 -*-)")
define("notebook.magic_skipped", "{cell}: cell magic %%{magic} not run")
define("notebook.empty", "empty file: not a notebook")
define("notebook.json", "not a notebook: invalid JSON ({error})")
define("notebook.not_a_notebook", "valid JSON but not a Jupyter notebook (no 'nbformat' and 'cells')")
define("notebook.unreadable", "not a readable notebook: {error}")
define("notebook.upgraded", "notebook format {version} upgraded to 4")
define("notebook.invalid", "the notebook does not fully validate ({error}); graded anyway")
define("notebook.skipped", "{cell}: skipped (tagged {tag})")
define("cell.label", "{notebook} [cell {number}]")
define("sandbox.note", "sandbox: {note}")
define_plural("output.dropped", "{n} byte of the submission's output was dropped (cap {cap} KiB per stream)",
              "{n} bytes of the submission's output were dropped (cap {cap} KiB per stream)")
define("gradescope.summary", "{title}: {score} / {max} automatic points")
define("gradescope.summary_manual", "{title}: {score} / {max} automatic points; {manual} more points are graded by hand")

# ---------------------------------------------------------------- the renderers' labels and statuses
define("label.colon", ":")
define("label.decimal", ".")
define("label.percent", "%")
define("label.check", "check")
define("label.status", "status")
define("label.points", "points")
define("label.total", "total")
define("label.score", "Score")
define("label.by_hand", "to grade by hand")
define("label.wrong", "What went wrong")
define("label.manual", "Graded by hand")
define("label.answer", "answer")
define("label.call", "call")
define("label.input", "input")
define("label.got", "got")
define("label.expected", "expected")
define("label.error", "error")
define("label.edge", "edge case")
define("label.random", "random case")
define("label.abs", "max absolute")
define("label.rel", "max relative")
define("label.reproduce", "Reproduce")
define("label.cells", "Cells that failed (the other cells still ran):")
define("label.isolation", "note: reduced isolation on this system (no namespaces): see README, Security model")
define("label.submission", "submission")
define("label.seed", "seed")
define("label.hint", "hint")
define("label.diagnosis", "diagnosis")
define("label.warning", "warning")
define_plural("points.of", "{score} / {max} point", "{score} / {max} points")
define_plural("points.count", "{max} point", "{max} points")
define("label.shrunk", "a smaller case, found by shrinking")
define("label.same_error", "the same error as in")
define("label.warnings", "Warnings (no points lost)")
define("label.line", "line")
define("label.interrupted", "Interrupted")
define("status.passed", "passed")
define("status.failed", "failed")
define("status.error", "error")
define("status.timeout", "timeout")
define("status.missing", "missing")
define("status.manual", "manual")

# ---------------------------------------------------------------- lists and counts
define("sep.space", " ")
define_plural("list.more", "{items} and {n} more", "{items} and {n} more")
define_plural("count.students", "{n} student", "{n} students")

# ---------------------------------------------------------------- the student's feedback in a gradebook
define("feedback.nothing", "Nothing could be graded: {why}.")
define("feedback.no_load", "Your file did not load, so no check could run: {why}. Fix it, then run grade on it to check.")
define_plural("feedback.passed", "Automatic checks: passed {n} of {total} ({points}).",
              "Automatic checks: passed {n} of {total} ({points}).")
define("feedback.fix", "To fix: {checks}.")
define("feedback.hint", "Hint ({check}): {text}")
define_plural("feedback.by_hand", "{k} more point is graded by hand.", "{k} more points are graded by hand.")

# ---------------------------------------------------------------- finding a class's submissions
define("discover.symlink", "{file}: symbolic link, ignored")
define("discover.not_source", "{file}: not a .py or .ipynb file, ignored")
define("discover.student_zip", "{file}: a student's zip file, opened only when grading into --out")
define("discover.nested_zip", "{file}: zip file inside the class folder needs --out")
define("discover.in", "{file}: {problem}")
define("discover.empty", "no .py or .ipynb file: the submission is empty")
define("discover.handed_in", "no .py or .ipynb file: handed in {files}")
define("discover.no_such", "{path}: no such file or folder")
define("discover.not_a_folder", "{path}: not a folder or a zip file")
define("discover.none_found", "{path}: no .py or .ipynb submission found")
define("discover.none_found_because", "{path}: no .py or .ipynb submission found ({problems})")
define("zip.unreadable", "not a readable zip file ({error})")
define("zip.too_many", "too many entries ({n}; the limit is {limit})")
define("zip.too_large", "expands to {size} MiB (the limit is {limit} MiB)")
define("zip.outside", "{entry}: refused (points outside the archive)")
define("zip.symlink", "{entry}: refused (symbolic link)")
define("zip.bomb", "{entry}: refused (compression ratio over {limit}: a zip bomb?)")
define("zip.beyond", "the archive expands beyond its declared size")
define("zip.entry_unreadable", "{entry}: unreadable ({error})")

# ---------------------------------------------------------------- bulk grading
define("bulk.not_graded", "not graded: {reason}")
define("bulk.unwritable", "graded, but the report could not be written: {error}")
define("bulk.cannot_read", "cannot read {file}: {error}")
define("bulk.chosen_over", "{file} chosen over {others}")
define("bulk.record_unwritable", "{student}: its record could not be written ({error}); a later run that does "
                                 "not grade them again may not know them")
define("bulk.report_missing", "its report {student}.json is missing: regrade it with --only {student}")
define("bulk.report_unreadable", "its report {student}.json cannot be read ({error}): regrade it with --only {student}")
define("bulk.edited", "{file} was edited since it was written: kept as {kept}")
define("bulk.no_plots", "no plots: {why}")
define("bulk.plots_missing", "matplotlib is not installed: pip install 'grader[plots]' to draw them")
define("bulk.older", "{students} graded with an older version of the worksheet (see summary.md): {command}")
define_plural("bulk.foreign", "{n} report of the worksheet '{worksheet}' in {out} left out of the gradebooks",
              "{n} reports of the worksheet '{worksheet}' in {out} left out of the gradebooks")
define("bulk.unknown_gradebook", "unknown gradebook '{name}' (choose among {known})")
define("bulk.kit", "a kit is what students grade with (its public seed only): grade a class with the worksheet's "
                   "folder, e.g. -w exercises/td5")
define("bulk.no_worksheet", "no worksheet folder exercises/{name} here nor beside the grader: give its folder with "
                            "-w (the one with worksheet.toml and its reference)")
define("bulk.in_the_way", "a file of that name is in the way (the results go in a folder)")
define("bulk.workers_stopped", "the grading workers stopped ({error}); the {n} reports written so far are kept, and "
                               "running the same command again grades the rest")
define_plural("bulk.only_unknown", "--only: {ids} is not among the students of {folder} ({known})",
              "--only: {ids} are not among the students of {folder} ({known})")
define("bulk.other_worksheet", "it holds reports of the worksheet '{worksheet}' ({reports}), which grading '{this}' "
                               "there would overwrite: grade this class into another folder (--out)")
define_plural("bulk.not_in_roster", "{students} of the class is not in it: {who} (export it again from the LMS, "
                                    "after they enrolled)",
              "{students} of the class are not in it: {who} (export it again from the LMS, after they enrolled)")
define_plural("bulk.line", "{n} student = {parts}", "{n} students = {parts}")
define_plural("bulk.graded", "{n} graded", "{n} graded")
define_plural("bulk.did_not_load", "{n} did not load", "{n} did not load")
define_plural("bulk.unreadable", "{n} unreadable", "{n} unreadable")
define_plural("bulk.not_graded_count", "{n} not graded", "{n} not graded")
define_plural("bulk.unchanged", "{n} unchanged", "{n} unchanged")
define_plural("bulk.kept", "{n} kept from earlier runs", "{n} kept from earlier runs")
define("bulk.failed_note", " (not graded: the worksheet or the grader failed, see summary.md)")
define_plural("bulk.problems", "; {n} input problem (see summary.md)", "; {n} input problems (see summary.md)")
define("bulk.mean", "; mean {mean} / {max} (automatic)")
define("bulk.time", "; {seconds} s -> {out}/")
define("bulk.progress", "grading {student}")

# ---------------------------------------------------------------- gradebooks' notes for the teacher
define("gradebook.canvas_no_id", "gradebook-canvas.csv: the assignment column '{column}' has no Canvas id, so an "
                                 "upload would make a new assignment: pass --roster with your exported gradebook "
                                 "(or --assignment 'Name (id)')")
define("gradebook.canvas_left_out", "gradebook-canvas.csv: {students} not from a Canvas download, with no Canvas ID "
                                    "({who}): left out (pass --roster to match them by SIS id)")
define("gradebook.canvas_points", "Canvas gives '{column}' {possible} points possible, the automatic maximum is "
                                  "{max}: the scores uploaded are out of {max}")
define("gradebook.canvas_replaced", "gradebook-canvas.csv: {students} already had a score in Canvas, which an upload "
                                    "replaces: {who}")
define("gradebook.canvas_missing", "gradebook-canvas.csv: {students} of the roster handed in nothing: a blank score "
                                   "({who})")
define("gradebook.canvas_unmatched", "gradebook-canvas.csv: {students} not in {roster} ({who}): left out")
define("gradebook.moodle_left_out", "gradebook-moodle.csv: {students} not from a Moodle download, with no "
                                    "participant number ({who}): left out")
define("gradebook.moodle_failed", "gradebook-moodle.csv: {students} not graded, left out ({who})")
define("gradebook.moodle_replaced", "gradebook-moodle.csv: {students} already had a grade in Moodle, which the "
                                    "upload replaces: {who}")
define("gradebook.moodle_no_feedback", "{roster} has no 'Feedback comments' column: grades only (enable feedback "
                                       "comments in the assignment's settings and download the worksheet again)")
define("gradebook.moodle_maximum", "Moodle's maximum grade for this assignment is {value}, the automatic maximum is "
                                   "{max}: Moodle skips grades above its maximum, so set it to at least {max}")
define("gradebook.replaced", "{student} ({before} -> {after})")

# ---------------------------------------------------------------- rosters
define("roster.error", "{path}: {problem}")
define("roster.error_line", "{path}: line {line}: {problem}")
define("roster.no_assignment", "no assignment column (headers like 'TD 5 (1234)'): export the "
                               "gradebook with the assignment in it")
define("roster.no_match", "no assignment column matches --assignment '{wanted}'")
define("roster.no_title", "no assignment column is named after the worksheet ('{title}' or '{id}')")
define("roster.several", "several assignment columns match ({found})")
define("roster.choose", "{why}: choose one with --assignment NAME; its assignment columns are: {columns}")
define("roster.too_large", "too large for a roster ({size} MiB)")
define("roster.missing", "no such file")
define("roster.folder", "a folder, not a CSV file")
define("roster.unreadable", "cannot read it: {error}")
define("roster.not_utf8", "not a CSV file: not UTF-8 text (byte {byte}); export it again as CSV")
define("roster.nul", "not a CSV file (it holds NUL bytes: a spreadsheet?); export it again as CSV")
define("roster.not_csv", "not a CSV file ({error})")
define("roster.empty", "empty: no header row")
define("roster.no_id", "no ID column: neither a Canvas gradebook export (Student, ID, SIS User ID, ...) nor a Moodle "
                       "grading worksheet (Identifier, Full name, Grade, ...); its header is: {header}")
define("roster.canvas_no_id", "no ID column (Canvas' export has Student, ID, SIS User ID, SIS Login ID, Section); its "
                              "header is: {header}")
define("roster.canvas_bad_id", "the ID '{value}' is not a Canvas user id (a number)")
define("roster.canvas_repeat", "the ID {value} is already on line {line}")
define("roster.moodle_column", "no '{column}' column, which Moodle's upload needs (download the grading worksheet "
                               "from the assignment again); its header is: {header}")
define("roster.moodle_bad_id", "the identifier '{value}' is not a Moodle participant ('Participant 12345')")
define("roster.moodle_repeat", "the participant {value} is already on line {line}")
define("roster.not_in", "{file}: {what} {id} is not in {roster}")
define("roster.what_canvas", "Canvas ID")
define("roster.what_moodle", "participant number")

# ---------------------------------------------------------------- the class summary
define("summary.title", "{title}: class summary")
define_plural("summary.counts", "{n} student: {graded} graded, {did_not_load} did not load (scored 0), {unreadable} "
                                "unreadable (no score), {not_graded} not graded (no score); each student is in one "
                                "of these.",
              "{n} students: {graded} graded, {did_not_load} did not load (scored 0), {unreadable} unreadable (no "
              "score), {not_graded} not graded (no score); each student is in one of these.")
define("summary.late", "Handed in late: {ids}.")
define_plural("summary.score", "Automatic score of the {n} student with one, out of {max}{hand}: mean {mean}, median "
                               "{median}, min {min}, max {top}.",
              "Automatic score of the {n} students with one, out of {max}{hand}: mean {mean}, median {median}, "
              "min {min}, max {top}.")
define_plural("summary.hand", " ({n} more point is graded by hand, {total} in all)",
              " ({n} more points are graded by hand, {total} in all)")
define("summary.no_plots", "Plots not drawn: {why}.")
define("summary.questions", "Questions (automatic points; the points graded by hand are apart)")
define("summary.questions_head", "| question | automatic max | mean | median | graded by hand |")
define("summary.rates", "Pass rate per check (automatic checks)")
define("summary.rates_head", "| check | pass rate | students passing |")
define("summary.mistakes", "Commonest known mistakes (each student counted once per mistake)")
define("summary.mistakes_head", "| mistake | students | hint |")
define("summary.inputs", "Inputs that could not be used")
define("summary.errors", "Not graded: the worksheet or the grader failed")
define("summary.older", "Graded with an older version of the worksheet")
define("summary.older_text", "{students} graded with an older version of the worksheet or its reference, and kept as "
                             "they were: {ids}. To regrade them: `{command}`.")
define("summary.foreign", "Left out: reports of another worksheet")
define_plural("summary.foreign_text", "{n} report in this folder was graded with the worksheet '{worksheet}' and is "
                                      "not in this summary nor in the gradebooks: {ids}.",
              "{n} reports in this folder were graded with the worksheet '{worksheet}' and are not in this summary "
              "nor in the gradebooks: {ids}.")
define("summary.notes", "Gradebooks")
define("summary.percent", "{value}%")
define("plot.scores", "Score distribution")
define("plot.scores_x", "automatic score, out of {max}")
define("plot.students", "students")
define("plot.rates", "Pass rate per check")
define_plural("plot.rates_x", "share of the {n} student with a score who passes it (%)",
              "share of the {n} students with a score who pass it (%)")

# ---------------------------------------------------------------- check-spec's findings
define("spec.spec", "spec")
define("spec.reference", "reference")
define("spec.summary", "{id} {version}: {questions}, {checks}, {points}")
define_plural("spec.questions", "{n} question", "{n} questions")
define_plural("spec.checks", "{n} check", "{n} checks")
define_plural("spec.reference_seeds", "reference on {n} seed", "reference on {n} seeds")
define("spec.full_marks", "full marks on every seed")
define("spec.lost", "seed {seed}: {check} {status}: {message}")
define_plural("spec.lost_checks", "{n} lost check; first: {first}", "{n} lost checks; first: {first}")
define("spec.catalogue", "known mistakes")
define("spec.no_catalogue", "no catalogue")
define("spec.not_caught", "{mistake} is not caught: full marks on {checks} (seed {seed})")
define_plural("spec.mistakes_seeds", "{n} known mistake x {seeds} seeds", "{n} known mistakes x {seeds} seeds")
define("spec.all_caught", "every mistake is caught")
define("spec.sampler_runs", "{check}: reference sampler x {n}")
define_plural("spec.false_failures", "{n} false failure observed (bound per grading: {alpha})",
              "{n} false failures observed (bound per grading: {alpha})")
define("spec.formulas", "formula answers")
define("spec.formula_reference_fails", "{key}: the reference fails at {point} ({exception}: {text})")
define("spec.formula_disagrees", "{key}: {formula} gives {expected} at {point}, the reference {value}")
define_plural("spec.formulas_seeds", "{n} formula answer x {seeds} seeds", "{n} formula answers x {seeds} seeds")
define_plural("spec.formulas_agree", "the expected formulas agree with the reference at {n} point",
              "the expected formulas agree with the reference at {n} points")
define("spec.check_status", "{check} {status}")
define("spec.kit_loses", "the reference loses {checks}")
define("spec.kit_misses", "the public cases do not catch {mistakes}")
define("spec.kit_plain", "kit")
define_plural("spec.kit", "kit (public seed {seed}, {n} case)", "kit (public seed {seed}, {n} cases)")
define("spec.kit_sound", "the reference scores full marks and every mistake is caught on the public cases")
define("spec.samplers", "samplers")
define("spec.sound", "spec is sound")
define("spec.problems", "spec has problems")
define("spec.column_check", "check")
define("spec.column_result", "result")

# ---------------------------------------------------------------- the command line
define("sep.plus", " + ")
define("cli.usage", "usage: ")
define("cli.arguments", "arguments")
define("cli.options", "options")
define("cli.help", "show this help message and exit")
define("cli.error", "{prog}: error: {message}")
define("cli.internal", "{prog}: internal error: {message}")
define("cli.interrupted", "grade: interrupted")
define("cli.note", "note: {note}")
define("cli.zip", "{path}: a zip file, not a submission; to grade a class (an LMS download), run: grade bulk {path} "
                  "--out results")
define("cli.grade", "Grade a .py or .ipynb submission of a worksheet (default: TD 5).")
define("cli.commands", """commands:
  grade FILE                   grade one submission (.py or .ipynb): this page
  grade bulk FOLDER|ZIP        grade a class (a folder, or an LMS download: Moodle, Canvas, a zip):
                               reports, gradebooks (CSV, Canvas, Moodle) and a summary with plots
  grade check-spec WORKSHEET   prove a worksheet sound: the reference scores full marks, every
                               known mistake is caught, the spec is valid
  grade kit WORKSHEET          build the kit students grade with (and Gradescope's autograder zip)
  grade schema                 print the JSON Schema of a report

'grade COMMAND --help' tells more of each.""")
define("cli.file", "the submission (.py or .ipynb)")
define("cli.worksheet", "the worksheet: a bundled kit's name, a kit file, or a worksheet folder (default: td5)")
define("cli.format", "the report's format (default: terminal)")
define("cli.out", "write it to this file instead of the terminal")
define("cli.seed", "seed of the hidden cases, with a worksheet folder (default: from the worksheet's files; a kit "
                   "has its own)")
define("cli.lang", "language of the report (default: from the locale)")
define("cli.fail_under", "exit with 1 when the automatic score is below PCT percent")
define("cli.written", "report written to {path}: {score} / {max}")
define("cli.schema", "Print the JSON Schema of a report.")
define("cli.bulk", "Grade a class: a folder (or zip) of submissions, Moodle and Canvas downloads included; writes "
                   "reports, gradebooks and a summary of every student the output folder knows.")
define("cli.folder", "class folder or zip file")
define("cli.bulk_out", "output folder (default: results)")
define("cli.bulk_worksheet", "the worksheet's folder, with its reference (default: td5, the checkout's exercises/td5)")
define("cli.jobs", "parallel workers (default: the cores this process may use); spare ones grade while submissions "
                   "wait out a time limit")
define("cli.bulk_seed", "run seed of the hidden cases (default: from the worksheet's files, which students never have)")
define("cli.per_student", "give each student their own cases (a seed from the run seed and their id) instead of one "
                          "answer table for the class (slower: the reference runs for every student)")
define("cli.force", "regrade even unchanged submissions")
define("cli.only", "grade only these students of FOLDER (again, even if unchanged); every other student of the "
                   "output folder is kept as it is")
define("cli.gradebook", "also write an LMS file: canvas (gradebook import), moodle (the assignment's grading "
                        "worksheet); repeat it for both (gradebook.csv is always written)")
define("cli.roster", "your LMS export: Canvas' gradebook export, or Moodle's grading worksheet downloaded from the "
                     "assignment; its names, ids and columns fill that LMS's file")
define("cli.assignment", "the Canvas assignment column to fill (its name or id; default: the one named after the "
                         "worksheet)")
define("cli.bulk_format", "gradescope: also write <student>.gradescope.json")
define("cli.quiet", "no progress bar")
define("cli.kit", "Build the kit students grade themselves with (the public cases and the reference's values on "
                  "them, no reference code), and/or Gradescope's autograder zip.")
define("cli.kit_worksheet", "the worksheet's folder or spec file (with its reference)")
define("cli.kit_out", "folder (or .kit file) for the kit (default: the current folder)")
define("cli.kit_gradescope", "also write Gradescope's autograder zip here")
define("cli.kit_written", "kit written to {path} ({size} KiB): students run grade FILE -w {name}")
define("cli.gradescope_written", "Gradescope autograder written to {path}: upload it as the assignment's autograder "
                                 "(zip file)")
define("cli.check_spec", "Prove a worksheet spec sound.")
define("cli.check_spec_worksheet", "worksheet folder, spec file, or bundled name")
define("cli.seeds", "seeds for the reference (default 100)")
define("cli.mistake_seeds", "seeds for each known mistake (default 5)")
define("cli.sampler_runs", "runs of each reference sampler (default 300)")

# ---------------------------------------------------------------- %grade in Jupyter
define("jupyter.gone", "this kernel runs {path}, which is not on disk where the kernel can see it: name the file, "
                       "e.g. %grade answers.ipynb")
define("jupyter.unknown", "cannot tell which notebook this kernel runs (no __session__ or __vsc_ipynb_file__ "
                          "variable): name the file, e.g. %grade answers.ipynb, or grader.check(path='answers.ipynb')")
define_plural("jupyter.unsaved", "{file} has unsaved changes this grade cannot see ({n} cell run in this kernel "
                                 "differs from the saved file): save the notebook, then grade again",
              "{file} has unsaved changes this grade cannot see ({n} cells run in this kernel differ from the saved "
              "file): save the notebook, then grade again")
define_plural("jupyter.no_question", "no question {ids} in this worksheet (its questions: {known})",
              "no questions {ids} in this worksheet (its questions: {known})")
define("gradescope.kit", "Gradescope grades with the worksheet and its reference, not a kit: give its folder")
