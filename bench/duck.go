// Package bench compares the scoring engine with the same month's metrics
// computed in SQL by DuckDB over the same events (DESIGN §6): metrics.sql
// re-implements the reducer and the measurement of the ticket- and
// survey-derived metrics, the test checks that both agree on every metric of
// every engineer, and the benchmark times both in one run.
//
// It is its own Go module so that the product never depends on DuckDB (a
// cgo library of some 60 MB).
package bench

import (
	"context"
	"database/sql"
	"database/sql/driver"
	_ "embed"
	"errors"
	"fmt"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"scorecard/shared/core/directory"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
)

// metricsSQL computes every engineer's metric inputs; see its header.
//
//go:embed metrics.sql
var metricsSQL string

// schemaSQL creates (or empties) the tables metrics.sql reads.
const schemaSQL = `
SET TimeZone = 'UTC';
CREATE OR REPLACE TABLE events (
  source      VARCHAR NOT NULL,
  event_id    VARCHAR NOT NULL,
  ticket_id   VARCHAR NOT NULL,
  type        VARCHAR NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  actor_id    VARCHAR NOT NULL,
  actor_kind  VARCHAR NOT NULL,
  assignee_id VARCHAR NOT NULL,
  public      BOOLEAN NOT NULL,
  status      VARCHAR NOT NULL,
  priority    VARCHAR NOT NULL,
  tags        VARCHAR[] NOT NULL,
  has_tags    BOOLEAN NOT NULL,
  ticket_type VARCHAR NOT NULL,
  rating      INTEGER NOT NULL,
  solved      BOOLEAN,
  comment     VARCHAR NOT NULL
);
CREATE OR REPLACE TABLE directory (source VARCHAR, agent_id VARCHAR, engineer_id VARCHAR);
CREATE OR REPLACE TABLE settings (
  time_zone VARCHAR, year INTEGER, month INTEGER,
  first_response_us BIGINT, complaint_window_us BIGINT, reopen_window_us BIGINT,
  complaint_tags VARCHAR[], complaint_types VARCHAR[]
);
CREATE OR REPLACE TABLE sla_target (priority VARCHAR, target_us BIGINT);
`

// Key names one metric of one engineer. Metric "tickets" is the number of
// distinct tickets credited to the engineer in any ticket metric.
type Key struct {
	Engineer string
	Metric   string
}

// Inputs are what a metric's value is computed from (metric.Value).
type Inputs struct {
	Numerator   float64
	Denominator float64
	N           int
}

// DuckDB is an in-memory DuckDB database holding one month's events.
type DuckDB struct {
	db   *sql.DB
	conn *sql.Conn
}

// OpenDuckDB opens an empty in-memory database.
func OpenDuckDB(ctx context.Context) (*DuckDB, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("duckdb connection: %w", err)
	}
	return &DuckDB{db: db, conn: conn}, nil
}

// Close releases the database.
func (d *DuckDB) Close() error {
	return errors.Join(d.conn.Close(), d.db.Close())
}

