-- 0001's and 0024's two policies again.
DROP INDEX case_officers_lead_idx;
DROP POLICY users_read ON users;
CREATE POLICY users_read ON users FOR SELECT USING (
  town_id = ANY ((SELECT app_read_towns())::bigint[])
  OR (town_id IS NULL AND app_scope() IN ('county_read', 'county_admin')) -- county staff
  OR id = app_user_id()
  OR username = nullif(current_setting('app.login', true), ''));
CREATE POLICY users_read_case_people ON users FOR SELECT USING (
  EXISTS (SELECT FROM case_officers o
          WHERE o.user_id = users.id AND o.town_id = ANY ((SELECT app_read_towns())::bigint[]))
  OR EXISTS (SELECT FROM evidence e
             WHERE e.collected_by = users.id AND e.town_id = ANY ((SELECT app_read_towns())::bigint[]))
  OR EXISTS (SELECT FROM evidence e
             WHERE e.uploaded_by = users.id AND e.town_id = ANY ((SELECT app_read_towns())::bigint[])));
