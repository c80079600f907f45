-- spans the whole-entry rule (R1) drops: their enabling trigger words
create or replace table r as select * from read_parquet('out/rules_default.parquet');
create or replace table dropped as select s.* from spans s join r using (doc_id, i) where s.passes and not r."R1";
select count(*) spans, sum(len) chars from dropped;
select w, count(*) spans, sum(len) chars from (select unnest(words) w, len from dropped) group by 1 order by 3 desc limit 15;
