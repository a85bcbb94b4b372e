"""Outside formats: REDCap, survey tools' exports, spreadsheets and the offline form.

One module per format, behind one small interface: rows in, sheets out (``rows.py``),
over one flat list of the questions (``fields.py``). Nothing here scores or renders.
"""
