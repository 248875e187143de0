ALTER TABLE cases DROP COLUMN transfer_receipt_on, DROP COLUMN transfer_receipt;
