-- 0004_sh_dsai: Sh additions (TS 29.328): Dynamic Service Activation Info,
-- one-time subscriptions, and a change log through which ims-hss learns of
-- provisioning changes made by ims-hssctl on any host (Sh notifications).

-- DSAI (TS 29.328 7.6.9): per public identity and application server, the
-- DSAI-Tags the operator configured and their value: 0 ACTIVE, 1 INACTIVE.
-- as_id is the Sh application server (sh_as) the tags belong to.
CREATE TABLE sh_dsai (
  impu_id   BIGINT UNSIGNED NOT NULL,
  as_id     BIGINT UNSIGNED NOT NULL,
  dsai_tag  VARBINARY(255) NOT NULL,
  value     TINYINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (impu_id, as_id, dsai_tag),
  CONSTRAINT ck_sh_dsai_value CHECK (value <= 1),
  CONSTRAINT fk_sh_dsai_impu FOREIGN KEY (impu_id) REFERENCES impu (id) ON DELETE CASCADE,
  CONSTRAINT fk_sh_dsai_as FOREIGN KEY (as_id) REFERENCES sh_as (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One-Time-Notification (TS 29.329 6.3.22): the subscription ends with its
-- first notification.
ALTER TABLE sh_subscription ADD COLUMN one_time TINYINT(1) NOT NULL DEFAULT 0;

-- Changes to notify (TS 29.328 6.1.4) that ims-hss did not make itself.
-- One row per change; an ims-hss takes a row by deleting it (so with several
-- ims-hss on one database each change is notified once).
-- Either impu_id (that identity's data_reference changed; as_id: only that
-- AS's data, e.g. its DSAI) or service_profile_id (the iFCs of every IMPU
-- using the profile changed) is set.
CREATE TABLE sh_change (
  id                  BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  data_reference      TINYINT UNSIGNED NOT NULL,
  impu_id             BIGINT UNSIGNED NULL,
  service_profile_id  BIGINT UNSIGNED NULL,
  as_id               BIGINT UNSIGNED NULL,
  created_at          TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY k_sh_change_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- iFC changes (InitialFilterCriteria, Data-Reference 13) are logged by
-- triggers, whatever tool made them. Single-statement bodies (no DELIMITER).
-- No trigger on tables written with "ON DUPLICATE KEY UPDATE id =
-- LAST_INSERT_ID(id)" (application_server, service_profile): a trigger's
-- insert would change the id such an upsert reports to the client.
CREATE TRIGGER tr_sh_spi_ins AFTER INSERT ON service_profile_ifc FOR EACH ROW
  INSERT INTO sh_change (data_reference, service_profile_id) VALUES (13, NEW.service_profile_id);
CREATE TRIGGER tr_sh_spi_del AFTER DELETE ON service_profile_ifc FOR EACH ROW
  INSERT INTO sh_change (data_reference, service_profile_id) VALUES (13, OLD.service_profile_id);
CREATE TRIGGER tr_sh_ifc_upd AFTER UPDATE ON ifc FOR EACH ROW
  INSERT INTO sh_change (data_reference, service_profile_id)
  SELECT 13, service_profile_id FROM service_profile_ifc WHERE ifc_id = NEW.id;
CREATE TRIGGER tr_sh_spt_ins AFTER INSERT ON spt FOR EACH ROW
  INSERT INTO sh_change (data_reference, service_profile_id)
  SELECT 13, service_profile_id FROM service_profile_ifc WHERE ifc_id = NEW.ifc_id;
CREATE TRIGGER tr_sh_spt_upd AFTER UPDATE ON spt FOR EACH ROW
  INSERT INTO sh_change (data_reference, service_profile_id)
  SELECT 13, service_profile_id FROM service_profile_ifc WHERE ifc_id = NEW.ifc_id;
CREATE TRIGGER tr_sh_spt_del AFTER DELETE ON spt FOR EACH ROW
  INSERT INTO sh_change (data_reference, service_profile_id)
  SELECT 13, service_profile_id FROM service_profile_ifc WHERE ifc_id = OLD.ifc_id;
CREATE TRIGGER tr_sh_spsis_ins AFTER INSERT ON service_profile_shared_ifc_set FOR EACH ROW
  INSERT INTO sh_change (data_reference, service_profile_id) VALUES (13, NEW.service_profile_id);
CREATE TRIGGER tr_sh_spsis_del AFTER DELETE ON service_profile_shared_ifc_set FOR EACH ROW
  INSERT INTO sh_change (data_reference, service_profile_id) VALUES (13, OLD.service_profile_id);
-- An IMPU moved to another service profile has other iFCs. The condition
-- keeps the frequent registration updates of impu (SAR) free of inserts.
CREATE TRIGGER tr_sh_impu_sp AFTER UPDATE ON impu FOR EACH ROW
  INSERT INTO sh_change (data_reference, impu_id)
  SELECT 13, NEW.id FROM DUAL WHERE NOT (OLD.service_profile_id <=> NEW.service_profile_id);
