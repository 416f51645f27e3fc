"""Legal domain rules: which data-protection law covers a person, and its deadlines.

Plain Python, no Flask request: the wizard, the letters and the command line
all ask these modules, so that they cannot disagree.
"""
