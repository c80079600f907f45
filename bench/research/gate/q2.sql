create or replace table ms as select distinct doc_id, sa, sb from m;
create or replace table ms_all as select distinct doc_id, sa, sb from m where status='asserted';
-- mention sentences -> pre-parse spans overlapping them
create or replace table hit as select s.doc_id, s.i, s.len, s.passes, s.kept, ms.sa, ms.sb
  from ms join spans s on s.doc_id = ms.doc_id and s.a < ms.sb and ms.sa < s.b;
select count(*) mention_sentences, sum(sb-sa) spacy_sentence_chars from ms;
select count(*) asserted_mention_sentences, sum(sb-sa) chars from ms_all;
-- how many pre-parse spans each mention sentence overlaps
select n, count(*) from (select doc_id, sa, count(*) n from hit group by all) group by n order by n;
-- yielding spans (pre-parse spans overlapping a mention sentence) and whether they passed the gate
select count(*) spans, sum(len) chars, sum(passes::int) passed, sum(kept::int) kept from (select distinct doc_id, i, len, passes, kept from hit);
-- mention sentences none of whose spans passed (kept only by the opening rule)
select count(*) from (select doc_id, sa from hit group by all having max(passes::int)=0);
-- ratios
with y as (select sum(sb-sa) y1 from ms), ys as (select sum(len) y2 from (select distinct doc_id, i, len from hit)),
 p as (select sum(parsed_chars) p, sum(n_chars) t from docs),
 g as (select sum(case when passes then len else 0 end) g from spans)
select t total, p parsed, round(p/t,4) parsed_share, g gate_pass, y1 yield_spacy, round(y1/t,4) yield_share, y2 yield_spans,
  round(p/y1,3) ratio_parsed_over_yield_spacy, round(p/y2,3) ratio_parsed_over_yield_spans, round(g/y1,3) ratio_gate_over_spacy
 from y, ys, p, g;
