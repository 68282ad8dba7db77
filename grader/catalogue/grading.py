"""Messages of grading one submission: values, comparisons, samplers, what the sandbox saw,
checks, formula answers, the gradient diagnosis, loading, the renderers' labels, a student's feedback."""

from .entries import Entries

PART = Entries()
define, define_plural = PART.define, PART.define_plural

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
define_plural("noitem.too_many", "returned {got} items, where {n} is expected",
              "returned {got} items, where {n} are expected")
define("noitem.undefined", "not defined")
define("noitem.incomplete", "the child sent back an incomplete result")

# ---------------------------------------------------------------- comparison
define("compare.differs", "the values differ")
define("compare.expected_booleans", "expected a truth value (True or False), got {what}")
define("compare.bool_differs", "got {got}, expected {expected}")
define_plural("compare.bools_differ", "{n} of {size} truth values differs", "{n} of {size} truth values differ")
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
define("compare.long_string", "returned a string of more than {max} characters: too long to compare")
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
define("outcome.out_of_memory", "the result is too large to send back: encoding it ran out of the memory the "
                                "submission may use")
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
define("load.out_of_memory", "{where} ran out of the memory a submission may use as it loaded (a file too large to "
                             "compile, or top-level code that holds too much)")
define("cell.interrupted", "stopped after {seconds} s (the cell time limit); the next cells still ran")
define("cell.interrupted_within",
       "stopped after {seconds} s (the cell time limit), while in {function}() ({cell}, line {line}); the next cells "
       "still ran")
define("sep.bullet", "\n  - ")

# ---------------------------------------------------------------- errors (the command shows them)
define("error.spec", "invalid worksheet spec {path}:\n  - {problems}")
define("error.no_worksheet", "no worksheet {path}: {problem}")
define("worksheet.no_file", "no such file")
define("worksheet.not_text", "not a worksheet spec: not UTF-8 text (a spec is a TOML file)")
define("kit.not_a_spec", "a kit, where a worksheet's folder is asked: kits, Gradescope's zip and check-spec are made "
                         "from the worksheet's folder")
define("kit.no_suffix", "a kit whose name does not end in .kit: rename it so to grade with it")
define("worksheet.no_spec", "no {file} there (a worksheet's folder holds its spec, {file})")
define("worksheet.not_found", "no such worksheet file, folder or kit, nor a bundled kit of that name (bundled: {known})")
define("error.kit", "cannot use the kit {path}: {problem}")
define("kit.too_large", "not a kit: larger than {mib} MiB")
define("kit.parts_missing", "not a kit: kit.json, table.json or arrays.bin is missing")
define("kit.unreadable", "cannot read it: {error}")
define("kit.damaged", "not a readable kit (truncated or corrupt?): {error}")
define("kit.not_grader", "not a kit (kit.json is not a grader kit's)")
define("kit.format", "a kit of format version {theirs}: this grader reads version {ours} (install the grader the kit "
                     "was made for: {grader})")
define("kit.short", "a corrupt kit: arrays.bin is shorter than kit.json says")
define("kit.corrupt", "a corrupt kit: {error}")
define("kit.other_table", "a corrupt kit: its table is not its worksheet's")
define("kit.seed", "a kit holds the cases of seed {seed} only, not {asked} (grade without --seed, or with the "
                   "worksheet's folder)")
define("kit.predicates", "the kit's predicates do not load: {error}")
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
define("gradescope.summary_all", "{title}: {score} / {max} points, those given by the teacher included")
define("gradescope.summary_graded", "{title}: {score} / {max} points, those given by the teacher included; {manual} more "
       "points are still to grade by hand")
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
define("label.public", "public")  # in the students' kit
define("label.hidden", "hidden")  # not in the students' kit
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
define("label.comment", "teacher")
define("label.override", "points given by the teacher")
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
define("feedback.graded_by_hand", "Graded by hand: {points}.")
define("feedback.comment", "Comment ({check}): {text}")
define_plural("feedback.by_hand", "{k} more point is graded by hand.", "{k} more points are graded by hand.")
