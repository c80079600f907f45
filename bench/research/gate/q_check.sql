select sum(len) total_chars, sum(case when passes then len else 0 end) pass_chars,
  sum(case when kept then len else 0 end) kept_chars, count(*) spans, sum(passes::int) pass_spans from spans;
select sum(n_chars) chars, sum(parsed_chars) parsed_chars, sum(parsed::int) parsed_docs from docs;
-- per-doc comparison: kept chars (+ late opening if the doc has mentions) vs the run's parsed_chars
with k as (select doc_id, sum(case when kept then len else 0 end) kept,
             max(case when i=0 and not kept then len else 0 end) open0 from spans group by 1),
     md as (select distinct doc_id from m)
select count(*) docs, sum(k.kept) kept, sum(k.kept + case when md.doc_id is not null then open0 else 0 end) kept_plus_open,
  sum(d.parsed_chars) run_parsed,
  sum((d.parsed_chars = k.kept)::int) eq_kept,
  sum((d.parsed_chars = k.kept + open0)::int) eq_kept_open,
  sum((d.parsed_chars <> k.kept and d.parsed_chars <> k.kept+open0)::int) neither
from k join docs d using (doc_id) left join md using (doc_id);
