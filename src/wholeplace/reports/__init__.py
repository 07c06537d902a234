"""Report writers shared by every capability: atomic files, HTML, XLSX, bubble diagrams, maps.

Nothing here knows about a capability's data: each capability gathers its own typed report
data and uses these helpers to draw and write it.
"""
