"""Import of a bureau's own project 台账 (issue 18): any .xlsx, .xls or .csv (UTF-8 or GB18030) read by column
mapping, with units, dates, stages, places, industries and investors understood.

- ``words``    the data tables (header words, stage words, former county names) in ``data/``
- ``reading``  sheets, merged cells filled across, header rows (one or two) found, title/blank/合计/note rows skipped
- ``mapping``  a proposal for every column from its header words, units and months, remembered per bureau
- ``values``   dates, amounts (exact, to 万元), stages, counties and parks, industries
- ``funds``    到位 columns (monthly or cumulative) as ledger entries, checked against the ledger
- ``preview``  the dry run: rows for ``projects_import_rows`` (the one set of import rules), problems, 甄别,
               admission verdicts, totals before and after conversion
- ``commit``   the all-or-nothing write, one audited change, through ``projects_import_rows``
"""
