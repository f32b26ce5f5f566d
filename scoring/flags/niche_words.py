"""Word classes for the over-niche rule (skill-signals.md): what a trivial micro-behaviour looks
like, and what marks a field of knowledge instead. Classes, not titles: each list names a kind
of thing (a classroom or office object, a user-interface element, a social nicety), so a title
never seen before is judged by the kind of words it uses.
"""

from __future__ import annotations


def _word_set(words: str) -> frozenset[str]:
    """A set of lower-case words written as one whitespace-separated string."""
    return frozenset(words.split())


# Verbs whose act is trivial whatever the object: a gesture, a nicety, one click. Only verbs
# with no common skilled sense ("raising capital", "standing out") belong here. Both verb lists
# hold lemmas: "wiping", "wiped" are read as "wipe" (lemminflect, in over_niche.py).
TRIVIAL_ACTIONS = _word_set(
    """wave nod clap knock sharpen erase wipe queue tidy plug unplug toggle bookmark refresh rename
    underline bold resize minimise minimize maximise"""
)

# Ordinary verbs that are trivial only with a trivial object ("Adding a Contact to Your Phone").
# Verbs outside both lists (negotiating, photographing, creating) name a skill of their own. The
# light verbs (make, take, give, have, do) are in neither: their object carries the act ("Taking
# a Reading", "Giving Feedback", "Making a Budget"), so the verb says nothing about it.
GENERIC_ACTIONS = _word_set(
    """use add set change write check answer open close put turn insert save print copy paste
    attach send delete remove fill find move share sort label hang forward fold stamp
    tap scroll drag press switch pin star highlight ring raise shake hold sit stand push pull
    adjust charge wear lock unlock log sign hand call archive"""
)

# Concrete things at a desk, in a classroom or on a phone: objects of a micro-behaviour. Words
# whose common sense is no such object ("board" of directors, "by hand", a "form" of words,
# "light", "roll", "lid", "window") are not listed: wordfreq's everydayness judges them.
TRIVIAL_OBJECTS = _word_set(
    """door doors doorway blackboard blackboards chalkboard
    chalk marker markers pen pens pencil pencils eraser stapler staples paperclip paperclips
    envelope envelopes desk desks chair chairs seat seats stopwatch bell bells
    clock clocks phone phones telephone telephones smartphone lamp
    highlighter folder folders file files link links email emails screen
    handshake thumbs whistle sticker stickers
    sticky post-it post-its kettle mug coffee tea printer photocopier mailbox
    button buttons icon icons tab tabs
    menu toolbar ribbon shortcut shortcuts cursor mouse keyboard screenshot wallpaper
    emoji emojis signature
    ringtone microphone mic webcam avatar username password hyperlink
    nametag lanyard queue line-up monitor laptop clipboard projector alarm
    document documents worksheet worksheets handout handouts timesheet timesheets"""
)

# Everyday social phrases; a credential for saying one certifies a nicety, not a skill.
PLEASANTRIES = (
    "good afternoon",
    "good evening",
    "hello",
    "goodbye",
    "thank you",
    "thumbs up",
    "high five",
)

# Single consumer software products and devices ("Excel: Changing the Font Colour").
PRODUCTS = _word_set(
    """excel word powerpoint outlook onenote onedrive sharepoint teams zoom skype slack
    gmail hotmail yahoo whatsapp telegram messenger facebook instagram twitter tiktok
    youtube snapchat pinterest chrome firefox safari windows macos iphone ipad android
    dropbox canva trello asana notion evernote acrobat photoshop keynote pages numbers
    calendar docs sheets slides drive meet kahoot padlet seesaw"""
)
# Product names that are also common words: a product only after its maker or before a colon.
AMBIGUOUS_PRODUCTS = _word_set(
    "word pages numbers calendar docs sheets slides drive meet windows teams notion keynote"
)
PRODUCT_OWNERS = _word_set("microsoft google apple adobe ms")

# Fields, competences and course-level words: a title naming one is not a micro-behaviour.
FIELD_WORDS = _word_set(
    """learning teaching education pedagogy curriculum instruction instructional assessment
    assessments evaluation strategies strategy management leadership skills skill competence
    analytics analysis data science sciences programming python java javascript sql code coding
    computing computational software development design marketing finance financial business
    economics economy accounting bookkeeping health healthcare care nursing medicine medical
    clinical safety law legal policy ethics research history culture cultural language
    languages literacy numeracy mathematics maths math statistics psychology engineering
    technology digital thinking knowledge content communication collaboration motivation
    engagement inclusion inclusive equity diversity wellbeing privacy security cybersecurity
    network networks cloud machine intelligence ai nutrition environment environmental
    sustainability sustainable planning problem solving theory practice process processes
    systems recruitment trauma change governance compliance resilience innovation
    entrepreneurship sales service services operations logistics project projects apps
    misconceptions differences standards inquiry pivot formula formulas functions macros
    vba charts dashboards queries automation scripting modelling modeling reporting
    database english spanish french german italian chinese mandarin japanese korean arabic
    irish welsh portuguese russian hindi"""
)
COURSE_LEVEL_WORDS = _word_set(
    """introduction intro fundamentals essentials basics principles foundations foundation
    masterclass bootcamp complete course courses specialization specialisation diploma
    certificate professional advanced beginner beginners intermediate theory overview
    101 guide"""
)

# Words that grade how well something is done, or to what standard (safely, accurately): a
# scale of skill, not a single act.
QUALITY_WORDS = _word_set(
    """effective effectively successful successfully persuasive professional professionally
    strategic strategically confident confidently impactful excellent excellence mastering
    mastery best better great powerful efficient efficiently productive productively safe
    safely accurate accurately"""
)

# Words every kind of course uses; they say nothing about how broad its subject is.
GENERIC_COURSE_WORDS = _word_set(
    """understanding students student learners learner people classroom classrooms school
    work workplace your you how what why the and for with using from into"""
)

# -ing forms of verbs that name a field or a thing, not an act ("Learning Python", "Nursing
# Practice", "Meeting Notes"). -ing words that are no verb form at all ("morning", "ceiling")
# need no entry: lemminflect knows them as nouns only.
NOMINAL_ING = _word_set(
    """learning programming engineering marketing nursing computing training accounting banking
    mining filmmaking podcasting upcycling building wellbeing being evening clothing housing
    funding meeting reading painting lighting beginning offering during"""
)

# Who an act is done with or to: "with Colleagues" is an occasion, not a tool.
PEOPLE = _word_set(
    """others other colleagues colleague parents parent families family students student peers
    children child people learners teachers patients customers clients staff team
    suppliers visitors guests"""
)

# Words ending in -ly that are not manner adverbs.
NOT_ADVERBS = _word_set("reply apply supply family italy assembly july only ally rally")

# Words that open a noun phrase: after "to" they make it "to whom", not an infinitive of
# purpose ("to a Line", "to Your Phone").
DETERMINERS = _word_set(
    "a an the your my our their his her its this that these those all each every one"
)

STOPWORDS = _word_set(
    """a an the of to in on at for with and or by from into onto as is are be your you their
    our my its it this that while when how what why who whom which up down out over under
    correctly properly"""
)
