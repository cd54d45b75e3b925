"""The demo's content as data: the two seed documents, quoted, and the invented examples.

``katrineholm_2020`` and ``kalmar_2019_2020`` hold what the real documents say
(the texts verbatim, no number invented); ``examples`` holds what is made up to
show the loop (activity plans, reports, follow-ups), stored as ``is_example``
and shown as "Exempeldata". The modules one level up only read these.
"""
