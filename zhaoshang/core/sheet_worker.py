"""Read one uploaded workbook in a child process under a memory ceiling (started by ``core.uploads``).

Run as ``python -I sheet_worker.py '<options JSON>'`` with the workbook's bytes on stdin; writes the chosen
sheet's rows (lists of plain values: str, int, float, bool, date, datetime, time, timedelta, None) to stdout as a
pickle. Self-contained on purpose — the standard library and python_calamine only, never Django — so that what a
hostile file does to the parser (python-calamine builds the whole cell range in memory before a row can be read)
happens in a process that the operating system stops at ``memory_mb`` (RLIMIT_AS) and ``cpu_seconds`` (RLIMIT_CPU).

Exit status: 0 rows written; 2 the file cannot be read as a workbook; 3 the sheet is larger than the limits (the
sizes on stderr, as JSON); 4 out of memory. A kill by the kernel (SIGKILL, SIGXCPU) or an abort from an allocation
that failed inside the Rust parser (SIGABRT) shows as a negative status to the parent.
"""

import io
import json
import pickle
import resource
import sys

EXIT_UNREADABLE, EXIT_TOO_LARGE, EXIT_MEMORY = 2, 3, 4


def main() -> int:
    options = json.loads(sys.argv[1])
    ceiling = options["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    resource.setrlimit(resource.RLIMIT_CPU, (options["cpu_seconds"], options["cpu_seconds"] + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file of a bomb
    try:
        content = sys.stdin.buffer.read()
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = book.sheet_names
        if options.get("all_sheets"):
            return _all_sheets(book, names, options)
        name = options["sheet"] if options["sheet"] in names else names[0]
        sheet = book.get_sheet_by_name(name)
    except MemoryError:
        return EXIT_MEMORY
    except Exception as error:  # calamine's errors, a zip it cannot open, no sheet at all
        sys.stderr.write(f"{type(error).__name__}: {error}"[:500])
        return EXIT_UNREADABLE
    # The rows to_python gives start at A1, so the empty area before the data counts too: up to ``end``.
    end = sheet.end if sheet.height else None
    rows, columns = (end[0] + 1, end[1] + 1) if end else (0, 0)
    if rows > options["max_rows"] or columns > options["max_columns"] or rows * columns > options["max_cells"]:
        sys.stderr.write(json.dumps({"rows": rows, "columns": columns}))
        return EXIT_TOO_LARGE
    try:
        data = sheet.to_python(skip_empty_area=False)
        del sheet, book, content
        pickle.dump(data, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
        sys.stdout.buffer.flush()
    except MemoryError:
        return EXIT_MEMORY
    return 0


def _all_sheets(book, names, options) -> int:
    """Every sheet (a bureau's 台账 keeps one year or one kind of project per sheet) as (name, rows, merged
    ranges), the limits applying to the sheets together. .xls (BIFF) is read by calamine as well."""
    sheets, cells = [], 0
    try:
        for name in names:
            sheet = book.get_sheet_by_name(name)
            end = sheet.end if sheet.height else None
            rows, columns = (end[0] + 1, end[1] + 1) if end else (0, 0)
            cells += rows * columns
            if rows > options["max_rows"] or columns > options["max_columns"] or cells > options["max_cells"]:
                sys.stderr.write(json.dumps({"rows": rows, "columns": columns}))
                return EXIT_TOO_LARGE
            data = sheet.to_python(skip_empty_area=False) if end else []
            merged = [tuple(map(tuple, pair)) for pair in (sheet.merged_cell_ranges or [])]
            sheets.append((name, data, merged))
        pickle.dump(sheets, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
        sys.stdout.buffer.flush()
    except MemoryError:
        return EXIT_MEMORY
    except Exception as error:
        sys.stderr.write(f"{type(error).__name__}: {error}"[:500])
        return EXIT_UNREADABLE
    return 0


if __name__ == "__main__":
    sys.exit(main())
