"""Which markdown cell answers which question: the headings students write."""

from __future__ import annotations

import pytest

from grader.submission.freetext import match, sections_of

IDS = ["I.1", "I.2", "I.3", "II.1", "II.2", "III.1"]


def md(text, tags=()):
    return {"cell_type": "markdown", "source": text, "metadata": {"tags": list(tags)}}


def answers(*cells):
    return {q: [s.body for s in found] for q, found in match(sections_of(list(cells)), IDS).items()}


@pytest.mark.parametrize("heading", ["## I.2", "### I.2 Commentaire", "## I-2", "## i.2", "## Question I.2 :",
                                     "**I.2** Commentaire", "## I – 2", "# Réponse I.2"])
def test_ways_of_naming_a_question(heading):
    [body] = answers(md(f"{heading}\nmy answer"))["I.2"]
    assert body in ("my answer", "Commentaire\nmy answer")  # a bold lead's rest of line is part of the answer


def test_a_number_under_a_part_heading():
    found = answers(md("# Partie I"), md("## Question 2"), md("under part I"), md("# Part II"), md("## 2."),
                    md("under part II"))
    assert found == {"I.2": ["under part I"], "II.2": ["under part II"]}


def test_no_false_matches():
    found = answers(md("## II.2\nnot I.2"), md("## III.1\nnot I.1"), md("# Partie I"), md("## 1.3 a sub-point\nx"),
                    md("## I.2x\nnot a question"))
    assert "I.2" not in found and "I.1" not in found and found["II.2"] == ["not I.2"]


def test_a_tag_names_the_question_and_comes_first():
    found = match(sections_of([md("## I.2\nunder the heading"), md("tagged text", tags=["answer:I.2"])]), IDS)
    assert [s.body for s in found["I.2"]] == ["tagged text", "under the heading"]


def test_a_heading_alone_takes_the_next_cell_and_any_ids_work():
    assert answers(md("## I.3"), md("the answer below"))["I.3"] == ["the answer below"]
    found = match(sections_of([md("## Exercise 2b\nsoftmax"), md("## Q1: why\nbecause")]), ["Q1", "Exercise 2b"])
    assert [s.body for s in found["Q1"]] == ["because"] and [s.body for s in found["Exercise 2b"]] == ["softmax"]
