"""A request and everything that happened after it: one case, carried by the person in each PDF.

``vocabulary`` names every value an answer can take; ``model`` holds the case (the request and
its events, in order); ``timeline`` derives every date a letter or page states from those
events; ``record`` is the one format in which a case travels inside a letter's PDF, with its
writer, its reader and the upgrades from earlier versions side by side. Nothing here knows
Flask, forms or templates: the journeys, the letters and the command line read the case.
"""
