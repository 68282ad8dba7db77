"""Messages of grading a class: finding its submissions, bulk runs, gradebooks, rosters, the summary."""

from .entries import Entries

PART = Entries()
define, define_plural = PART.define, PART.define_plural

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
define_plural("bulk.older", "{students} graded with an older version of the worksheet (see summary.md): {command}",
              "{students} graded with an older version of the worksheet (see summary.md): {command}")
define_plural("bulk.foreign", "{n} report of the worksheet '{worksheet}' in {out} left out of the gradebooks",
              "{n} reports of the worksheet '{worksheet}' in {out} left out of the gradebooks")
define("bulk.unknown_gradebook", "unknown gradebook '{name}' (choose among {known})")
define("bulk.kit", "a kit is what students grade with (its public seed only): grade a class with the worksheet's "
                   "folder, e.g. -w exercises/td5")
define("bulk.no_worksheet", "no folder exercises/{name} here nor beside the grader: give the worksheet's folder with "
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
define_plural("gradebook.canvas_left_out", "gradebook-canvas.csv: {students} not from a Canvas download, with no Canvas ID "
              "({who}): left out (pass --roster to match them by SIS id)",
              "gradebook-canvas.csv: {students} not from a Canvas download, with no Canvas ID "
              "({who}): left out (pass --roster to match them by SIS id)")
define("gradebook.canvas_points", "Canvas gives '{column}' {possible} points possible, but the scores uploaded are "
                                  "out of {max}")
define_plural("gradebook.canvas_replaced", "gradebook-canvas.csv: {students} already had a score in Canvas, which an upload "
              "replaces: {who}",
              "gradebook-canvas.csv: {students} already had a score in Canvas, which an upload "
              "replaces: {who}")
define_plural("gradebook.canvas_missing", "gradebook-canvas.csv: {students} of the roster handed in nothing: a blank score "
              "({who})",
              "gradebook-canvas.csv: {students} of the roster handed in nothing: a blank score "
              "({who})")
define_plural("gradebook.canvas_unmatched", "gradebook-canvas.csv: {students} not in {roster} ({who}): left out",
              "gradebook-canvas.csv: {students} not in {roster} ({who}): left out")
define_plural("gradebook.moodle_left_out", "gradebook-moodle.csv: {students} not from a Moodle download, with no "
              "participant number ({who}): left out",
              "gradebook-moodle.csv: {students} not from a Moodle download, with no "
              "participant number ({who}): left out")
define_plural("gradebook.moodle_failed", "gradebook-moodle.csv: {students} not graded, left out ({who})",
              "gradebook-moodle.csv: {students} not graded, left out ({who})")
define_plural("gradebook.moodle_replaced", "gradebook-moodle.csv: {students} already had a grade in Moodle, which the "
              "upload replaces: {who}",
              "gradebook-moodle.csv: {students} already had a grade in Moodle, which the "
              "upload replaces: {who}")
define("gradebook.moodle_no_feedback", "{roster} has no 'Feedback comments' column: grades only (enable feedback "
                                       "comments in the assignment's settings and download the worksheet again)")
define("gradebook.moodle_maximum", "Moodle's maximum grade for this assignment is {value}, but the grades are out of "
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
define_plural("summary.counts", "{n} student: {graded}, {did_not_load} (scored 0), {unreadable} (no score), "
                                "{not_graded} (no score); each student is in one of these.",
              "{n} students: {graded}, {did_not_load} (scored 0), {unreadable} (no score), {not_graded} (no score); "
              "each student is in one of these.")
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
define_plural("summary.older_text", "{students} graded with an older version of the worksheet or its reference, and kept as "
              "they were: {ids}. To regrade them: `{command}`.",
              "{students} graded with an older version of the worksheet or its reference, and kept as "
              "they were: {ids}. To regrade them: `{command}`.")
define("summary.foreign", "Left out: reports of another worksheet")
define_plural("summary.foreign_text", "{n} report in this folder was graded with the worksheet '{worksheet}' and is "
                                      "not in this summary nor in the gradebooks: {ids}.",
              "{n} reports in this folder were graded with the worksheet '{worksheet}' and are not in this summary "
              "nor in the gradebooks: {ids}.")
define("summary.notes", "Gradebooks")
define_plural("bulk.manual_waiting", "{n} student still has answers to grade by hand ({who}): their total in the "
              "gradebooks lacks those points until `grade review {out}` gives them",
              "{n} students still have answers to grade by hand ({who}): their totals in the "
              "gradebooks lack those points until `grade review {out}` gives them")
define_plural("summary.by_hand", "Graded by hand: {complete} of the {n} student with answers to grade (mean of those: {mean}).",
              "Graded by hand: {complete} of the {n} students with answers to grade (mean of those: {mean}).")
define("summary.similarity", "Submissions unusually alike")
define_plural("summary.similarity_text", "{n} pair of the {compared} submissions compared is at least {threshold} alike "
              "(the class's usual pair: {median}), once renamed variables, reordered functions, comments and the code "
              "most of the class shares are set aside. A pointer for a human to look at, never a verdict: "
              "`grade review` shows each pair side by side.",
              "{n} pairs of the {compared} submissions compared are at least {threshold} alike "
              "(the class's usual pair: {median}), once renamed variables, reordered functions, comments and the code "
              "most of the class shares are set aside. A pointer for a human to look at, never a verdict: "
              "`grade review` shows each pair side by side.")
define("cluster.missing", "--cluster needs Dask's distributed scheduler: pip install 'grader[cluster]'")
define("cluster.unreachable", "cannot reach the cluster at {address} ({error}): is its scheduler running, and is "
       "the address right (tcp://HOST:8786, or local:N for a cluster on this machine)?")
define("cluster.per_student", "--per-student-inputs does not go with --cluster: the workers grade against the "
       "class's one answer table")
define("cluster.versions", "the cluster's workers {workers} run grader {theirs}, and this machine grader {ours}: "
       "install the same version on both (a class is graded by one grader)")
define("cluster.worker_version", "not graded: the cluster worker that took it runs grader {worker}, and this machine "
       "grader {run} (run again once every worker runs it)")
define("bulk.similarity_failed", "the similarity report could not be made ({error}); the gradebooks are complete")
define("summary.similarity_head", "| submission | submission | alike |")
define("summary.percent", "{value}%")
define("plot.scores", "Score distribution")
define("plot.scores_x", "automatic score, out of {max}")
define("plot.students", "students")
define("plot.rates", "Pass rate per check")
define_plural("plot.rates_x", "share of the {n} student with a score who passes it (%)",
              "share of the {n} students with a score who pass it (%)")

# manual.json and grade gradebook
define("gradebook.no_results", "{folder}: no report of a bulk run here: grade the class into it first "
       "(grade bulk CLASS_FOLDER --out {folder})")
define("gradebook.other_worksheet", "{folder}: its reports are of worksheet {found}, not {worksheet}: give that "
       "worksheet's folder with -w")
define("manual.unreadable", "{file}: cannot be read ({error})")
define("manual.corrupt", "{file}: damaged, not JSON ({error}); the grades by hand are in it: restore it from a "
       "backup, or move it away to start again")
define("manual.not_a_book", "{file}: not a file of grades by hand (no \"format\": \"grader-manual\")")
define("manual.newer", "{file}: written by a newer grader (format version {version}; this one reads up to "
       "{known}): upgrade the grader to read it")
define("manual.invalid", "{file}: {where}: {error}")
define("manual.other_worksheet", "{file}: grades of the worksheet '{worksheet}', not of '{this}'")
define("manual.conflict", "changed meanwhile (in another tab or window): the page shows it as it is now")
