-- 0003_admin_queue: requests for HSS-initiated Cx procedures (TS 29.228
-- 6.1.3 Registration-Termination, 6.1.6 Push-Profile), written by
-- ims-hssctl on any host with database access and carried out by ims-hss,
-- which polls this table (store_queue.h).
-- kind: 1 RTR, 2 PPR. state: 0 pending, 1 being sent, 2 done, 3 failed.
-- reason_code: Deregistration-Reason/Reason-Code (TS 29.229 6.3.17) for RTR.
-- result_code: Result-Code or Experimental-Result-Code of the answer (0 none).
-- next_at: earliest time of the next attempt (retries back off).
-- claimed_at: when an HSS took the row; a row stuck in state 1 (the HSS
-- died while sending) is taken again after a while.
CREATE TABLE admin_request (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind         TINYINT UNSIGNED NOT NULL,
  impi         VARCHAR(255) NOT NULL,
  impu         VARCHAR(255) NULL,
  reason_code  INT UNSIGNED NOT NULL DEFAULT 0,
  reason_info  VARCHAR(255) NULL,
  state        TINYINT UNSIGNED NOT NULL DEFAULT 0,
  attempts     INT UNSIGNED NOT NULL DEFAULT 0,
  result_code  INT UNSIGNED NOT NULL DEFAULT 0,
  detail       VARCHAR(255) NULL,
  created_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  next_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  claimed_at   TIMESTAMP(3) NULL,
  finished_at  TIMESTAMP(3) NULL,
  KEY k_admin_request_due (state, next_at),
  CONSTRAINT ck_admin_request_kind CHECK (kind BETWEEN 1 AND 2),
  CONSTRAINT ck_admin_request_state CHECK (state <= 3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
