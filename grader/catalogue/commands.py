"""Messages of check-spec, the command line and %grade in Jupyter."""

from .entries import Entries

PART = Entries()
define, define_plural = PART.define, PART.define_plural

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
define("spec.hint_language", "hints in {lang}")
define_plural("spec.hints_lacking", "note: {n} hint is not in {lang} ({ids}); a report in {lang} shows it in English",
              "note: {n} hints are not in {lang} ({ids}); a report in {lang} shows them in English")
define("spec.translations", "translations in {lang}")
define_plural("spec.translations_unknown", "{n} translated text is not a text of the worksheet: {texts}",
              "{n} translated texts are not texts of the worksheet: {texts}")
define_plural("spec.translations_count", "{n} text", "{n} texts")
define("spec.no_catalogue", "no catalogue")
define("spec.not_caught", "{mistake} is not caught: full marks on {checks} (seed {seed})")
define_plural("spec.mistakes_seeds", "{n} known mistake x {seeds} seeds", "{n} known mistakes x {seeds} seeds")
define("spec.all_caught", "every mistake is caught")
define("spec.mistake_uncalled", "{mistake} names {function}, which no check calls: nothing can catch it (a misspelt "
       "function name?)")
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
define("cli.unknown_command", "{word} is neither a command nor a file: did you mean grade {command}?")
# argparse's own errors, in its words (``parsing.ARGPARSE_ERRORS``)
define("argparse.unrecognized", "unrecognized arguments: {args}")
define("argparse.required", "the following arguments are required: {args}")
define("argparse.choice", "argument {arg}: invalid choice: {value} (choose from {choices})")
define("argparse.one", "argument {arg}: expected one argument")
define("argparse.at_least_one", "argument {arg}: expected at least one argument")
define("argparse.invalid_value", "argument {arg}: invalid {type} value: {value}")
define("argparse.not_allowed", "argument {arg}: not allowed with argument {other}")
define("argparse.ambiguous", "ambiguous option: {option} could match {matches}")
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
  grade review RESULTS         grade the free-text answers in a local page, by question, with a
                               rubric; override automatic points; import grades (--import CSV)
  grade gradebook RESULTS      write the gradebooks again, with the points given by hand
  grade check-spec WORKSHEET   prove a worksheet sound: the reference scores full marks, every
                               known mistake is caught, the spec is valid
  grade kit WORKSHEET          build the kit students grade with (and Gradescope's autograder zip)
  grade new NAME               create a worksheet that works as created, for you to change
  grade serve                  keep a grading server warm: the next grades take a tenth of a second
  grade schema                 print the JSON Schema of a report

'grade COMMAND --help' tells more of each.""")
define("cli.file", "the submission (.py or .ipynb)")
define("cli.serve", "Keep a grading server of your own running, its modules loaded and a sandbox warm: every "
                    "grade FILE then answers in about a tenth of a second. A grade run at a terminal starts one; "
                    "it stops after a while unused (GRADER_SERVER=0: never).")
define("cli.serve_stop", "stop the server")
define("cli.serve_status", "say whether a server runs (exit 1 if none)")
define("cli.serve_idle", "stop after this many seconds unused (default: 900)")
define("cli.serve_foreground", "serve in this process, until stopped or idle")
define("serve.started", "grading server started (pid {pid}); it stops after {minutes} min unused: grade serve --stop")
define("serve.already", "a grading server of this grader runs already (pid {pid})")
define_plural("serve.running", "a grading server runs (pid {pid}), {n} grade served",
              "a grading server runs (pid {pid}), {n} grades served")
define("serve.stopped", "grading server stopped (pid {pid})")
define("serve.none", "no grading server of this grader runs")
define("serve.failed", "the grading server did not start: grade FILE grades without it")
define("cli.worksheet", "the worksheet: a bundled kit's name, a kit file, or a worksheet folder (default: td5)")
define("cli.format", "the report's format (default: terminal)")
define("format.unknown", "no output format {name} (the formats: {known})")
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
define("cli.new", "Create a worksheet that works as created (its spec, reference, known mistakes and an example "
                  "submission), for you to change")
define("cli.new_name", "the worksheet's name (letters, digits, _): exercises/NAME, reference/NAME")
define("cli.new_title", "its title (default: its name)")
define("cli.new_root", "the folder to create it in (default: the current folder)")
define("cli.new_created", "worksheet {name} created:")
define("cli.new_next", "Prove it sound: grade check-spec {spec}\nGrade the example: grade {example} -w {spec}")
define("new.bad_name", "{name} cannot name a worksheet: use letters, digits and _ (not first), e.g. softmax or td6")
define("new.exists", "exists already: grade new overwrites nothing (choose another name, or remove it)")
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
define("gradescope.hidden_case", "fails on a hidden case: its inputs and the values expected are not shown (the "
                                 "public cases, in the worksheet's kit, are)")
define("gradescope.kit", "Gradescope grades with the worksheet and its reference, not a kit: give its folder")
