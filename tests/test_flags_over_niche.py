"""OVER_NICHE and niche_score: trivial micro-behaviours against narrow-but-valuable units."""

from __future__ import annotations

import pytest

from scoring.flags.over_niche import THRESHOLD, _Title
from scoring.rules import flag_offering, flag_offerings


def niche(title: str, **row):
    return flag_offering({"id": "o1", "title": title, **row})


def raised(result) -> bool:
    return "OVER_NICHE" in result.hits


def signal_names(result) -> set[str]:
    return {signal.name for signal in result.niche_signals}


def test_the_real_example_is_over_niche_because_of_act_object_and_tool():
    result = niche("Checking for Understanding Using Gestures")
    hit = result.hits["OVER_NICHE"]
    assert (hit.rule_id, hit.value) == ("OVER_NICHE", result.niche_score)
    assert hit.evidence_text == "Checking for Understanding Using Gestures"
    assert {"everyday act as title", "narrowed by a tool", "only common words"} <= signal_names(
        result
    )
    assert "'Using Gestures'" in hit.reason or "'gestures'" in hit.reason


@pytest.mark.parametrize(
    "title",
    [
        "Gmail: Adding a Signature",
        "Word: Inserting a Page Break",
        "Muting Your Microphone in Zoom",
        "Holding the Door for Visitors",
        "Sharpening a Pencil",
        "Saying Thank You to Customers",
        "Printing a Document",
        "Handing Out Worksheets",
        "Signing Your Name on a Form",
        "Logging Into Your Email",
    ],
)
def test_one_button_of_one_tool_or_one_nicety_is_over_niche(title):
    assert raised(niche(title))


@pytest.mark.parametrize(
    ("title", "row"),
    [
        ("Provide Cardiopulmonary Resuscitation (HLTAID009)", {"duration_hours": "3"}),
        ("Provide Responsible Service of Alcohol", {"certificate_text": "Statement of Attainment"}),
        ("Prepare to Work Safely in the Construction Industry (White Card)", {}),
        ("Introduction to Process Mining with ProM", {"duration_hours": "12"}),
        ("Flexagons and the Math Behind Twisted Paper", {"duration_hours": "6"}),
        ("Creating Pivot Tables in Excel", {}),  # product + a substantive feature
        ("Photographing Birds with a Smartphone", {}),  # skilled act, object is only the tool
        ("Teaching Physical Computing with Raspberry Pi and Python", {}),
        ("Manual Handling Refresher", {"duration_hours": "0.5"}),  # short but a real duty
        ("Motivating Students", {}),
        ("Using Name Games to Build Classroom Community", {}),  # states a purpose
        ("Outlook: Managing Your Calendar Efficiently", {"duration_hours": "1.5"}),
        ("Logging and Monitoring in Google Cloud", {"duration_hours": "12"}),
        ("Document Control for ISO 9001", {"duration_hours": "4"}),
    ],
)
def test_narrow_but_valuable_units_and_broad_courses_are_not_over_niche(title, row):
    result = niche(title, **row)
    assert not raised(result)
    assert result.niche_score < THRESHOLD


def test_a_national_unit_code_outweighs_a_trivial_looking_title():
    plain = niche("Greeting Customers at the Door")
    coded = niche("Greeting Customers at the Door (SITXCCS011)")
    assert raised(plain)
    assert not raised(coded)
    assert ("recognised unit or licence", -0.6, "SITXCCS011") in [
        (s.name, s.weight, s.evidence_text) for s in coded.niche_signals
    ]


def test_wording_that_grades_quality_marks_a_skill_not_an_act():
    act = niche("Replying to an Email")
    skill = niche("Writing Effective Emails")
    assert raised(act)
    assert not raised(skill)
    assert ("grades how well", -0.15, "effective") in [
        (s.name, s.weight, s.evidence_text) for s in skill.niche_signals
    ]


def test_duration_is_a_weak_signal_in_both_directions():
    short = niche("Using a Timer for Transitions", duration_hours="0.5").niche_score
    unknown = niche("Using a Timer for Transitions").niche_score
    long = niche("Using a Timer for Transitions", duration_hours="12").niche_score
    assert short > unknown > long
    assert short - unknown == pytest.approx(0.1)


def test_one_act_sold_once_per_tool_is_a_corpus_signal():
    series = [
        {"id": f"s{n}", "title": f"Checking for Understanding Using {tool}"}
        for n, tool in enumerate(["Cold Call", "Turn and Talk", "Exit Slips"])
    ]
    alone = niche("Checking for Understanding Using Cold Call")
    in_series = flag_offerings(series)[0]
    assert "same act, one credential per tool" not in signal_names(alone)
    assert "same act, one credential per tool" in signal_names(in_series)
    assert in_series.niche_score == pytest.approx(alone.niche_score + 0.15)
    assert raised(in_series)


