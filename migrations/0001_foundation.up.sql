-- Foundation: roles, tenancy helpers, the county and its towns, accounts,
-- officer certificates, sessions and login throttling.

-- The application connects as zhifa_app (or a login role that is a member of
-- it). It owns nothing, so FORCE'd row-level security always applies to it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zhifa_app') THEN
    CREATE ROLE zhifa_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END
$$;

-- Per-transaction settings, set by the app with set_config(..., true) at the
-- start of every transaction (see internal/database).
--   app.scope    'town' | 'county_read' | 'county_admin' | '' (nothing)
--   app.town_id  the acting user's town
--   app.user_id  the acting user (a user may always read its own row)
--   app.login    the username being authenticated (login only)
CREATE FUNCTION app_scope() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT coalesce(current_setting('app.scope', true), '') $$;

CREATE FUNCTION app_town_id() RETURNS bigint LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.town_id', true), '')::bigint $$;

CREATE FUNCTION app_user_id() RETURNS bigint LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.user_id', true), '')::bigint $$;


-- Reference data: public, not town-owned.
CREATE TABLE counties (
  id          bigint PRIMARY KEY,
  name        text NOT NULL,
  bureau_name text NOT NULL -- the supervising justice bureau
);

CREATE TABLE towns (
  id         bigint PRIMARY KEY,
  county_id  bigint NOT NULL REFERENCES counties (id),
  code       text NOT NULL UNIQUE CHECK (code ~ '^[a-z]+$'),
  name       text NOT NULL UNIQUE,
  short_name text NOT NULL,
  team_name  text NOT NULL,
  position   int  NOT NULL
);

INSERT INTO counties (id, name, bureau_name) VALUES (1, '紫阳县', '紫阳县司法局');

INSERT INTO towns (id, county_id, code, name, short_name, team_name, position)
SELECT n, 1, code, name, left(name, length(name) - 1), name || '综合行政执法队', n
FROM (VALUES
  (1, 'chengguan', '城关镇'), (2, 'haoping', '蒿坪镇'), (3, 'hanwang', '汉王镇'),
  (4, 'huangu', '焕古镇'), (5, 'xiangyang', '向阳镇'), (6, 'donghe', '洞河镇'),
  (7, 'huishui', '洄水镇'), (8, 'shuangqiao', '双桥镇'), (9, 'gaoqiao', '高桥镇'),
  (10, 'hongchun', '红椿镇'), (11, 'gaotan', '高滩镇'), (12, 'maoba', '毛坝镇'),
  (13, 'wamiao', '瓦庙镇'), (14, 'maliu', '麻柳镇'), (15, 'shuangan', '双安镇'),
  (16, 'dongmu', '东木镇'), (17, 'jieling', '界岭镇')
) AS t (n, code, name);

GRANT SELECT ON counties, towns TO zhifa_app;

-- The towns the transaction may read and write: county roles read every
-- town, only the county administrator writes across towns. Policies test
-- town_id = ANY ((SELECT app_read_towns())::bigint[]): the sub-select runs
-- once per query (an InitPlan) and the test can use an index on town_id,
-- where a per-row function call or an OR of scope tests could not.
CREATE FUNCTION app_read_towns() RETURNS bigint[] LANGUAGE sql STABLE AS
$$ SELECT CASE
     WHEN app_scope() IN ('county_read', 'county_admin') THEN (SELECT coalesce(array_agg(id), '{}') FROM towns)
     WHEN app_scope() = 'town' AND app_town_id() IS NOT NULL THEN ARRAY[app_town_id()]
     ELSE '{}'::bigint[] END $$;

CREATE FUNCTION app_write_towns() RETURNS bigint[] LANGUAGE sql STABLE AS
$$ SELECT CASE
     WHEN app_scope() = 'county_admin' THEN (SELECT coalesce(array_agg(id), '{}') FROM towns)
     WHEN app_scope() = 'town' AND app_town_id() IS NOT NULL THEN ARRAY[app_town_id()]
     ELSE '{}'::bigint[] END $$;

GRANT EXECUTE ON FUNCTION app_scope(), app_town_id(), app_user_id(), app_read_towns(), app_write_towns() TO zhifa_app;

-- Accounts. Town roles carry their town; county roles carry none.
CREATE TABLE users (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
  display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 40),
  phone         text NOT NULL DEFAULT '',
  role          text NOT NULL CHECK (role IN ('officer', 'leader', 'town_reviewer', 'county_reviewer', 'county_admin')),
  town_id       bigint REFERENCES towns (id),
  password_hash text NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((role IN ('county_reviewer', 'county_admin')) = (town_id IS NULL))
);
CREATE INDEX users_town_idx ON users (town_id, role);

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_read ON users FOR SELECT USING (
  town_id = ANY ((SELECT app_read_towns())::bigint[])
  OR (town_id IS NULL AND app_scope() IN ('county_read', 'county_admin')) -- county staff
  OR id = app_user_id()
  OR username = nullif(current_setting('app.login', true), ''));
CREATE POLICY users_insert ON users FOR INSERT WITH CHECK (app_scope() = 'county_admin');
-- A user may update its own row (password) but never move it to another town.
CREATE POLICY users_update ON users FOR UPDATE
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_admin' OR id = app_user_id())
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_admin'
              OR (id = app_user_id() AND town_id IS NOT DISTINCT FROM app_town_id()));
GRANT SELECT, INSERT, UPDATE ON users TO zhifa_app;

-- The enforcement certificate (执法证) of an officer; one current certificate per user.
CREATE TABLE certificates (
  user_id     bigint PRIMARY KEY REFERENCES users (id),
  town_id     bigint NOT NULL REFERENCES towns (id),
  number      text NOT NULL UNIQUE CHECK (length(number) BETWEEN 4 AND 40),
  issuer      text NOT NULL CHECK (length(issuer) BETWEEN 2 AND 60),
  valid_from  date NOT NULL,
  valid_until date NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_until >= valid_from)
);
CREATE INDEX certificates_town_idx ON certificates (town_id, valid_until);

ALTER TABLE certificates ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificates FORCE ROW LEVEL SECURITY;
CREATE POLICY certificates_read ON certificates FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]) OR user_id = app_user_id());
CREATE POLICY certificates_write ON certificates FOR ALL USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
GRANT SELECT, INSERT, UPDATE ON certificates TO zhifa_app;

-- A certificate belongs to the town of its holder.
CREATE FUNCTION certificates_town_matches() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM users WHERE id = NEW.user_id AND town_id = NEW.town_id) THEN
    RAISE EXCEPTION 'certificate town does not match its holder' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER certificates_town_matches BEFORE INSERT OR UPDATE ON certificates
  FOR EACH ROW EXECUTE FUNCTION certificates_town_matches();

-- scs sessions (github.com/alexedwards/scs/pgxstore).
CREATE TABLE sessions (
  token  text PRIMARY KEY,
  data   bytea NOT NULL,
  expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO zhifa_app;

-- Failed logins, for throttling per account and per address. Written before
-- anyone is authenticated, so it is not town-owned.
CREATE TABLE login_failures (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username    text NOT NULL,
  address     text NOT NULL,
  occurred_at timestamptz NOT NULL
);
CREATE INDEX login_failures_username_idx ON login_failures (username, occurred_at);
CREATE INDEX login_failures_address_idx ON login_failures (address, occurred_at);
GRANT SELECT, INSERT, DELETE ON login_failures TO zhifa_app;
