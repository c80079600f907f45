-- views: spans (a,b = span range, len), docs, m (mentions with sentence range sa,sb and value va,vb)
create or replace view spans as select * exclude(start, "end"), start as a, "end" as b, "end"-start as len from read_parquet('out/spans.parquet');
create or replace view docs as select * from read_parquet('/work/runs/wiki_now/documents/**/*.parquet');
create or replace view m as select * exclude(start, "end"), start as va, "end" as vb, sentence_start as sa, sentence_start + length(sentence) as sb
  from read_parquet('/work/runs/wiki_now/mentions/**/*.parquet', hive_partitioning=true);
