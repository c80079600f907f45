create or replace table ms as select distinct doc_id, sa, sb from m;
create or replace table yspan as select distinct s.doc_id, s.i from ms join spans s on s.doc_id = ms.doc_id and s.a < ms.sb and ms.sa < s.b;
create or replace table r2 as select * from read_parquet('out/routes_r4.parquet');
-- a page is "about a person" when its first span (or second) has a birth/death/lifespan route or a predicate occupation noun
create or replace table person_doc as select doc_id, bool_or(list_has_any(routes, ['lifespan:life','birth_date_v2/born:date_after','birth_place_v2/born:prep_after','occupation_v3/copula:pred','occupation_v3/copula:pred_lead','occupation_v3/copula:pred_pron','death_date_v3/died:date_after'])) person
  from r2 where i <= 1 group by 1;
create or replace table w2 as select s.doc_id, s.i, s.len, r2.routes, y.i is not null yields, coalesce(p.person, false) person
 from spans s join r2 using (doc_id, i) left join yspan y using (doc_id, i) left join person_doc p using (doc_id) where len(r2.routes) > 0;
select person, count(distinct doc_id) docs, sum(len) chars, sum(case when yields then len else 0 end) yielding, sum(case when not yields then len else 0 end) waste,
  round(sum(case when yields then len else 0 end)/sum(len),3) prec from w2 group by 1;
-- mentions by doc type and relation
select coalesce(p.person,false) person, attribute, count(*) n from m left join person_doc p using (doc_id) group by all order by 2,1;
