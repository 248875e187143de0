-- Dossier evaluation (案卷评查): the county's score sheet (versions the
-- county administrator adds, never edits), evaluation rounds (a sample of
-- closed dossiers drawn reproducibly from a seed, or picked by hand), the
-- dossiers of a round and their scores per item: the automatic result with
-- its evidence, and the county reviewer's final result, deduction and
-- reason. A finished dossier is frozen; its findings go back to the town as
-- correction tasks (corrections, source 'evaluation').

CREATE TABLE eval_sheets (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  effective_on date   NOT NULL UNIQUE,
  items        jsonb  NOT NULL CHECK (jsonb_typeof(items) = 'array'),
  grades       jsonb  NOT NULL CHECK (jsonb_typeof(grades) = 'array'),
  note         text   NOT NULL DEFAULT '',
  created_by   bigint REFERENCES users (id), -- NULL: the first version, from the migration
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER eval_sheets_frozen BEFORE UPDATE OR DELETE ON eval_sheets
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE eval_rounds (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text   NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  period_from date   NOT NULL,              -- cases closed in the period
  period_to   date   NOT NULL CHECK (period_to >= period_from),
  towns       bigint[] NOT NULL,
  per_town    int    NOT NULL CHECK (per_town BETWEEN 0 AND 50), -- 0: picked by hand
  reviewers   bigint[] NOT NULL CHECK (cardinality(reviewers) > 0), -- county reviewers' user ids
  seed        bigint NOT NULL,              -- the draw is reproducible from it
  picked      boolean NOT NULL DEFAULT false,
  sheet_id    bigint NOT NULL REFERENCES eval_sheets (id),
  status      text   NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_on   date   NOT NULL,
  closed_on   date,
  created_by  bigint NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'closed') = (closed_on IS NOT NULL))
);

CREATE TABLE eval_dossiers (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  round_id    bigint NOT NULL REFERENCES eval_rounds (id),
  case_id     bigint NOT NULL REFERENCES cases (id),
  town_id     bigint NOT NULL REFERENCES towns (id),
  position    int    NOT NULL,              -- order of the draw
  reviewer_id bigint REFERENCES users (id), -- assigned; NULL when every reviewer took part in the case
  status      text   NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'scoring', 'done')),
  points      numeric(4,1),                 -- 100 minus the deductions
  total       numeric(4,1),                 -- the score: 0 when a veto item failed
  grade       text   NOT NULL DEFAULT '',
  veto        boolean NOT NULL DEFAULT false,
  scored_by   bigint REFERENCES users (id),
  scored_on   date,
  UNIQUE (round_id, case_id),
  CHECK ((status = 'done') = (scored_on IS NOT NULL AND total IS NOT NULL AND grade <> ''))
);
CREATE INDEX eval_dossiers_town_idx ON eval_dossiers (town_id, round_id);
CREATE INDEX eval_dossiers_case_idx ON eval_dossiers (case_id);

CREATE TABLE eval_scores (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dossier_id     bigint NOT NULL REFERENCES eval_dossiers (id),
  town_id        bigint NOT NULL REFERENCES towns (id),
  code           text   NOT NULL,
  auto_result    text   NOT NULL DEFAULT '' CHECK (auto_result IN ('', 'pass', 'fail', 'na')), -- '': not decided by the record
  auto_evidence  text   NOT NULL DEFAULT '',
  auto_deduction numeric(4,1) NOT NULL DEFAULT 0 CHECK (auto_deduction >= 0),
  result         text   NOT NULL DEFAULT '' CHECK (result IN ('', 'pass', 'fail', 'na')), -- '': not scored yet
  deduction      numeric(4,1) NOT NULL DEFAULT 0 CHECK (deduction >= 0),
  reason         text   NOT NULL DEFAULT '' CHECK (length(reason) <= 2000), -- why overridden or deducted
  scored_by      bigint REFERENCES users (id),
  scored_at      timestamptz,
  UNIQUE (dossier_id, code)
);

-- A finished dossier and its scores are the record the town was sent:
-- they are not changed afterwards.
CREATE FUNCTION eval_dossier_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'done' THEN
    RAISE EXCEPTION 'eval_dossiers: a finished evaluation cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER eval_dossiers_frozen BEFORE UPDATE ON eval_dossiers
  FOR EACH ROW EXECUTE FUNCTION eval_dossier_frozen();
CREATE FUNCTION eval_score_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT FROM eval_dossiers WHERE id = OLD.dossier_id AND status = 'done') THEN
    RAISE EXCEPTION 'eval_scores: the scores of a finished evaluation cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER eval_scores_frozen BEFORE UPDATE ON eval_scores
  FOR EACH ROW EXECUTE FUNCTION eval_score_frozen();

