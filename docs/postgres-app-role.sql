-- Cimento on PostgreSQL: the role the web servers connect as cannot rewrite the audit trail.
--
-- Two roles. cimento_owner owns the tables, runs `manage.py migrate` and any retention purge;
-- cimento_app is the role of DATABASE_URL on the app servers. Run this file as cimento_owner
-- after every `migrate` (a new table needs its grants); `manage.py restore` runs it too:
--
--   psql "$OWNER_DATABASE_URL" -v ON_ERROR_STOP=1 -f docs/postgres-app-role.sql
--
-- The role is named cimento_app below; replace the name if yours differs.
-- tests/security/test_append_only.py runs this file against a throwaway role on PostgreSQL.

GRANT USAGE ON SCHEMA public TO cimento_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cimento_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO cimento_app;

-- Records of what happened (access log, account events, timeline, decisions, engine snapshots,
-- convocations handed out): read and append, never change nor delete. The models refuse it too
-- (clinic/append_only.py); this holds even for code that goes around the ORM. Every
-- AppendOnlyModel's table is listed (tested).
REVOKE UPDATE, DELETE, TRUNCATE ON
    clinic_accesslog,
    clinic_accountevent,
    referrals_timelineevent,
    referrals_decision,
    referrals_eligibilitysnapshot,
    scheduling_convocation,
    procedures_checklistcheck,
    procedures_checklistoverride,
    procedures_procedurereport,
    procedures_treatedlevel,
    procedures_reportaddendum,
    followups_followupanswer
FROM cimento_app;
