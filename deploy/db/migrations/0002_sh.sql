-- 0002_sh: data of the Sh interface (TS 29.328 procedures, TS 29.329 protocol),
-- read and written by hss/store/store_sh*.c.

-- Application servers allowed on Sh (TS 29.328 6.2: the HSS keeps, per AS,
-- which data it may read, update and subscribe to). diameter_host is the
-- Origin-Host of its requests and the Destination-Host of PNRs sent to it.
-- *_refs: bit n set = Data-Reference value n (TS 29.329 6.3.4) allowed.
CREATE TABLE sh_as (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name            VARCHAR(255) NOT NULL,
  diameter_host   VARCHAR(255) NOT NULL,
  diameter_realm  VARCHAR(255) NOT NULL,
  udr_refs        BIGINT UNSIGNED NOT NULL DEFAULT 0,
  pur_refs        BIGINT UNSIGNED NOT NULL DEFAULT 0,
  snr_refs        BIGINT UNSIGNED NOT NULL DEFAULT 0,
  UNIQUE KEY uk_sh_as_name (name),
  UNIQUE KEY uk_sh_as_host (diameter_host)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Transparent data (RepositoryData, TS 29.328 7.6) per public identity and
-- Service-Indication; sequence_number 0..65535 (0 only on creation).
-- service_data holds the serialised children of <ServiceData>.
CREATE TABLE sh_repository_data (
  impu_id             BIGINT UNSIGNED NOT NULL,
  service_indication  VARBINARY(255) NOT NULL,
  sequence_number     INT UNSIGNED NOT NULL,
  service_data        MEDIUMBLOB NOT NULL,
  updated_at          TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (impu_id, service_indication),
  CONSTRAINT ck_sh_rd_seq CHECK (sequence_number <= 65535),
  CONSTRAINT fk_sh_rd_impu FOREIGN KEY (impu_id) REFERENCES impu (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Subscriptions to notifications (SNR, TS 29.328 6.1.3). service_indication
-- is '' unless data_reference is RepositoryData (0); server_name is '' unless
-- it is InitialFilterCriteria (13). expires_at: Unix time, NULL = no expiry.
CREATE TABLE sh_subscription (
  id                  BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  as_id               BIGINT UNSIGNED NOT NULL,
  impu_id             BIGINT UNSIGNED NOT NULL,
  data_reference      TINYINT UNSIGNED NOT NULL,
  service_indication  VARBINARY(255) NOT NULL DEFAULT '',
  server_name         VARCHAR(255) NOT NULL DEFAULT '',
  expires_at          BIGINT UNSIGNED NULL,
  UNIQUE KEY uk_sh_sub (as_id, impu_id, data_reference, service_indication),
  KEY k_sh_sub_impu (impu_id, data_reference),
  CONSTRAINT fk_sh_sub_as FOREIGN KEY (as_id) REFERENCES sh_as (id) ON DELETE CASCADE,
  CONSTRAINT fk_sh_sub_impu FOREIGN KEY (impu_id) REFERENCES impu (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Activation state of a distinct PSI (TS 29.328 7.6.6 PSIActivation);
-- no row = inactive.
CREATE TABLE sh_psi_activation (
  impu_id  BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  active   TINYINT(1) NOT NULL DEFAULT 0,
  CONSTRAINT fk_sh_psi_impu FOREIGN KEY (impu_id) REFERENCES impu (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
