DROP TABLE IF EXISTS document_services, documents, document_drafts, document_counters, document_settings;
