-- Structured penalty kinds and fine ranges of catalogue items (行政处罚法
-- 第九条), entered by the county administrator, so that a notice or decision
-- outside the item's legal range can be refused.
--
-- Fines are in fen, per party kind (公民 person / 法人或者其他组织 org):
--   min NULL                 no fine for that party kind (max is NULL too);
--   min set, max set         the fixed legal range, bounds included;
--   min set, max NULL        a fine with no fixed upper limit: the amount is a
--                            multiple of a base (违法所得、货值、工程造价…) or is
--                            set by local rules; min is the floor the law
--                            guarantees (0 when none).
-- 行政拘留 is not for towns and has no column.

ALTER TABLE catalogue_items
  ADD COLUMN fine_min_person_fen bigint,
  ADD COLUMN fine_max_person_fen bigint,
  ADD COLUMN fine_min_org_fen    bigint,
  ADD COLUMN fine_max_org_fen    bigint,
  ADD COLUMN warning             boolean NOT NULL DEFAULT false, -- 警告
  ADD COLUMN confiscation        boolean NOT NULL DEFAULT false, -- 没收违法所得、没收非法财物
  ADD COLUMN suspension          boolean NOT NULL DEFAULT false, -- 暂扣许可证件、降低资质等级、责令停产停业、责令关闭、限制从业
  ADD COLUMN revocation          boolean NOT NULL DEFAULT false, -- 吊销许可证件
  ADD COLUMN other_penalty       text    NOT NULL DEFAULT '',    -- 其他行政处罚
  ADD CONSTRAINT catalogue_items_fine_person_range CHECK (
    (fine_min_person_fen IS NULL AND fine_max_person_fen IS NULL) OR
    (fine_min_person_fen >= 0 AND (fine_max_person_fen IS NULL OR fine_max_person_fen >= fine_min_person_fen))),
  ADD CONSTRAINT catalogue_items_fine_org_range CHECK (
    (fine_min_org_fen IS NULL AND fine_max_org_fen IS NULL) OR
    (fine_min_org_fen >= 0 AND (fine_max_org_fen IS NULL OR fine_max_org_fen >= fine_min_org_fen))),
  -- Only 行政处罚 items carry penalties.
  ADD CONSTRAINT catalogue_items_penalties_kind CHECK (kind = '行政处罚' OR (
    fine_min_person_fen IS NULL AND fine_min_org_fen IS NULL AND NOT warning AND NOT confiscation
    AND NOT suspension AND NOT revocation AND other_penalty = ''));

-- Published versions snapshot them too. Adding columns does not fire the
-- freeze triggers; versions published before this migration keep NULL / false
-- (no structured range recorded) and are never updated.
ALTER TABLE list_version_items
  ADD COLUMN fine_min_person_fen bigint,
  ADD COLUMN fine_max_person_fen bigint,
  ADD COLUMN fine_min_org_fen    bigint,
  ADD COLUMN fine_max_org_fen    bigint,
  ADD COLUMN warning             boolean NOT NULL DEFAULT false,
  ADD COLUMN confiscation        boolean NOT NULL DEFAULT false,
  ADD COLUMN suspension          boolean NOT NULL DEFAULT false,
  ADD COLUMN revocation          boolean NOT NULL DEFAULT false,
  ADD COLUMN other_penalty       text    NOT NULL DEFAULT '';