// Load replaces the tables with the events (as received: duplicates and
// any order are fine), the directory's agent ids, and the policy's settings
// for month m. The SQL implements the 24×7 calendar only: a policy with a
// business-hours calendar is refused.
func (d *DuckDB) Load(ctx context.Context, events []event.Event, dir *directory.Directory, pol *policy.Policy, m month.Month) error {
	if err := check24x7(pol); err != nil {
		return err
	}
	if _, err := d.conn.ExecContext(ctx, schemaSQL); err != nil {
		return fmt.Errorf("create tables: %w", err)
	}
	set := pol.MetricSettings()
	if _, err := d.conn.ExecContext(ctx, `INSERT INTO settings VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		pol.TimeZone, m.Year, int(m.Month),
		set.FirstResponseWithin.Microseconds(), set.ComplaintWindow.Microseconds(), set.ReopenWindow.Microseconds(),
		orEmpty(set.ComplaintTags), orEmpty(set.ComplaintTypes)); err != nil {
		return fmt.Errorf("insert settings: %w", err)
	}
	for p, target := range set.SLATargets {
		if _, err := d.conn.ExecContext(ctx, `INSERT INTO sla_target VALUES (?, ?)`, string(p), target.Microseconds()); err != nil {
			return fmt.Errorf("insert sla target %s: %w", p, err)
		}
	}
	return d.conn.Raw(func(dc any) error {
		conn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("duckdb: unexpected driver connection %T", dc)
		}
		if err := appendDirectory(conn, dir); err != nil {
			return err
		}
		return appendEvents(conn, events)
	})
}

func check24x7(pol *policy.Policy) error {
	teams := []string{""}
	for t := range pol.Teams {
		teams = append(teams, t)
	}
	for _, t := range teams {
		if !pol.CalendarFor(t).Is24x7() {
			return fmt.Errorf("policy %s: team %q works on a business-hours calendar; metrics.sql implements 24×7 only", pol.Version, t)
		}
	}
	return nil
}

func appendDirectory(conn driver.Conn, dir *directory.Directory) error {
	a, err := duckdb.NewAppenderFromConn(conn, "", "directory")
	if err != nil {
		return fmt.Errorf("directory appender: %w", err)
	}
	for _, e := range dir.All() {
		for source, agent := range e.External {
			if agent == "" {
				continue
			}
			if err := a.AppendRow(source, agent, e.ID); err != nil {
				a.Close()
				return fmt.Errorf("append engineer %s: %w", e.ID, err)
			}
		}
	}
	if err := a.Close(); err != nil {
		return fmt.Errorf("append directory: %w", err)
	}
	return nil
}

func appendEvents(conn driver.Conn, events []event.Event) error {
	a, err := duckdb.NewAppenderFromConn(conn, "", "events")
	if err != nil {
		return fmt.Errorf("events appender: %w", err)
	}
	for i := range events {
		e := &events[i]
		var solved any
		if e.Solved != nil {
			solved = *e.Solved
		}
		err := a.AppendRow(e.Source, e.ID, e.TicketID, string(e.Type), e.OccurredAt,
			e.Actor.ID, string(e.Actor.Kind), e.AssigneeID, e.Public, string(e.Status), string(e.Priority),
			orEmpty(e.Tags), e.HasTags, e.TicketType, int32(e.Rating), solved, e.Comment)
		if err != nil {
			a.Close()
			return fmt.Errorf("append event %s: %w", e.ID, err)
		}
	}
	if err := a.Close(); err != nil {
		return fmt.Errorf("append events: %w", err)
	}
	return nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Metrics runs metrics.sql over the loaded month.
func (d *DuckDB) Metrics(ctx context.Context) (map[Key]Inputs, error) {
	rows, err := d.conn.QueryContext(ctx, metricsSQL)
	if err != nil {
		return nil, fmt.Errorf("metrics.sql: %w", err)
	}
	defer rows.Close()
	out := map[Key]Inputs{}
	for rows.Next() {
		var k Key
		var v Inputs
		if err := rows.Scan(&k.Engineer, &k.Metric, &v.Numerator, &v.Denominator, &v.N); err != nil {
			return nil, fmt.Errorf("metrics.sql row: %w", err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("metrics.sql: %w", err)
	}
	return out, nil
}

// LatestEvent is the as-of time both sides use: the latest event received.
func LatestEvent(events []event.Event) time.Time {
	var latest time.Time
	for i := range events {
		if events[i].OccurredAt.After(latest) {
			latest = events[i].OccurredAt
		}
	}
	return latest
}

// Compared lists the metrics the SQL computes, in the plan's order: those
// measured from ticket events and survey answers (the others come from
// people and imported records, not events).
var Compared = []metric.ID{
	metric.CSATScore, metric.CSATSatisfiedRate, metric.ComplaintRate, metric.Complaint24hRate,
	metric.ResolutionSLARate, metric.AvgHandleHours, metric.CompletionRate, metric.ResolutionSuccessRate,
	metric.FollowupConfirmedRate, metric.AvgFirstResponseHours, metric.FirstResponse1hRate,
	metric.CollaborationCases,
}

// TicketsMetric is the Key.Metric under which the SQL reports how many
// distinct tickets were credited to the engineer (metric.Month.Tickets).
const TicketsMetric = "tickets"
