-- list_version_on and authority_item_in_force in PL/pgSQL: the same
-- statements, whose plans PL/pgSQL keeps for the session. As SQL functions
-- that cannot be inlined (ORDER BY ... LIMIT, a sub-select), PostgreSQL
-- planned their bodies afresh in every statement that called them: about
-- 0.15 ms each time, on every case page (the item in force) and every
-- write of a case (authority_check_item).
CREATE OR REPLACE FUNCTION list_version_on(p_town bigint, p_day date) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT id FROM list_versions
          WHERE town_id = p_town AND effective_from <= p_day
          ORDER BY effective_from DESC LIMIT 1);
END $$;

CREATE OR REPLACE FUNCTION authority_item_in_force(p_town bigint, p_item bigint, p_day date) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN EXISTS (SELECT FROM list_version_items
                 WHERE version_id = list_version_on(p_town, p_day) AND item_id = p_item);
END $$;
