-- Administrative coercion (行政强制) in a case.
--
-- 强制拆除 (行政强制法第四十四条): after a decision ordering demolition is not
-- complied with, the town announces (公告) a deadline for the party to
-- demolish; only after it, after the party's remedy periods and with no
-- remedy pending, may the head order the forced demolition, under a
-- 行政强制 item on the town's list in force that day.
ALTER TABLE cases
  ADD COLUMN demolition_announced_on date,
  ADD COLUMN demolition_deadline     date,
  ADD COLUMN demolition_notice       text   NOT NULL DEFAULT '',
  ADD COLUMN demolition_announced_by bigint REFERENCES users (id),
  ADD COLUMN demolished_on           date,
  ADD COLUMN demolition_item_id      bigint REFERENCES catalogue_items (id),
  ADD COLUMN demolition_record       text   NOT NULL DEFAULT '',
  ADD COLUMN demolished_by           bigint REFERENCES users (id),
  ADD CONSTRAINT cases_demolition_deadline_after_notice
    CHECK (demolition_deadline IS NULL OR demolition_deadline > demolition_announced_on),
  ADD CONSTRAINT cases_demolition_after_deadline
    CHECK (demolished_on IS NULL OR demolished_on > demolition_deadline AND demolition_item_id IS NOT NULL);
-- 清单之外无执法 for coercion too: the item must be on the town's list in
-- force on the day of the demolition.
CREATE TRIGGER cases_demolition_item_in_force BEFORE INSERT OR UPDATE OF demolition_item_id, demolished_on ON cases
  FOR EACH ROW EXECUTE FUNCTION authority_check_item('town_id', 'demolition_item_id', 'demolished_on');

-- 查封、扣押 (行政强制法第十七条) under a 行政强制 item of the town's list in
-- force on the day.
ALTER TABLE case_preservations ADD COLUMN item_id bigint REFERENCES catalogue_items (id);
CREATE TRIGGER case_preservations_item_in_force BEFORE INSERT OR UPDATE OF item_id, started_on ON case_preservations
  FOR EACH ROW EXECUTE FUNCTION authority_check_item('town_id', 'item_id', 'started_on');

-- The ground of an on-the-spot collection (行政处罚法第六十八条、第六十九条):
-- '' the fine is within the cap (68(1)); 'hard_to_collect' it would be hard
-- to collect afterwards (68(2)); 'remote' a remote, water-borne or
-- ill-served area where paying at the bank is hard, at the party's request
-- (69). The latter two carry a short explanation.
ALTER TABLE case_payments
  ADD COLUMN onspot_ground text NOT NULL DEFAULT '' CHECK (onspot_ground IN ('', 'hard_to_collect', 'remote')),
  ADD COLUMN onspot_reason text NOT NULL DEFAULT '',
  ADD CONSTRAINT case_payments_onspot_ground_explained
    CHECK (onspot_ground = '' OR kind = 'on_spot' AND length(onspot_reason) > 0);
