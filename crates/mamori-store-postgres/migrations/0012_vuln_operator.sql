-- mamori serve, schema 12: the website operator of a website case (issue 12, Ⅵ 2.(2)).
-- When the receiving body notifies the operator it may link the case to the operator's
-- organization; that organization's members then act as the website operator (ウェブサイト
-- 運営者) on this case only (mamori_service::authz::vuln_party). NULL: the operator is
-- reached by mail and the receiving body records its answers.
ALTER TABLE vuln_cases ADD COLUMN operator_org BIGINT REFERENCES orgs(id);
