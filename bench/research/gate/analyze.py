"""Run a .sql file's statements in DuckDB and print the result of each select.
/work/main/.venv/bin/python analyze.py q1.sql q2.sql ..."""
import sys, duckdb
con = duckdb.connect()
con.execute("set threads=1")
for f in sys.argv[1:]:
    for stmt in open(f).read().split(";\n"):
        s = "\n".join(l for l in stmt.splitlines() if not l.strip().startswith("--")).strip()
        if not s:
            continue
        if not s.lower().startswith(("select", "with", "from")):
            con.execute(s); continue
        r = con.sql(s)
        if r is not None:
            print("--", s.splitlines()[0][:100]); r.show(max_rows=60, max_width=250)
