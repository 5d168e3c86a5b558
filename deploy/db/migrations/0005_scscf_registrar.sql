-- 0005_scscf_registrar: the S-CSCF registrar's bindings (registrar.store:
-- mariadb; scscf/registrar/reg_db.h), so a restart of ims-scscf, even
-- kill -9, keeps every registration and a standby can take over.
-- Each S-CSCF writes, deletes and loads only the rows carrying its own
-- scscf_name (registrar.database.owner, default its Server-Name); a standby
-- configured with registrar.database.takeover renames another's rows to its
-- own at start. No foreign keys to the HSS tables: the S-CSCF may use its own
-- database with just these tables.
-- `data` is the item in the S-CSCF's state-file format (reg_persist.h):
-- IMPI, profile XML, contacts (expiry as wall-clock time, Path, Call-ID,
-- CSeq, +sip.instance, reg-id, q), or the reg-event dialog.

-- One implicit registration set (TS 24.229 5.4.1.2), keyed by its first IMPU.
CREATE TABLE scscf_reg_set (
  scscf_name  VARBINARY(255) NOT NULL,
  impu        VARBINARY(512) NOT NULL,
  impi        VARBINARY(512) NOT NULL,
  expires_at  BIGINT NOT NULL,               -- Unix time the last contact ends
  data        MEDIUMBLOB NOT NULL,
  updated_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (scscf_name, impu),
  KEY ix_scscf_reg_set_impi (scscf_name, impi),
  KEY ix_scscf_reg_set_expires (scscf_name, expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One reg-event subscription (RFC 3680, TS 24.229 5.4.2.1), keyed by its
-- Call-ID.
CREATE TABLE scscf_reg_sub (
  scscf_name  VARBINARY(255) NOT NULL,
  call_id     VARBINARY(512) NOT NULL,
  impu        VARBINARY(512) NOT NULL,
  expires_at  BIGINT NOT NULL,
  data        MEDIUMBLOB NOT NULL,
  updated_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (scscf_name, call_id),
  KEY ix_scscf_reg_sub_expires (scscf_name, expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