ALTER TABLE eval_sheets ENABLE ROW LEVEL SECURITY;
ALTER TABLE eval_sheets FORCE ROW LEVEL SECURITY;
ALTER TABLE eval_rounds ENABLE ROW LEVEL SECURITY;
ALTER TABLE eval_rounds FORCE ROW LEVEL SECURITY;
ALTER TABLE eval_dossiers ENABLE ROW LEVEL SECURITY;
ALTER TABLE eval_dossiers FORCE ROW LEVEL SECURITY;
ALTER TABLE eval_scores ENABLE ROW LEVEL SECURITY;
ALTER TABLE eval_scores FORCE ROW LEVEL SECURITY;

-- The sheet is read by everyone; the county administrator adds versions.
CREATE POLICY eval_sheets_read ON eval_sheets FOR SELECT USING (true);
CREATE POLICY eval_sheets_insert ON eval_sheets FOR INSERT WITH CHECK (app_scope() = 'county_admin');

-- A town reads its own finished dossiers and their scores, and a round only
-- through them; the county reads everything. The county reviewers open
-- rounds and score.
CREATE POLICY eval_dossiers_read ON eval_dossiers FOR SELECT
  USING (town_id = ANY ((SELECT app_read_towns())::bigint[]) AND (app_scope() <> 'town' OR status = 'done'));
CREATE POLICY eval_scores_read ON eval_scores FOR SELECT
  USING (town_id = ANY ((SELECT app_read_towns())::bigint[])
         AND (app_scope() <> 'town' OR EXISTS (SELECT FROM eval_dossiers d WHERE d.id = dossier_id AND d.status = 'done')));
CREATE POLICY eval_rounds_read ON eval_rounds FOR SELECT
  USING (app_scope() IN ('county_read', 'county_admin')
         OR EXISTS (SELECT FROM eval_dossiers d WHERE d.round_id = eval_rounds.id));
CREATE POLICY eval_rounds_insert ON eval_rounds FOR INSERT WITH CHECK (app_scope() = 'county_read');
CREATE POLICY eval_rounds_update ON eval_rounds FOR UPDATE
  USING (app_scope() = 'county_read') WITH CHECK (app_scope() = 'county_read');
CREATE POLICY eval_dossiers_insert ON eval_dossiers FOR INSERT WITH CHECK (app_scope() = 'county_read');
CREATE POLICY eval_dossiers_update ON eval_dossiers FOR UPDATE
  USING (app_scope() = 'county_read') WITH CHECK (app_scope() = 'county_read');
CREATE POLICY eval_scores_insert ON eval_scores FOR INSERT WITH CHECK (app_scope() = 'county_read');
CREATE POLICY eval_scores_update ON eval_scores FOR UPDATE
  USING (app_scope() = 'county_read') WITH CHECK (app_scope() = 'county_read');

GRANT SELECT, INSERT ON eval_sheets TO zhifa_app;
GRANT SELECT, INSERT, UPDATE ON eval_rounds, eval_dossiers, eval_scores TO zhifa_app;

