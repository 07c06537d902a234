"""Cost-benefit appraisal: the HM Treasury / New Economy method and the Unit Cost Database.

``unitcosts`` reads the published workbooks, ``deflators`` uprates prices, ``model`` computes
an appraisal exactly, ``sensitivity`` and ``simulate`` explore it, ``report`` writes it out.
"""
