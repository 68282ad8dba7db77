"""Messages of the teacher's last mile: the review page (``grade review``), its CSV import, and
``grade gradebook``."""

from .entries import Entries

PART = Entries()
define, define_plural = PART.define, PART.define_plural

# ---------------------------------------------------------------- the page
define("review.title", "Grading by hand")
define("review.student", "Student {n}")
define("review.show_names", "show names")
define("review.hide_names", "hide names")
define("review.no_items", "This worksheet has no answer to grade by hand; a student's page still lets you override "
       "an automatic check's points.")
define("review.progress", "{done} of {total} graded")
define("review.students", "Students (automatic report, overrides)")
define("review.similar", "Submissions unusually alike")
define("review.similar_note", "A pointer for you to look at, never a verdict: shared code can have innocent causes "
       "(a hint given in class, the same textbook, working together where it was allowed).")
define("review.alike", "{percent}% alike")
define("review.then", "Every change is saved at once in manual.json. Then write the gradebooks with the points "
       "given by hand: grade gradebook {folder}")
define("review.hint", "hint: {text}")
define("review.all_passed", "Every automatic check passed.")
define("review.report", "Report: {score} / {max}")
define("review.full_report", "the whole report, and overriding its points")
define("review.saving", "saving…")
define("review.saved", "saved")
define("review.offline", "not saved: the grading server does not answer (is grade review still running?)")
define("review.answer_of", "answer {n} of {total}")
define("review.answer_changed", "This answer changed since it was graded (handed in again): check the grade.")
define("review.no_answer", "No answer found in this submission.")
define("review.no_rubric", "No rubric item yet: add one below (it gets a key), or give points with the adjustment.")
define("review.rubric", "Rubric")
define("review.adjustment", "Points (added to the items')")
define("review.comment", "Comment for the student")
define("review.score", "Score:")
define("review.save_item", "save")
define("review.delete_item", "delete")
define_plural("review.delete_item_confirm",
              "Delete this item? It is applied to {n} answer, which is scored again without it.",
              "Delete this item? It is applied to {n} answers, which are scored again without it.")
define_plural("review.delete_item_confirm_ungraded",
              "Delete this item? Answers that have it: {answers}. They are scored again without it, and {n} "
              "that has nothing else goes back to the answers to grade.",
              "Delete this item? Answers that have it: {answers}. They are scored again without it, and {n} "
              "that have nothing else go back to the answers to grade.")
define_plural("review.delete_item_confirm_all_ungraded",
              "Delete this item? It is all that {n} answer was given: it goes back to the answers to grade.",
              "Delete this item? It is all that {n} answers were given: they go back to the answers to grade.")
define("review.delete_item_unused", "Delete this item? No answer has it.")
define("review.rubric_edit", "Rubric items: add, change points, delete (every answer that has the item is scored again)")
define("review.item_text", "e.g. mentions the variance of the backward pass")
define("review.add_item", "add the item")
define("review.prev", "previous")
define("review.next", "next")
define("review.next_ungraded", "next to grade")
define("review.back", "all questions")
define("review.keys", "Keys: the item's key applies or removes it; j or → next, k or ← previous, u next to grade, "
       "c comment, Esc leaves a field, a names.")
define("review.grade_it", "grade it")
define("review.reason", "reason (shown to the student)")
define("review.override", "override")
define("review.restore", "back to the automatic points")
define("review.automatic", "automatic: {points}")
define("review.check", "check")
define("review.status", "status")
define("review.points", "points")
define("review.what", "what the grader said")
define("review.refused_host", "Refused: this page answers only its own address on this machine.")
define("review.refused_token", "Refused: open the link that grade review printed (it holds the page's secret token).")
define("review.refused_json", "Refused: changes are sent by the page itself, as JSON.")
define("review.book_broken", "manual.json cannot be read: see the terminal where grade review runs.")
define("review.not_found", "Nothing here.")
define("review.bad_request", "Refused: {why}")
define("review.points_range", "The points must be between 0 and {max}.")
define("review.reason_needed", "Say why: the reason is kept with the points, and the student reads it.")

# ---------------------------------------------------------------- the commands
define("cli.review", "Grade the answers graded by hand in a local web page, by question, with a rubric; override "
       "automatic points; or import grades given elsewhere (--import)")
define("cli.review_folder", "the folder of a grade bulk run (its --out)")
define("cli.review_worksheet", "the worksheet the class was graded with (default: td5)")
define("cli.review_port", "the port to serve on (default: a free one)")
define("cli.review_no_browser", "print the link only, do not open a browser")
define("cli.review_import", "import grades given elsewhere: a CSV with the columns student_id, question (a check "
       "graded by hand, e.g. I.2 or I.2/comment), score, and optionally comment")
define("cli.review_replace", "with --import: replace grades given in the page (their rubric items and comment "
       "are lost)")
define("cli.review_grader", "your name, kept with each grade (default: the login name)")
define("cli.review_open", "Grading page (Ctrl-C stops it; every change is already saved): {url}")
define("cli.review_imported", "{n} grades imported from {file} into {book}; write the gradebooks: grade gradebook {folder}")
define("cli.gradebook_cmd", "Write a results folder's gradebooks, reports and summary again, with the points "
       "given by hand (manual.json), without grading anyone again")
define("cli.gradebook_done", "{students}: gradebooks written in {out}{pending}")
define_plural("cli.gradebook_pending", "; {n} student still has answers to grade by hand",
              "; {n} students still have answers to grade by hand")
define("cli.starter", "the code students started from (the worksheet's notebook, say): left out of the "
       "similarity report")
define("cli.cluster", "grade on a Dask cluster: its scheduler's address (tcp://HOST:8786), or local:N for N "
       "worker processes on this machine")
define("cli.review_missing", "the review page needs Starlette and uvicorn: pip install 'grader[review]'")

# ---------------------------------------------------------------- importing grades
define("import.unreadable", "cannot be read ({error})")
define("import.columns", "needs the columns student_id, question and score (it has: {columns})")
define("import.line", "line {line}: {problem}")
define("import.unknown_student", "no student '{student}' in {folder}")
define("import.unknown_question", "'{question}' is no question graded by hand of this worksheet ({known})")
define("import.not_a_number", "the score '{score}' is not a number")
define("import.range", "the score {score} is not between 0 and the maximum, {max}")
define("import.twice", "'{student}' / '{question}' is given twice (lines {first} and {line})")
define("import.refused", "nothing imported: {problems}")
define("import.graded_here", "{student} / {question} is graded in the page already (rubric items or a comment): "
       "--replace to replace that grade")
