-- The receiving body's answer to a transfer (受理、立案或不予受理的回执):
-- 移送涉嫌犯罪案件的规定 arts. 8-9 ask the agency to follow the case it sent.
ALTER TABLE cases
  ADD COLUMN transfer_receipt_on date,
  ADD COLUMN transfer_receipt text NOT NULL DEFAULT '';