def test_a_subject_many_offerings_share_counts_against_niche():
    rows = [{"id": f"p{n}", "title": f"Python Project {n}"} for n in range(25)]
    rows.append({"id": "x", "title": "Cleaning Up Python Lists"})
    result = flag_offerings(rows)[-1]
    common = [s for s in result.niche_signals if s.name == "common subject"]
    assert common and common[0].evidence_text == "python in 25 other offerings"


def test_niche_score_stays_in_range_and_rounded():
    for title in ("Outlook: Setting an Out-of-Office Reply", "Python Masterclass: Complete Course"):
        score = niche(title, duration_hours="0.25").niche_score
        assert 0 <= score <= 1
        assert score == round(score, 3)
    assert niche("Gmail: Adding a Signature", duration_hours="0.25").niche_score == 1


def test_everyday_words_after_an_act_push_up_and_one_specialist_word_pulls_down():
    everyday = niche("Closing the Office Window")
    specialist = niche("Flushing a Tracheostomy Tube")
    assert ("only everyday words", 0.3, "window 4.8") in [
        (s.name, s.weight, s.evidence_text) for s in everyday.niche_signals
    ]
    assert "specialist word" in signal_names(specialist)
    assert not raised(specialist)


def test_everyday_words_say_nothing_once_the_title_names_a_field():
    result = niche("Checking Data in the Morning")
    assert not {"only everyday words", "only common words"} & signal_names(result)


def signal(result, name: str):
    return next((s for s in result.niche_signals if s.name == name), None)


def test_a_compound_of_two_common_words_reads_as_everyday_not_as_rare():
    # "whiteboard" is printed rarely (Zipf 2.9) but both halves are everyday words
    board = signal(niche("Writing the Date on the Whiteboard"), "only everyday words")
    assert board is not None and board.evidence_text.startswith("date")
    # a compound with one rare half stays specialist: "pipette" is 2.3
    pipette = signal(niche("Cleaning a Micropipette"), "specialist word")
    assert pipette is not None and pipette.evidence_text.startswith("micropipette")


def test_your_own_things_mark_a_personal_habit_but_not_a_subject():
    habit = niche("Hanging Your Coat on the Hook")
    assert signal(habit, "your own things").evidence_text == "your"
    assert signal(niche("Develop Your Cultural Intelligence"), "your own things") is None
    assert signal(niche("Managing Your Project Budget"), "your own things") is None  # a field


def test_a_moment_of_the_day_ties_an_act_to_a_routine():
    moment = signal(niche("Pushing In a Chair After a Meeting"), "one moment of the day")
    assert moment.evidence_text == "After a Meeting"
    assert signal(niche("Pruning Grapevines in Winter"), "one moment of the day") is None
    # about a subject: a time clause does not make it a habit
    assert signal(niche("Managing Risk Before a Project Starts"), "one moment of the day") is None


def test_a_named_occupation_counts_against_niche():
    result = niche("Answering Emergency Calls as a Dispatcher")
    assert signal(result, "names an occupation").weight < 0
    assert not raised(result)
    assert signal(niche("Answering the Phone with a Smile"), "names an occupation") is None


def test_everyday_words_count_half_after_an_act_outside_the_everyday_verbs():
    everyday_act = signal(niche("Holding a Cup of Coffee"), "only everyday words")
    craft_act = signal(niche("Laying Bricks to a Line"), "only common words") or signal(
        niche("Laying Bricks to a Line"), "only everyday words"
    )
    assert everyday_act.weight == 0.3
    assert craft_act.weight in (0.1, 0.15)


def test_an_infinitive_of_purpose_states_an_outcome_but_to_whom_does_not():
    purpose = signal(niche("Writing Publicly to Influence Parents"), "states a purpose")
    assert (purpose.weight, purpose.evidence_text) == (-0.2, "to Influence Parents")
    assert signal(niche("Saying Thank You to the Bus Driver"), "states a purpose") is None
    assert signal(niche("Saying Good Morning to Colleagues"), "states a purpose") is None
    assert signal(niche("Adding a Contact to Your Phone"), "states a purpose") is None


def test_one_particular_thing_rather_than_a_class_of_things():
    one = signal(niche("Picking Up the Stapler"), "one thing, not a class")
    assert one.evidence_text == "Picking Up the Stapler"
    assert signal(niche("Laying Bricks to a Line"), "one thing, not a class") is None
    assert signal(niche("Starting a Business Plan"), "one thing, not a class") is None  # a field


def test_an_act_is_an_ing_form_of_a_real_verb_not_any_word_ending_in_ing():
    # nouns that merely end in -ing open no act: no structure signal at all
    for title in ("Pudding Recipes for a Crowd", "Herring Stocks in the North Sea"):
        assert signal(niche(title), "skilled act as title") is None
    # a verb form lemminflect's tables lack is read by its rules: "unmuting" as "unmute"
    assert signal(niche("Unmuting Your Microphone"), "skilled act as title").evidence_text == (
        "Unmuting"
    )


def test_listed_verbs_are_matched_by_lemma_whatever_the_spelling_of_the_form():
    # "queue" is listed once; "queueing" (and "queuing") are its forms, not list entries
    act = signal(niche("Queueing at the Printer"), "trivial act as title")
    assert act is not None and act.evidence_text == "Queueing"
    assert signal(niche("Queuing at the Printer"), "trivial act as title") is not None


