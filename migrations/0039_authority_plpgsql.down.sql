-- 0002's SQL functions again.
CREATE OR REPLACE FUNCTION list_version_on(p_town bigint, p_day date) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT id FROM list_versions
  WHERE town_id = p_town AND effective_from <= p_day
  ORDER BY effective_from DESC LIMIT 1
$$;

CREATE OR REPLACE FUNCTION authority_item_in_force(p_town bigint, p_item bigint, p_day date) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT FROM list_version_items
                 WHERE version_id = list_version_on(p_town, p_day) AND item_id = p_item)
$$;
