"""Turn raw documents into clean Simplified Chinese, recording every change.

Each step is a function ``step(text) -> (text, edits)``. An :class:`Edit`
records which step and rule changed which span (``old``) into what (``new``),
so the audit explains every character that left the text:

    len(raw) == len(clean) + sum(len(e.old) - len(e.new) for e in edits)
    replay(raw, edits) == clean          # nothing changes unrecorded

:func:`clean` chains the steps in this order:

1. ``newlines``     CRLF / CR / Unicode line separators -> ``\\n``
2. ``invisible``    zero-width characters, soft hyphens, stray BOMs and control characters removed
3. ``width``        full-width ASCII letters and digits -> half-width (nothing else)
4. ``simplified``   Traditional -> Simplified with OpenCC (``t2s``)
5. ``punctuation``  ASCII ``, ; : ! ? ( )`` touching Chinese -> Chinese forms
6. ``lines``        PDF line and page breaks inside sentences rejoined (never gluing a line
   that step 7 removes to the text around it)
7. ``boilerplate``  web and document debris, rules from ``data/boilerplate.yaml``
   (after 6, so a footer broken over lines is removed whole); notices such as
   copyright footers only in a document's head or foot (``where: edge``)
8. ``whitespace``   edge spaces, blank lines and spaces between Chinese and digits

The steps run again until a pass changes nothing, so cleaning is idempotent
(a second pass matters only for odd input, such as a line that is only a
boilerplate rule's match once a stray character in front of it is gone).

Chinese punctuation (、，。“”) is never rewritten: slogan mining relies on it.

After every document is cleaned, loading a corpus runs one corpus-level step:
``shared_lines`` removes the lines repeated at the head or foot of many documents
(a site's licence notice, a letterhead; :mod:`analysis.cleaning.shared_lines`,
thresholds in ``data/shared_lines.yaml``), recorded in each document's audit under
the rule ``shared_line``.

Modules
-------
``edits``        :class:`Edit`, :class:`CleanResult`, :func:`apply_edits`
``decoding``     :func:`decode` (bytes to text, or an error naming the file and the fix)
``steps``        steps 1-5 and 8 (newlines, invisible, width, simplified, punctuation, whitespace)
``lines``        step 6 (titles and sentences broken over lines)
``boilerplate``  step 7 (the rules of ``data/boilerplate.yaml``)
``pipeline``     :data:`STEPS`, :func:`clean`, :func:`replay`
``rules``        how a step's regular expressions are applied, one edit per match
``shared_lines`` the corpus-level step: lines shared by the edges of many documents
``corpus_options`` a corpus folder's own settings (``corpus.yaml``)
``fastscan``     the same matches as ``re.finditer``, found faster (or not scanned for at all)
"""
from .boilerplate import boilerplate_settings, load_boilerplate_rules, remove_boilerplate, rules_over_share
from .decoding import decode
from .edits import CleanResult, Edit
from .lines import join_title_lines, repair_lines
from .pipeline import CLEANING_VERSION, clean, replay
from .steps import (
    normalize_newlines,
    normalize_punctuation,
    normalize_width,
    remove_invisible,
    tidy_whitespace,
    to_simplified,
    traditional_only_chars,
)

# public names of the former module ``cleaning.py`` outside its ``__all__``, still reachable here
from .boilerplate import BoilerplateRule as BoilerplateRule
from .edits import apply_edits as apply_edits
from .lines import CLOSERS as CLOSERS, SOFT as SOFT, TERMINAL as TERMINAL, document_types as document_types
from .pipeline import FIRST_PASS_ONLY as FIRST_PASS_ONLY, MAX_PASSES as MAX_PASSES, STEPS as STEPS

__all__ = [
    "Edit",
    "CleanResult",
    "decode",
    "normalize_newlines",
    "remove_invisible",
    "normalize_width",
    "to_simplified",
    "normalize_punctuation",
    "load_boilerplate_rules",
    "remove_boilerplate",
    "join_title_lines",
    "repair_lines",
    "tidy_whitespace",
    "clean",
    "replay",
    "traditional_only_chars",
    "boilerplate_settings",
    "rules_over_share",
    "CLEANING_VERSION",
]
