-- +goose Up
-- The regulatory record of a security case (issue 14, desk/breach_case.go):
-- when the organisation became aware of the breach (NULL: not recorded yet)
-- and which regimes apply ('' until chosen: gdpr, 152fz, both, none), each
-- with the reason given for its last change. The history of both is in the
-- ticket's events (fields breach_aware_at and breach_regime).
CREATE TABLE breach_cases (
	ticket_id BIGINT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
	aware_at BIGINT,
	aware_reason TEXT NOT NULL DEFAULT '',
	regime TEXT NOT NULL DEFAULT '',
	regime_reason TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE breach_cases;