-- Version 1 of the sheet: evaluation.DefaultItems and DefaultGrades (the
-- composite sheet of the domain notes, 20 form + 80 content points).
INSERT INTO eval_sheets (effective_on, note, grades, items) VALUES ('2025-01-01', '初始评查标准（参照外省案卷评查标准拟定）',
'[{"name":"优秀","min":90},{"name":"良好","min":80},{"name":"合格","min":60},{"name":"不合格","min":0}]',
'[
{"code":"V01","tier":"veto","category":"否决·主体","text":"执法主体适格：执法事项在本镇权责清单内且在行为时有效，在本镇辖区内，未超越职权","basis":"行政处罚法第十七条、第二十二条、第二十四条、第三十八条","auto":"yes"},
{"code":"V02","tier":"veto","category":"否决·主体","text":"各执法环节的执法人员均持有有效的行政执法证件","basis":"行政处罚法第四十二条","auto":"yes"},
{"code":"V03","tier":"veto","category":"否决·程序","text":"调查取证等执法环节的执法人员不少于两人","basis":"行政处罚法第四十二条","auto":"yes"},
{"code":"V04","tier":"veto","category":"否决·主体","text":"当事人认定准确（主体适格），身份信息完整且各文书一致","auto":"partly"},
{"code":"V05","tier":"veto","category":"否决·事实","text":"违法事实清楚，定性准确","basis":"行政处罚法第四十条","auto":"no"},
{"code":"V06","tier":"veto","category":"否决·证据","text":"主要证据充分，取证合法","basis":"行政处罚法第四十条、第四十六条","auto":"partly"},
{"code":"V07","tier":"veto","category":"否决·法律","text":"适用法律依据正确、有效，引用到条、款、项；同一违法行为未重复罚款","basis":"行政处罚法第二十九条、第三十七条","auto":"partly"},
{"code":"V08","tier":"veto","category":"否决·法律","text":"在追责时效内（二年；涉及公民生命健康安全、金融安全且有危害后果的五年）","basis":"行政处罚法第三十六条","auto":"yes"},
{"code":"V09","tier":"veto","category":"否决·程序","text":"作出决定前送达行政处罚事先告知书并告知权利，听取陈述、申辩，陈述申辩期满或当事人放弃后作出决定","basis":"行政处罚法第四十四条、第四十五条、第六十二条","auto":"yes"},
{"code":"V10","tier":"veto","category":"否决·程序","text":"符合听证条件的告知听证权利；当事人申请听证的依法举行听证","basis":"行政处罚法第六十三条、第六十四条","auto":"yes"},
{"code":"V11","tier":"veto","category":"否决·程序","text":"作出决定前经法制审核且审核通过，审核人员不是承办人员","basis":"行政处罚法第五十八条","auto":"yes"},
{"code":"V12","tier":"veto","category":"否决·程序","text":"涉嫌犯罪的依法移送司法机关，未以罚代刑","basis":"行政处罚法第二十七条、第五十七条、第八十二条","auto":"partly"},
{"code":"F01","tier":"form","category":"形式","text":"使用规定的执法文书格式","points":2,"step":2,"deduction":"扣2分","auto":"yes"},
{"code":"F02","tier":"form","category":"形式","text":"文书填写完整，用语规范","points":4,"step":1,"deduction":"每处扣1分","auto":"partly"},
{"code":"F03","tier":"form","category":"形式","text":"一案一卷","points":2,"step":1,"deduction":"扣1分","auto":"yes"},
{"code":"F04","tier":"form","category":"形式","text":"案卷封面统一规范，填写完整","points":1,"step":1,"deduction":"扣1分","auto":"yes"},
{"code":"F05","tier":"form","category":"形式","text":"卷内目录按文书顺序编排，页码准确","points":2,"step":1,"deduction":"每处扣1分","auto":"yes"},
{"code":"F06","tier":"form","category":"形式","text":"卷内材料按立案、调查、审核、决定、送达、执行的顺序排列","points":1,"step":1,"deduction":"扣1分","auto":"yes"},
{"code":"F07","tier":"form","category":"形式","text":"逐页编号（阿拉伯数字，右下角），封面、卷内目录、备考表不编号","points":2,"step":1,"deduction":"每处扣1分","auto":"yes"},
{"code":"F08","tier":"form","category":"形式","text":"有备考表；结案后按时归档","points":2,"step":1,"deduction":"每处扣1分","auto":"yes"},
{"code":"F09","tier":"form","category":"形式","text":"无缺页、破损；证据材料附卷，不散落","points":4,"step":1,"deduction":"每处扣1分","auto":"no"},
{"code":"C01","tier":"content","category":"程序·立案","text":"立案经负责人批准后开展调查（无先查后立）","points":3,"step":2,"deduction":"每处扣2分","auto":"yes"},
{"code":"C02","tier":"content","category":"程序·立案","text":"发现违法行为后及时立案","points":3,"step":1,"deduction":"每迟延立案一次扣1分","basis":"行政处罚法第五十四条","auto":"yes"},
{"code":"C03","tier":"content","category":"文书·立案","text":"立案审批表填写完整：案件来源、当事人、案情摘要、意见、签名、日期","points":2,"step":0.5,"deduction":"每处扣0.5分","auto":"partly"},
{"code":"C04","tier":"content","category":"程序·调查","text":"调查时出示执法证件并记录","points":2,"step":1,"deduction":"扣1分","basis":"行政处罚法第五十五条","auto":"partly"},
{"code":"C05","tier":"content","category":"文书·调查","text":"询问笔录、现场笔录完整：起止时间、逐页签名、修改处捺印、一人一录","points":8,"step":1,"deduction":"每处扣1分","basis":"行政处罚法第五十五条","auto":"partly"},
{"code":"C06","tier":"content","category":"证据","text":"证据为原件或核对无误的复制件，有证据清单、照片说明，鉴定意见签章完整","points":6,"step":1,"deduction":"每处扣1分","basis":"行政处罚法第四十六条","auto":"partly"},
{"code":"C07","tier":"content","category":"程序·调查","text":"先行登记保存经负责人批准，7个工作日内作出处理决定","points":4,"step":2,"deduction":"扣1至4分","basis":"行政处罚法第五十六条","auto":"yes"},
{"code":"C08","tier":"content","category":"程序·强制","text":"查封、扣押合法，期限不超过30日（经批准延长不超过30日），按时解除","points":4,"step":2,"deduction":"扣2至4分","basis":"行政强制法第二十五条","auto":"yes"},
{"code":"C09","tier":"content","category":"文书·审查","text":"调查终结报告齐全、内容完整","points":3,"step":3,"deduction":"缺失扣3分；内容不完整扣1至3分","auto":"partly"},
{"code":"C10","tier":"content","category":"程序·审核","text":"法制审核意见说理充分，在审核期限内作出","points":3,"step":1,"deduction":"扣1至3分","basis":"行政处罚法第五十八条","auto":"partly"},
{"code":"C11","tier":"content","category":"文书·告知","text":"事先告知书载明违法事实、理由、依据、拟作出的处罚、当事人权利及期限","points":3,"step":2,"deduction":"扣2分","basis":"行政处罚法第四十四条","auto":"partly"},
{"code":"C12","tier":"content","category":"程序·陈述","text":"陈述、申辩有记录并经书面复核；未因当事人申辩加重处罚","points":3,"step":2,"deduction":"扣2分","basis":"行政处罚法第四十五条","auto":"yes"},
{"code":"C13","tier":"content","category":"程序·听证","text":"听证：提前7日通知，主持人非本案调查人员，听证笔录经签字，依据听证笔录作出决定","points":3,"step":1,"deduction":"扣1至3分","basis":"行政处罚法第六十四条、第六十五条","auto":"yes"},
{"code":"C14","tier":"content","category":"程序·决定","text":"情节复杂或重大违法行为给予较重处罚的，经集体讨论并在决定前记录","points":2,"step":2,"deduction":"扣2分","basis":"行政处罚法第五十七条","auto":"yes"},
{"code":"C15","tier":"content","category":"文书·决定","text":"处罚决定书载明行政处罚法第五十九条规定的全部事项并加盖印章","points":5,"step":1,"deduction":"每缺一项扣1分","basis":"行政处罚法第五十九条","auto":"partly"},
{"code":"C16","tier":"content","category":"程序·期限","text":"自立案之日起90日内作出决定，或经批准延长、依法中止","points":2,"step":2,"deduction":"扣2分","basis":"行政处罚法第六十条","auto":"yes"},
{"code":"C17","tier":"content","category":"裁量","text":"处罚在公布的裁量基准范围内并说明理由；考虑首违不罚","points":2,"step":1,"deduction":"扣1至2分","basis":"行政处罚法第五条、第三十三条、第三十四条","auto":"partly"},
{"code":"C18","tier":"content","category":"程序·送达","text":"决定书宣告后当场交付，或7个工作日内送达；送达回证完整；电子送达经当事人同意并签订确认书","points":4,"step":1,"deduction":"每处扣1分；逾期送达扣4分","basis":"行政处罚法第六十一条、第八十五条","auto":"yes"},
{"code":"C19","tier":"content","category":"程序·送达","text":"事先告知书、听证通知书等文书均有送达凭证","points":2,"step":2,"deduction":"每份扣2分","auto":"yes"},
{"code":"C20","tier":"content","category":"执行","text":"罚缴分离：罚款缴入指定银行或电子支付；当场收缴仅限法定情形并在2个工作日内缴入银行；票据附卷","points":3,"step":3,"deduction":"扣3分","basis":"行政处罚法第六十七条至第七十一条","auto":"yes"},
{"code":"C21","tier":"content","category":"执行","text":"没收物品有清单和处置记录","points":1,"step":1,"deduction":"扣1分","basis":"行政处罚法第七十四条","auto":"partly"},
{"code":"C22","tier":"content","category":"执行","text":"逾期不缴纳的按日加处3%罚款且不超过罚款数额；依法催告；按时申请法院强制执行","points":2,"step":1,"deduction":"每处扣1分","basis":"行政处罚法第七十二条；行政强制法第五十三条、第五十四条","auto":"yes"},
{"code":"C23","tier":"content","category":"程序·结案","text":"执行完毕后结案；责令改正的有复查记录","points":2,"step":1,"deduction":"每处扣1分","basis":"行政处罚法第二十八条","auto":"yes"},
{"code":"C24","tier":"content","category":"记录","text":"现场检查、送达、听证等环节有音像记录（全过程记录）","points":3,"step":1,"deduction":"每处扣1分","basis":"行政处罚法第四十七条","auto":"partly"},
{"code":"C25","tier":"content","category":"公开","text":"具有一定社会影响的处罚决定依法公开；决定变更、撤销的3日内撤回","points":2,"step":1,"deduction":"每处扣1分","basis":"行政处罚法第四十八条","auto":"yes"},
{"code":"C26","tier":"content","category":"监督","text":"重大行政处罚决定在规定期限内报县司法局备案","points":3,"step":3,"deduction":"扣3分","auto":"yes"}
]');
