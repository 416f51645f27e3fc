"""The United Kingdom's complaint to the controller (section 164A of the Data Protection Act 2018).

Section 164A, inserted by section 103 of the Data (Use and Access) Act 2025, lets a data subject complain
to the controller about an infringement of the UK GDPR. The controller must acknowledge the complaint
within the period of 30 days beginning with the day it receives it (s. 164A(3)), and then, without undue
delay, take appropriate steps to respond to it and tell the complainant its outcome (s. 164A(4)). The
Information Commissioner expects such a complaint before one is lodged with it, so a UK letter about
silence, or one that contests a refusal, is worded as one, and the complaint to the Commissioner refers to it.

In force on 19 June 2026: the Data (Use and Access) Act 2025 (Commencement No. 6 and Transitional and
Saving Provisions) Regulations 2026 (SI 2026/82, made 29 January 2026), which brought most of Part 5 into
force on 5 February 2026, brought section 103 and Schedule 10 into force on 19 June 2026. Sources (stored
copies, not the live web; field-research-2026-12-04.md does not cover it): Stephenson Harwood, "Data (Use
and Access) Act 2025: new data complaint handling obligations"
(http://www.stephensonharwood.com/insights/data-use-and-access-act-2025-new-data-complaint-handling-obligations);
Slaughter and May, "ICO publishes guidance on data protection complaints processes" (13 March 2026,
https://thelens.slaughterandmay.com/tag/dua%20act); Brightmine legal timetable, "Requirement for data protection
complaints procedure: implementation date 19 June 2026"
(https://hrcentre.uk.brightmine.com/legal-timetable/requirement-for-data-protection-complaints-procedure/167715).
"""
from __future__ import annotations

from datetime import date

from .scope import UK_GDPR, Law

COMPLAINTS_TO_CONTROLLERS_FROM = date(2026, 6, 19)
# s. 164A(3): the acknowledgement is due within 30 days of the complaint's receipt.
ACKNOWLEDGEMENT_DAYS = 30


def complaint_to_controller(law: Law | None, day: date) -> bool:
    """Whether a letter of ``day`` under ``law`` can be a complaint to the controller under s. 164A."""
    return law is UK_GDPR and day >= COMPLAINTS_TO_CONTROLLERS_FROM
