-- 0001_initial: the HSS subscriber store (TS 29.228 Cx data, TS 23.228 4.3.3 identities).
-- Applied by `ims-hssctl db migrate`, which records the version in
-- schema_version after the file ran. DDL autocommits in MariaDB: a file that
-- fails half-way must be repaired by hand (drop the created tables, rerun).
-- Identities compare byte-wise (utf8mb4_bin): callers normalise URIs.

CREATE TABLE schema_version (
  version     INT UNSIGNED NOT NULL PRIMARY KEY,
  name        VARCHAR(255) NOT NULL,
  applied_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- S-CSCF capabilities returned in UAA/LIA Server-Capabilities (TS 29.228 6.7).
-- Set 1 "default" is used by subscriptions without their own set.
CREATE TABLE capability_set (
  id    INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name  VARCHAR(64) NOT NULL,
  UNIQUE KEY uk_capability_set_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE capability (
  set_id     INT UNSIGNED NOT NULL,
  code       INT UNSIGNED NOT NULL,
  mandatory  TINYINT(1) NOT NULL,
  PRIMARY KEY (set_id, code),
  CONSTRAINT fk_capability_set FOREIGN KEY (set_id) REFERENCES capability_set (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE capability_server (
  set_id       INT UNSIGNED NOT NULL,
  position     INT UNSIGNED NOT NULL,
  server_name  VARCHAR(255) NOT NULL,
  PRIMARY KEY (set_id, position),
  UNIQUE KEY uk_capability_server (set_id, server_name),
  CONSTRAINT fk_capability_server_set FOREIGN KEY (set_id) REFERENCES capability_set (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO capability_set (id, name) VALUES (1, 'default');

-- Subscription (IMS Subscription, TS 23.228 4.3.3.4): groups IMPIs; holds
-- charging addresses (TS 29.228 6.3.29 Charging-Information) and roaming.
CREATE TABLE imsu (
  id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name               VARCHAR(255) NOT NULL,
  capability_set_id  INT UNSIGNED NULL,
  pri_ccf            VARCHAR(255) NULL,
  sec_ccf            VARCHAR(255) NULL,
  pri_ecf            VARCHAR(255) NULL,
  sec_ecf            VARCHAR(255) NULL,
  created_at         TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uk_imsu_name (name),
  CONSTRAINT fk_imsu_capability_set FOREIGN KEY (capability_set_id) REFERENCES capability_set (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Visited-Network-Identifier values (TS 29.228 6.3.1); the home network is
-- always allowed and is not stored here.
CREATE TABLE visited_network (
  id    INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name  VARCHAR(255) NOT NULL,
  UNIQUE KEY uk_visited_network_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE imsu_visited_network (
  imsu_id             BIGINT UNSIGNED NOT NULL,
  visited_network_id  INT UNSIGNED NOT NULL,
  PRIMARY KEY (imsu_id, visited_network_id),
  CONSTRAINT fk_ivn_imsu FOREIGN KEY (imsu_id) REFERENCES imsu (id) ON DELETE CASCADE,
  CONSTRAINT fk_ivn_vn FOREIGN KEY (visited_network_id) REFERENCES visited_network (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Private identity with its authentication data (TS 33.203, TS 29.228 6.3.13).
-- op holds OP or OPc as op_is_opc says; the HSS derives OPc (TS 35.206).
-- auth_schemes bits: 1 Digest-AKAv1-MD5, 2 SIP Digest (MD5), 4 Early-IMS, 8 NASS-Bundled.
-- sqn is 48 bits (TS 33.102 6.3.2).
CREATE TABLE impi (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  identity         VARCHAR(255) NOT NULL,
  imsu_id          BIGINT UNSIGNED NOT NULL,
  k                BINARY(16) NULL,
  op               BINARY(16) NULL,
  op_is_opc        TINYINT(1) NOT NULL DEFAULT 0,
  amf              BINARY(2) NOT NULL DEFAULT X'8000',
  sqn              BIGINT UNSIGNED NOT NULL DEFAULT 0,
  auth_schemes     INT UNSIGNED NOT NULL DEFAULT 0,
  digest_realm     VARCHAR(255) NULL,
  digest_password  VARCHAR(255) NULL,
  digest_ha1       CHAR(32) NULL,
  created_at       TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uk_impi_identity (identity),
  KEY k_impi_imsu (imsu_id),
  CONSTRAINT ck_impi_sqn CHECK (sqn <= 281474976710655),
  CONSTRAINT fk_impi_imsu FOREIGN KEY (imsu_id) REFERENCES imsu (id) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Service profile (TS 29.228 annex B.2.2), shareable between IMPUs.
CREATE TABLE service_profile (
  id    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name  VARCHAR(255) NOT NULL,
  UNIQUE KEY uk_service_profile_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Application server of an iFC (TS 29.228 B.2.2, DefaultHandling 0
-- SESSION_CONTINUED, 1 SESSION_TERMINATED).
CREATE TABLE application_server (
  id                         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  server_name                VARCHAR(255) NOT NULL,
  default_handling           TINYINT UNSIGNED NOT NULL DEFAULT 0,
  service_info               VARCHAR(1024) NULL,
  include_register_request   TINYINT(1) NOT NULL DEFAULT 0,
  include_register_response  TINYINT(1) NOT NULL DEFAULT 0,
  UNIQUE KEY uk_as_server_name (server_name),
  CONSTRAINT ck_as_default_handling CHECK (default_handling IN (0, 1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Initial filter criteria (TS 29.228 B.2.2; ProfilePartIndicator 0
-- REGISTERED, 1 UNREGISTERED, NULL absent).
CREATE TABLE ifc (
  id                      BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name                    VARCHAR(255) NOT NULL,
  priority                INT NOT NULL,
  profile_part_indicator  TINYINT UNSIGNED NULL,
  condition_type_cnf      TINYINT(1) NOT NULL DEFAULT 1,
  application_server_id   BIGINT UNSIGNED NOT NULL,
  UNIQUE KEY uk_ifc_name (name),
  CONSTRAINT ck_ifc_ppi CHECK (profile_part_indicator IS NULL OR profile_part_indicator IN (0, 1)),
  CONSTRAINT fk_ifc_as FOREIGN KEY (application_server_id) REFERENCES application_server (id) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Service point trigger (TS 29.228 B.2.2, TS 29.228 annex C).
-- type: 0 RequestURI, 1 Method, 2 SIPHeader, 3 SessionCase, 4 SessionDescription.
-- value: the URI / method / header content / SDP content (regex where the spec says).
-- header: the header name (type 2) or SDP line (type 4).
-- session_case (type 3): 0 ORIGINATING_REGISTERED, 1 TERMINATING_REGISTERED,
--   2 TERMINATING_UNREGISTERED, 3 ORIGINATING_UNREGISTERED, 4 ORIGINATING_CDIV.
-- registration_type: bitmask for Method REGISTER (1 INITIAL, 2 RE, 4 DE), 0 absent.
CREATE TABLE spt (
  id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ifc_id             BIGINT UNSIGNED NOT NULL,
  position           INT UNSIGNED NOT NULL,
  group_id           INT UNSIGNED NOT NULL DEFAULT 0,
  condition_negated  TINYINT(1) NOT NULL DEFAULT 0,
  type               TINYINT UNSIGNED NOT NULL,
  value              VARCHAR(1024) NULL,
  header             VARCHAR(255) NULL,
  session_case       TINYINT UNSIGNED NULL,
  registration_type  TINYINT UNSIGNED NOT NULL DEFAULT 0,
  UNIQUE KEY uk_spt_position (ifc_id, position),
  CONSTRAINT ck_spt_type CHECK (type <= 4),
  CONSTRAINT ck_spt_session_case CHECK (session_case IS NULL OR session_case <= 4),
  CONSTRAINT fk_spt_ifc FOREIGN KEY (ifc_id) REFERENCES ifc (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE service_profile_ifc (
  service_profile_id  BIGINT UNSIGNED NOT NULL,
  ifc_id              BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (service_profile_id, ifc_id),
  KEY k_spi_ifc (ifc_id),
  CONSTRAINT fk_spi_sp FOREIGN KEY (service_profile_id) REFERENCES service_profile (id) ON DELETE CASCADE,
  CONSTRAINT fk_spi_ifc FOREIGN KEY (ifc_id) REFERENCES ifc (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Shared iFC sets (TS 29.228 6.6, B.2.2 SharedIFCSetID): id is the number
-- sent to an S-CSCF that supports the feature.
CREATE TABLE shared_ifc_set (
  id    INT UNSIGNED NOT NULL PRIMARY KEY,
  name  VARCHAR(255) NOT NULL,
  UNIQUE KEY uk_shared_ifc_set_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE shared_ifc_set_ifc (
  set_id  INT UNSIGNED NOT NULL,
  ifc_id  BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (set_id, ifc_id),
  CONSTRAINT fk_sisi_set FOREIGN KEY (set_id) REFERENCES shared_ifc_set (id) ON DELETE CASCADE,
  CONSTRAINT fk_sisi_ifc FOREIGN KEY (ifc_id) REFERENCES ifc (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE service_profile_shared_ifc_set (
  service_profile_id  BIGINT UNSIGNED NOT NULL,
  set_id              INT UNSIGNED NOT NULL,
  PRIMARY KEY (service_profile_id, set_id),
  CONSTRAINT fk_spsis_sp FOREIGN KEY (service_profile_id) REFERENCES service_profile (id) ON DELETE CASCADE,
  CONSTRAINT fk_spsis_set FOREIGN KEY (set_id) REFERENCES shared_ifc_set (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Implicit registration set (TS 23.228 4.3.3.3, TS 29.228 B.2.1): an id
-- allocator; each IMPU belongs to exactly one set, ordered by position
-- (the default IMPU first).
CREATE TABLE implicit_set (
  id  BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Public identity (TS 23.228 4.3.3.2; TS 29.228 6.3.2 Public-Identity).
-- identity_type: 0 public user identity, 1 distinct PSI, 2 wildcarded PSI
--   (TS 29.228 6.3.56); wildcard_regex holds the expanded regex for type 2.
-- reg_state: 0 NOT_REGISTERED, 1 REGISTERED, 2 UNREGISTERED (TS 29.228 6.1.2).
-- The S-CSCF name and the last IMPI are kept per IMPU and written for the
-- whole implicit set at once (store_reg_set).
CREATE TABLE impu (
  id                  BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  identity            VARCHAR(255) NOT NULL,
  identity_type       TINYINT UNSIGNED NOT NULL DEFAULT 0,
  wildcard_regex      VARCHAR(1024) NULL,
  barring             TINYINT(1) NOT NULL DEFAULT 0,
  can_register        TINYINT(1) NOT NULL DEFAULT 1,
  implicit_set_id     BIGINT UNSIGNED NOT NULL,
  implicit_set_pos    INT UNSIGNED NOT NULL,
  service_profile_id  BIGINT UNSIGNED NULL,
  reg_state           TINYINT UNSIGNED NOT NULL DEFAULT 0,
  scscf_name          VARCHAR(255) NULL,
  last_impi_id        BIGINT UNSIGNED NULL,
  UNIQUE KEY uk_impu_identity (identity),
  UNIQUE KEY uk_impu_set_pos (implicit_set_id, implicit_set_pos),
  KEY k_impu_type (identity_type),
  CONSTRAINT ck_impu_type CHECK (identity_type <= 2),
  CONSTRAINT ck_impu_reg_state CHECK (reg_state <= 2),
  CONSTRAINT fk_impu_set FOREIGN KEY (implicit_set_id) REFERENCES implicit_set (id) ON DELETE RESTRICT,
  CONSTRAINT fk_impu_sp FOREIGN KEY (service_profile_id) REFERENCES service_profile (id) ON DELETE SET NULL,
  CONSTRAINT fk_impu_last_impi FOREIGN KEY (last_impi_id) REFERENCES impi (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- IMPI <-> IMPU, many-to-many (an IMPU may be shared, TS 23.228 4.3.3.4).
CREATE TABLE impi_impu (
  impi_id  BIGINT UNSIGNED NOT NULL,
  impu_id  BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (impi_id, impu_id),
  KEY k_impi_impu_impu (impu_id),
  CONSTRAINT fk_ii_impi FOREIGN KEY (impi_id) REFERENCES impi (id) ON DELETE CASCADE,
  CONSTRAINT fk_ii_impu FOREIGN KEY (impu_id) REFERENCES impu (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
