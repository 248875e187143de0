-- Procedure settings for the clocks and money rules of the Administrative
-- Penalty Law (行政处罚法) and the Administrative Enforcement Law (行政强制法),
-- and statutory units for the short periods (行政处罚法第八十五条: "二日""三日"
-- "五日""七日" are working days).

INSERT INTO procedure_settings (key, value, label, unit, basis) VALUES
  ('filing_working_days',          15,       '立案期限（发现之日起）',             '工作日', '实务设定（行政处罚法第五十四条：符合立案标准的，应当及时立案）'),
  ('max_extensions',               1,        '负责人可批准延长办案期限的次数',     '次',     '实务设定（再次延长须经集体讨论决定）'),
  ('hearing_notice_working_days',  7,        '听证通知期（听证举行前至少）',       '工作日', '行政处罚法第六十四条、第八十五条'),
  ('limitation_years_serious',     5,        '追责时效（涉及生命健康安全、金融安全且有危害后果）', '年', '行政处罚法第三十六条'),
  ('preservation_working_days',    7,        '先行登记保存处理期限（登记保存后）', '工作日', '行政处罚法第五十六条、第八十五条'),
  ('seizure_days',                 30,       '查封扣押期限（可经批准延长一次）',   '日',     '行政强制法第二十五条'),
  ('transfer_decide_working_days', 3,        '涉嫌犯罪案件移送审批期限',           '工作日', '行政执法机关移送涉嫌犯罪案件的规定第五条'),
  ('hand_in_working_days',         2,        '当场收缴罚款上缴期限',               '工作日', '行政处罚法第七十一条、第八十五条'),
  ('onspot_cap_fen',               10000,    '当场收缴罚款限额',                   '分',     '行政处罚法第六十八条'),
  ('demand_working_days',          10,       '催告送达后申请强制执行的等待期',     '工作日', '行政强制法第五十四条、第六十九条'),
  ('reconsideration_days',         60,       '申请行政复议期限（决定送达后）',     '日',     '行政复议法第二十条'),
  ('litigation_months',            6,        '提起行政诉讼期限（决定送达后）',     '月',     '行政诉讼法第四十六条'),
  ('enforcement_apply_months',     3,        '申请法院强制执行期限（复议、诉讼期限届满后）', '月', '行政强制法第五十三条'),
  ('discussion_person_fen',        5000000,  '集体讨论标准：对个人罚款达到',       '分',     '实务设定（按领域；行政处罚法第五十七条）'),
  ('discussion_org_fen',           20000000, '集体讨论标准：对单位罚款达到',       '分',     '实务设定（按领域；行政处罚法第五十七条）')
ON CONFLICT (key, domain_id) DO NOTHING;

-- The short periods of the APL are working days (art. 85).
UPDATE procedure_settings SET unit = '工作日', basis = '行政处罚法第六十四条、第八十五条' WHERE key = 'hearing_request_days';
UPDATE procedure_settings SET unit = '工作日', basis = '行政处罚法第六十一条、第八十五条' WHERE key = 'service_days';
UPDATE procedure_settings SET label = '追责时效（违法行为发生或终了之日起至发现）' WHERE key = 'limitation_years';

-- Bring values already stored (defaults and domain overrides) within the
-- statutory floors and ceilings that the settings page now enforces.
UPDATE procedure_settings SET value = greatest(value, 3)  WHERE key = 'statement_working_days';
UPDATE procedure_settings SET value = greatest(value, 5)  WHERE key = 'hearing_request_days';
UPDATE procedure_settings SET value = greatest(value, 15) WHERE key = 'payment_days';
UPDATE procedure_settings SET value = least(value, 90)    WHERE key = 'decision_days';
UPDATE procedure_settings SET value = least(value, 30)    WHERE key = 'extension_days';
UPDATE procedure_settings SET value = least(value, 7)     WHERE key = 'service_days';
UPDATE procedure_settings SET value = 2                   WHERE key = 'limitation_years';