def test_after_a_skilled_act_an_everyday_tool_is_not_the_object():
    skilled = niche("Photographing Birds with a Smartphone")
    assert signal(skilled, "everyday object") is None
    assert signal(skilled, "narrowed by a tool") is not None
    # after an everyday act the tool is the point: the pen still counts
    everyday = signal(niche("Signing a Form with a Pen"), "everyday object")
    assert everyday is not None and "pen" in everyday.evidence_text


def test_an_act_on_an_abstraction_names_a_competence_not_a_habit():
    abstract = signal(niche("Handling Customer Objections"), "acts on an abstraction")
    assert (abstract.weight, abstract.evidence_text) == (-0.15, "objections")
    assert not raised(niche("Handling Customer Objections"))
    # a short word with the same ending is a thing, and a tool phrase is not the act's object
    assert signal(niche("Cleaning the Coffee Station"), "acts on an abstraction") is None
    tool = niche("Checking for Understanding Using Exit Questions")
    assert signal(tool, "acts on an abstraction") is None


def test_a_frame_around_an_act_is_read_as_the_act_it_wraps():
    for framed in (
        "How to Staple a Memo",
        "Remembering to Staple a Memo",
        "The Art of Stapling a Memo",
    ):
        assert _Title.parse(framed).rest == "Stapling a Memo", framed
    assert raised(niche("How to Staple a Memo")) == raised(niche("Stapling a Memo"))
    # A to-infinitive of purpose after an act, or a course word before a noun, is no frame.
    assert _Title.parse("Writing Publicly to Influence Parents").rest.startswith("Writing")
    assert _Title.parse("Introduction to Process Mining").rest == "Introduction to Process Mining"


def test_a_bare_name_before_a_colon_is_one_product():
    assert _Title.parse("Trello: Archiving a Card").product == "Trello"
    assert signal(niche("Figjam: Adding a Sticky Note"), "product + one feature").weight == 0.2
    # A listed consumer product counts in full; an unplaced name may be professional software.
    assert signal(niche("Gmail: Archiving a Thread"), "product + one feature").weight == 0.35
    # A field, a course word or an act before the colon names a subject, not a product.
    for title in ("Digital Skills: Social Media", "Engaging Students: Problem Solving"):
        assert _Title.parse(title).product == "", title


def test_a_noun_before_an_ing_form_is_that_acts_object():
    assert _Title.parse("Correct Mug Washing").rest == "Washing Correct Mug"
    assert _Title.parse("Correct Mug Washing").lead == "washing"
    # A field before the -ing form, or a nominal -ing form, keeps the order.
    assert _Title.parse("Problem Solving at Work").rest == "Problem Solving at Work"
    assert _Title.parse("Process Mining with Weka").rest == "Process Mining with Weka"


def test_a_word_that_takes_an_object_is_an_act_even_when_it_can_be_a_noun():
    assert _Title.parse("Lighting a Bonfire").lead == "lighting"
    assert _Title.parse("Hand In Your Library Card").lead == "hand"
    # Without an object it stays a noun: "Hand Hygiene", "Lighting Design".
    assert _Title.parse("Hand Hygiene for Cooks").lead == ""
    assert _Title.parse("Lighting Design for Theatre").lead == ""


def test_a_standard_of_safety_or_accuracy_grades_a_skill():
    assert "grades how well" in signal_names(niche("Carrying Hot Plates Safely"))
    assert "grades how well" not in signal_names(niche("Carrying Hot Plates"))


def test_a_verb_framing_another_act_is_no_object_of_it():
    assert _Title.parse("Trying to Fold a Map").rest == "Folding a Map"
    assert _Title.parse("Stop Smoking").rest == "Stop Smoking"
    assert _Title.parse("Forensic Facial Reconstruction: Finding Mr. X").rest.startswith("Forensic")


def test_a_ment_nominalisation_or_an_act_heading_the_object_is_an_abstraction():
    assert "acts on an abstraction" in signal_names(niche("Drafting a Settlement"))
    assert "acts on an abstraction" in signal_names(niche("Taking a Meter Reading"))
    # "cement" is too short to be a nominalisation; an -ing in a time clause says when.
    assert "acts on an abstraction" not in signal_names(niche("Mixing Cement"))
    assert "acts on an abstraction" not in signal_names(niche("Turning Off the Fan When Leaving"))


def test_while_opens_a_time_clause_like_before_and_after():
    assert "one moment of the day" in signal_names(niche("Humming While Typing"))
    assert "one moment of the day" not in signal_names(niche("Humming a Tune"))


def test_a_light_verb_says_nothing_about_the_act_its_object_carries():
    for title in ("Taking a Pulse Reading", "Giving Feedback", "Making a Rota"):
        assert "everyday act as title" not in signal_names(niche(title)), title
    # An ordinary verb of its own still counts as an everyday act.
    assert "everyday act as title" in signal_names(niche("Holding a Pen"))
